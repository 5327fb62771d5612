/// The transforms of SPEC §2.5 applied to a call: each traces the function on its own graph,
/// transforms the graph (``JVP``, ``VJP``, ``Batching``), and inlines the result here, so a
/// transform of a transform is an ordinary composition.
extension Tracer {
  func apply(
    _ transform: Transform, of f: Function, _ args: [(Value, SourceRange)], callRange r: SourceRange
  ) throws(Diagnostic) -> Value {
    switch transform {
    case .grad(let argnums, let hasAux, let withValue):
      return try grad(f, args, argnums, hasAux: hasAux, withValue: withValue, r)
    case .jacrev(let argnums, let hasAux):
      let (a, tf) = try traceDifferentiable(f, args, argnums, "jacrev", r)
      return try jacobian(tf, a, argnums, hasAux: hasAux, requested: .reverse, r)
    case .jacfwd(let argnums, let hasAux):
      let (a, tf) = try traceDifferentiable(f, args, argnums, "jacfwd", r)
      return try jacobian(tf, a, argnums, hasAux: hasAux, requested: .forward, r)
    case .jacobian(let argnums):
      let (a, tf) = try traceDifferentiable(f, args, argnums, "jacobian", r)
      return try jacobian(tf, a, argnums, hasAux: false, requested: nil, r)
    case .hessian(let argnums):
      let inner = Function(
        name: f.name, body: .transformed(base: f, .jacrev(argnums: argnums, hasAux: false)))
      let (a, tf) = try traceDifferentiable(inner, args, argnums, "hessian", r)
      return try jacobian(tf, a, argnums, hasAux: false, requested: .forward, r)
    case .vmap(let inDims, let outDims):
      return try vmap(f, args, inDims: inDims, outDims: outDims, r)
    case .pullback(let primals, let hasAux):
      return try pullback(f, primals.map { ($0, r) }, args, hasAux: hasAux, r)
    case .pushforward(let primals):
      let result = try jvp(f, primals.map { ($0, r) }, args, r)
      guard case .tuple(let pair) = result, pair.count == 2 else { return result }
      return pair[1]
    }
  }

  // MARK: - Shared steps

  /// The arguments with those in `argnums` made tensors (integers become tensors of the
  /// default dtype, as `grad(x -> x^2)(3)` expects), checked against the call.
  func differentiableArguments(
    _ args: [(Value, SourceRange)], _ argnums: Argnums, _ name: String, _ r: SourceRange
  ) throws(Diagnostic) -> [(Value, SourceRange)] {
    var out = args
    for i in argnums.indices {
      guard i >= 0, i < args.count else {
        throw Diagnostic(.argnumsOutOfRange(i, count: args.count), at: r)
      }
      let (v, range) = args[i]
      switch v {
      case .int, .bool: out[i] = (.traced(try asTraced(v, range, context: name)), range)
      case .traced, .tensor: break
      case .tuple where !v.tensorLeaves.isEmpty: break
      default: throw Diagnostic(.needsTensors(name, got: v.typeDescription), at: range)
      }
    }
    return out
  }

  func traceDifferentiable(
    _ f: Function, _ args: [(Value, SourceRange)], _ argnums: Argnums, _ name: String,
    _ r: SourceRange
  ) throws(Diagnostic) -> ([(Value, SourceRange)], TracedFunction) {
    let a = try differentiableArguments(args, argnums, name, r)
    return (a, try traceFunction(f, a, callRange: r))
  }

  /// `(output, aux)` of a function called with `has_aux=True`, or `(output, nil)`.
  func splitAux(_ output: Value, hasAux: Bool, _ r: SourceRange) throws(Diagnostic) -> (
    Value, Value?
  ) {
    guard hasAux else { return (output, nil) }
    guard case .tuple(let items) = output, items.count == 2 else {
      throw Diagnostic(
        .wrongType(
          "a function with has_aux=True", expected: "to return (output, aux)",
          got: output.typeDescription),
        at: r)
    }
    return (items[0], items[1])
  }

