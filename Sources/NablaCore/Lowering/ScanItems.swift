/// What a `scan` iterates over: `xs` (a tensor or a nested tuple of tensors) cut along the
/// leading axis of every leaf, or `None` a given number of times.
struct ScanItems {
  /// The structure of one item (`nil` when `xs` is `None`).
  let structure: TreeStructure?
  let leaves: [Traced]
  /// The number of items: the leaves' common leading size, or `length`.
  let count: Int

  init(_ xs: Value, length: Int?, _ tracer: Tracer, _ arguments: Arguments) throws(Diagnostic) {
    let function = arguments.function
    let range = arguments.range("xs")
    if let length, length < 0 {
      throw Diagnostic(
        .invalidArgument(function, "length must not be negative, got \(length)"),
        at: arguments.range("length"))
    }
    if case .none = xs {
      guard let length else {
        throw Diagnostic(
          .invalidArgument(function, "with xs=None, the number of steps must be given as length="),
          at: arguments.callRange)
      }
      structure = nil
      leaves = []
      count = length
      return
    }
    let tree = Pytree(xs)
    try tree.structure.requireTensors(
      "'\(function)' argument 'xs'", expected: "tensors or tuples of tensors", at: range)
    var leaves: [Traced] = []
    for leaf in tree.leaves {
      leaves.append(try tracer.asTraced(leaf, range, context: "'\(function)' argument 'xs'"))
    }
    guard let first = leaves.first else {
      throw Diagnostic(
        .invalidArgument(function, "xs holds no tensor; give xs=None and length= instead"),
        at: range)
    }
    for leaf in leaves where leaf.type.rank == 0 {
      throw Diagnostic(
        .invalidArgument(function, "xs must have a leading axis to scan over, got \(leaf.type)"),
        at: range)
    }
    let size = first.type.shape[0]
    for leaf in leaves where leaf.type.shape[0] != size {
      throw Diagnostic(
        .invalidArgument(
          function,
          "every tensor of xs must have the same leading size, got \(first.type) and \(leaf.type)"),
        at: range)
    }
    if let length, length != size {
      throw Diagnostic(
        .invalidArgument(function, "length=\(length) differs from xs's leading size \(size)"),
        at: arguments.range("length"))
    }
    structure = tree.structure
    self.leaves = leaves
    count = size
  }

  /// Item `k`: index `k` of the leading axis of every leaf.
  func item(_ k: Int, _ tracer: Tracer, _ range: SourceRange) throws(Diagnostic) -> Value {
    guard let structure else { return .none }
    var parts: [Value] = []
    for leaf in leaves {
      let shape = leaf.type.shape
      let start = [k] + Array(repeating: 0, count: shape.count - 1)
      let limit = [k + 1] + shape.dropFirst()
      let stride = Array(repeating: 1, count: shape.count)
      let row = try tracer.emit(.slice(start: start, limit: limit, stride: stride), [leaf], range)
      parts.append(.traced(try tracer.reshape(row, Array(shape.dropFirst()), range)))
    }
    return structure.unflatten(parts)
  }

  /// Zeros of an item's type (to learn the type of `f`'s output when there are no items).
  func zeroItem(_ tracer: Tracer, _ range: SourceRange) throws(Diagnostic) -> Value {
    guard let structure else { return .none }
    var parts: [Value] = []
    for leaf in leaves {
      let type = leaf.type.with(shape: Array(leaf.type.shape.dropFirst()))
      parts.append(.traced(tracer.traced(try tracer.builder.zeros(type))))
    }
    return structure.unflatten(parts)
  }
}
