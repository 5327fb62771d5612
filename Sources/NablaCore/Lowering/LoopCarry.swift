/// The value a loop passes from one iteration to the next (JAX's `carry`): a tensor or a nested
/// tuple of tensors, whose structure, shapes and dtypes must be the same after every iteration,
/// so the loop means the same thing however many times it runs.
struct LoopCarry {
  /// The carry with every leaf a tensor of the trace (integers and booleans made tensors).
  let value: Value
  let structure: TreeStructure
  let leaves: [Traced]

  /// `value` as a carry: numbers among its leaves become strong tensors of the default dtype
  /// (`fori_loop(0, 5, (i, c) -> c * 2, 1)` carries a float, as JAX carries an array).
  init(
    _ value: Value, _ tracer: Tracer, _ range: SourceRange, context: String
  ) throws(Diagnostic) {
    let tree = Pytree(value, numbersAreLeaves: true)
    try tree.structure.requireTensors(
      context, expected: "tensors or tuples of tensors", at: range)
    var leaves: [Traced] = []
    for leaf in tree.leaves {
      var t = try tracer.asTraced(leaf, range, context: context)
      t.isWeak = false
      leaves.append(t)
    }
    self.init(structure: tree.structure, leaves: leaves)
  }

  private init(structure: TreeStructure, leaves: [Traced]) {
    self.structure = structure
    self.leaves = leaves
    self.value = structure.unflatten(leaves.map(Value.traced))
  }

  /// The carry an iteration returned, checked against this one: the same structure and, leaf
  /// by leaf, the same shape and dtype (a weak scalar literal takes the carry's dtype, as in
  /// JAX). The error names the first leaf that differs by its path (`carry[1][0]`), as JAX's.
  func next(
    _ returned: Value, iteration: Int, _ tracer: Tracer, _ range: SourceRange, function: String
  ) throws(Diagnostic) -> LoopCarry {
    let tree = Pytree(returned, numbersAreLeaves: true)
    guard tree.structure == structure else {
      throw Diagnostic(
        .invalidArgument(
          function,
          "the carry changed structure in iteration \(iteration): it went in as \(structure) "
            + "and came out as \(tree.structure)",
          help:
            "the body must return a carry with the structure, shapes and dtypes of the one it takes"
        ),
        at: range)
    }
    var next: [Traced] = []
    for (position, (leaf, before)) in zip(tree.leaves, leaves).enumerated() {
      var t = try tracer.asTraced(leaf, range, context: "'\(function)' carry")
      if t.isWeak, t.type.shape == before.type.shape {
        t = try tracer.convert(t, to: before.type.dtype, range)
      }
      t.isWeak = false
      guard t.type == before.type else {
        throw Diagnostic(
          .invalidArgument(
            function,
            "the carry changed type in iteration \(iteration): "
              + "\(path(of: position)) went in as \(before.type) and came out as \(t.type)",
            help:
              "the body must return a carry with the structure, shapes and dtypes of the one it takes"
          ),
          at: range)
      }
      next.append(t)
    }
    return LoopCarry(structure: structure, leaves: next)
  }

  /// Where leaf `position` sits: `carry`, `carry[1]`, `carry[1][0]`.
  private func path(of position: Int) -> String {
    var remaining = position
    return "carry" + (Self.path(structure, &remaining) ?? "")
  }

  private static func path(_ s: TreeStructure, _ remaining: inout Int) -> String? {
    switch s {
    case .leaf:
      if remaining == 0 { return "" }
      remaining -= 1
      return nil
    case .constant: return nil
    case .tuple(let items):
      for (i, item) in items.enumerated() {
        if let inner = path(item, &remaining) { return "[\(i)]" + inner }
      }
      return nil
    }
  }
}