  /// The graph-input positions of the leaves of argument `i`.
  func leafPositions(_ tf: TracedFunction, argument i: Int) -> [Int] {
    (0..<tf.leafCount).filter { tf.leafArgument[$0] == i }
  }

  /// The function's output (and aux) with graph outputs `outs` in place of its leaves.
  func rebuild(_ template: Value, _ outs: ArraySlice<Traced>) -> Value {
    var slice = outs.map { Value.traced($0) }[...]
    return template.replacingTensorLeaves(&slice)
  }

  /// A `[n, *shape]` stack of the n standard basis tensors of `shape` (the identity, reshaped),
  /// or of those numbered `rows`, computed when the graph runs as `i == j` of two broadcast
  /// index vectors, so a large basis costs nothing to compile.
  func basis(_ type: TensorType, rows: Range<Int>? = nil, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    let n = type.count
    let rows = rows ?? 0..<n
    try checkShape([rows.count, n], r)
    let shape = [rows.count, n]
    let index = try constant(
      Tensor(shape: [n], values: (0..<n).map(Double.init), dtype: type.dtype))
    let rowIndex =
      rows == 0..<n
      ? index
      : try constant(Tensor(shape: [rows.count], values: rows.map(Double.init), dtype: type.dtype))
    let rowValues = try emit(.broadcast(shape: shape, dims: [0]), [rowIndex], r)
    let columns = try emit(.broadcast(shape: shape, dims: [1]), [index], r)
    let identity = try emit(.compare(.eq), [rowValues, columns], r)
    return try reshape(identity, [rows.count] + type.shape, r)
  }

  /// The result for `argnums`: one value, or a tuple for a tuple `argnums`.
  func perArgnum(_ argnums: Argnums, _ make: (Int) throws(Diagnostic) -> Value) throws(Diagnostic)
    -> Value
  {
    var results: [Value] = []
    for i in argnums.indices { results.append(try make(i)) }
    return argnums.isTuple ? .tuple(results) : results[0]
  }

  // MARK: - grad

  /// `grad(f)(x…)`: the VJP of a scalar output with cotangent 1.
  func grad(
    _ f: Function, _ args: [(Value, SourceRange)], _ argnums: Argnums, hasAux: Bool,
    withValue: Bool,
    _ r: SourceRange
  ) throws(Diagnostic) -> Value {
    let (a, tf) = try traceDifferentiable(
      f, args, argnums, withValue ? "value_and_grad" : "grad", r)
    let (main, _) = try splitAux(tf.output, hasAux: hasAux, r)
    let mainLeaves = main.tensorLeaves
    guard mainLeaves.count == 1, let outType = tf.outputTypes.first else {
      throw Diagnostic(.transformOutput(got: main.typeDescription), at: r)
    }
    guard outType.rank == 0 else { throw Diagnostic(.nonScalarGradient(outType), at: r) }
    let outputCount = tf.graph.outputs.count
    let wrt = (0..<tf.graph.inputs.count).map {
      $0 < tf.leafCount && argnums.indices.contains(tf.leafArgument[$0])
    }
    let vjp = try VJP.transform(
      tf.graph, wrt: wrt, hasCotangent: (0..<outputCount).map { $0 == 0 },
      options: session.buildOptions)
    let one = try scalar(1, outType.dtype)
    let results = try inline(vjp, try inputs(of: tf, a) + [one], r)
    let cotangents = Array(results[outputCount...])
    let wrtPositions = wrt.indices.filter { wrt[$0] }
    var byLeaf: [Int: Traced] = [:]
    for (p, c) in zip(wrtPositions, cotangents) { byLeaf[p] = c }
    let gradient = try perArgnum(argnums) { i throws(Diagnostic) in
      let leaves = leafPositions(tf, argument: i).compactMap { byLeaf[$0] }
      return rebuild(a[i].0, leaves[...])
    }
    let value = rebuild(tf.output, results[..<outputCount])
    if withValue { return .tuple([value, gradient]) }
    if hasAux, case .tuple(let items) = value { return .tuple([gradient, items[1]]) }
    return gradient
  }
}
