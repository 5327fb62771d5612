/// Calls of functions with custom derivative rules (JAX's `custom_jvp` and `custom_vjp`): the
/// function and its rules are traced on graphs of their own for the call's argument types,
/// checked against each other, and the call becomes one equation per output leaf holding them
/// (``CustomJVPCall``, ``CustomVJPCall``), which evaluates as the function and which the
/// derivative transforms differentiate by the rules.
extension FunctionTransforms {
  /// `custom_jvp(f, jvp)(args…)`; `jvp((args…), (tangents…))` returns `(output, tangent)`, each
  /// with the structure, shapes and dtypes of `f`'s output.
  func customJVP(_ f: Function, rule: Function, _ arguments: [(Value, SourceRange)])
    throws(Diagnostic) -> Value
  {
    let a = try differentiable(arguments, Array(arguments.indices))
    let tf = try trace(f, a, hasAux: false)
    let primals = Value.tuple(a.map(\.0))
    let rt = try trace(rule, [(primals, range), (primals, range)], hasAux: false)
    let pair = TreeStructure.tuple([tf.output, tf.output])
    guard rt.output == pair, rt.outputTypes == tf.outputTypes + tf.outputTypes else {
      throw Diagnostic(
        .invalidArgument(
          name,
          "the rule must return (output, tangent), both like f's output "
            + "\(tf.output.described(with: tf.outputTypes)), got \(rt.output.described(with: rt.outputTypes))",
          help: "the rule is called as jvp((x…), (ẋ…)) and returns (f(x…), J·ẋ)"),
        at: range)
    }
    let call = CustomJVPCall(
      function: tf.graph, rule: rt.graph, argumentCount: tf.argumentInputs.count,
      name: f.baseName)
    let operands = tf.argumentInputs + tf.captures + rt.captures
    var outputs: [Value] = []
    for k in 0..<call.outputCount {
      outputs.append(.traced(try tracer.emit(.customJVP(call, output: k), operands, range)))
    }
    return tf.output.unflatten(outputs)
  }

  /// `custom_vjp(f, fwd, bwd)(args…)`; `fwd(args…)` returns `(output, residuals)`, and
  /// `bwd(residuals, cotangent)` a tuple of one cotangent per argument (`None` for zero).
  func customVJP(
    _ f: Function, forward: Function, backward: Function, _ arguments: [(Value, SourceRange)]
  ) throws(Diagnostic) -> Value {
    let a = try differentiable(arguments, Array(arguments.indices))
    let tf = try trace(f, a, hasAux: false)
    let ft = try trace(forward, a, hasAux: false)
    let n = tf.outputCount
    guard case .tuple(let parts) = ft.output, parts.count == 2, parts[0] == tf.output,
      Array(ft.outputTypes.prefix(n)) == tf.outputTypes
    else {
      throw Diagnostic(
        .invalidArgument(
          name,
          "fwd must return (output, residuals) with an output like f's "
            + "\(tf.output.described(with: tf.outputTypes)), got \(ft.output.described(with: ft.outputTypes))"
        ),
        at: range)
    }
    let residualTypes = Array(ft.outputTypes.dropFirst(n))
    let bt = try trace(
      backward,
      [(try placeholder(parts[1]), range), (try placeholder(tf.output), range)], hasAux: false,
      leafTypes: residualTypes + tf.outputTypes)
    let call = CustomVJPCall(
      function: tf.graph, forward: ft.graph, backward: bt.graph,
      argumentCount: tf.argumentInputs.count,
      cotangentOutputs: try cotangentPositions(bt, of: tf), name: f.baseName)
    let operands = tf.argumentInputs + tf.captures + ft.captures + bt.captures
    var outputs: [Value] = []
    for k in 0..<call.outputCount {
      outputs.append(.traced(try tracer.emit(.customVJP(call, output: k), operands, range)))
    }
    return tf.output.unflatten(outputs)
  }

  /// For each argument leaf of `tf`, the output of `bwd` (traced as `bt`) holding its
  /// cotangent, or `nil` where `bwd` gave `None` in its place (for the argument or any part of
  /// it, as JAX allows: a zero cotangent).
  private func cotangentPositions(_ bt: TracedFunction, of tf: TracedFunction)
    throws(Diagnostic) -> [Int?]
  {
    let expected = "a tuple of \(tf.arguments.count) cotangent\(tf.arguments.count == 1 ? "" : "s")"
    guard case .tuple(let items) = bt.output, items.count == tf.arguments.count else {
      throw Diagnostic(
        .invalidArgument(
          name, "bwd must return \(expected), one per argument, got \(bt.output)",
          help: "write (g,) for one argument; None stands for a zero cotangent"),
        at: range)
    }
    var positions: [Int?] = []
    var offset = 0
    for (i, item) in items.enumerated() {
      let leaves = tf.argumentLeaves[i]
      let types = Array(bt.outputTypes[offset..<(offset + item.leafCount)])
      var next = offset
      offset += item.leafCount
      var found: [Int?] = []
      let fits = Self.match(item, tf.arguments[i], &next, &found)
      let given = found.compactMap { $0 }.map { bt.outputTypes[$0] }
      let wanted = zip(found, leaves).compactMap { p, leaf in p == nil ? nil : tf.inputType(leaf) }
      guard fits, given == wanted else {
        throw Diagnostic(
          .invalidArgument(
            name,
            "bwd's cotangent \(i) must be like argument \(i) "
              + "\(tf.arguments[i].described(with: leaves.map(tf.inputType))), "
              + "got \(item.described(with: types))"),
          at: range)
      }
      positions += found
    }
    return positions
  }

  /// Matches a cotangent's structure `given` against its argument's `expected`: appends, for
  /// each leaf of `expected`, the position of `bwd`'s output for it (counted by `next`), or
  /// `nil` under a `None` of `given`. False when the structures differ otherwise.
  private static func match(
    _ given: TreeStructure, _ expected: TreeStructure, _ next: inout Int,
    _ positions: inout [Int?]
  ) -> Bool {
    if given == .constant(.none) {
      positions += Array(repeating: nil, count: expected.leafCount)
      return true
    }
    switch (given, expected) {
    case (.leaf, .leaf):
      positions.append(next)
      next += 1
      return true
    case (.tuple(let a), .tuple(let b)) where a.count == b.count:
      for (x, y) in zip(a, b) where !match(x, y, &next, &positions) { return false }
      return true
    case (.leaf, _), (.tuple, _), (.constant, _):
      // a kept value must be the argument's own (a None inside it)
      return given == expected && expected.leafCount == 0
    }
  }

  /// A value of `structure` with scalar zeros for leaves: an argument that only gives a traced
  /// function its structure (``trace(_:_:hasAux:leafTypes:randomness:)`` takes the types).
  private func placeholder(_ structure: TreeStructure) throws(Diagnostic) -> Value {
    let zero = Value.traced(try tracer.scalar(0, tracer.defaultDType))
    return structure.unflatten(Array(repeating: zero, count: structure.leafCount))
  }
}
