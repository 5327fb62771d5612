/// `jvp`, `vjp`'s `vjp_fn` and `linearize`'s `jvp_fn`.
extension Tracer {
  /// The tensor leaves of `values`, each converted to the dtype of the matching primal leaf and
  /// checked against its shape.
  private func matchingLeaves(
    _ values: [(Value, SourceRange)], like types: [TensorType], _ what: String, _ r: SourceRange
  ) throws(Diagnostic) -> [Traced] {
    var leaves: [Traced] = []
    for (v, range) in values {
      for leaf in v.tensorLeaves { leaves.append(try asTraced(leaf, range, context: what)) }
      if case .int = v { leaves.append(try asTraced(v, range, context: what)) }
      if case .bool = v { leaves.append(try asTraced(v, range, context: what)) }
    }
    guard leaves.count == types.count else {
      throw Diagnostic(
        .tangentMismatch("\(what): expected \(types.count) tensor(s), got \(leaves.count)"), at: r)
    }
    var out: [Traced] = []
    for (leaf, t) in zip(leaves, types) {
      guard leaf.type.shape == t.shape else {
        throw Diagnostic(.tangentMismatch("\(what): expected \(t), got \(leaf.type)"), at: r)
      }
      out.append(try convert(leaf, to: t.dtype, r))
    }
    return out
  }

  /// All primals are differentiated.
  private func allArgnums(_ count: Int) -> Argnums {
    Argnums(indices: Array(0..<count), isTuple: true)
  }

  /// `jvp(f, primals, tangents)`: `(f(primals…), J·tangents)`.
  func jvp(
    _ f: Function, _ primals: [(Value, SourceRange)], _ tangents: [(Value, SourceRange)],
    _ r: SourceRange
  ) throws(Diagnostic) -> Value {
    guard primals.count == tangents.count else {
      throw Diagnostic(
        .tangentMismatch("jvp got \(primals.count) primal(s) but \(tangents.count) tangent(s)"),
        at: r)
    }
    let (a, tf) = try traceDifferentiable(f, primals, allArgnums(primals.count), "jvp", r)
    let leafTypes = tf.graph.inputs.prefix(tf.leafCount).map(tf.graph.type(of:))
    let t = try matchingLeaves(tangents, like: Array(leafTypes), "tangents", r)
    let jvp = try JVP.transform(
      tf.graph, hasTangent: (0..<tf.graph.inputs.count).map { $0 < tf.leafCount },
      options: session.buildOptions)
    let results = try inline(jvp, try inputs(of: tf, a) + t, r)
    let n = tf.graph.outputs.count
    return .tuple([rebuild(tf.output, results[..<n]), rebuild(tf.output, results[n...])])
  }

  /// A `vjp_fn` applied to cotangents of `f`'s output: the cotangents of each primal, as a tuple.
  func pullback(
    _ f: Function, _ primals: [(Value, SourceRange)], _ cotangents: [(Value, SourceRange)],
    hasAux: Bool,
    _ r: SourceRange
  ) throws(Diagnostic) -> Value {
    let (a, tf) = try traceDifferentiable(f, primals, allArgnums(primals.count), "vjp", r)
    let (main, _) = try splitAux(tf.output, hasAux: hasAux, r)
    let mainCount = main.tensorLeaves.count
    let outputTypes = Array(tf.outputTypes.prefix(mainCount))
    let v = cotangents.count == 1 ? cotangents : [(.tuple(cotangents.map(\.0)), r)]
    let ct = try matchingLeaves(v, like: outputTypes, "cotangents", r)
    let vjp = try VJP.transform(
      tf.graph, wrt: (0..<tf.graph.inputs.count).map { $0 < tf.leafCount },
      hasCotangent: (0..<tf.graph.outputs.count).map { $0 < mainCount },
      options: session.buildOptions)
    let results = try inline(vjp, try inputs(of: tf, a) + ct, r)
    let cts = results[tf.graph.outputs.count...]
    var perPrimal: [Value] = []
    var offset = cts.startIndex
    for (i, (value, _)) in a.enumerated() {
      let count = leafPositions(tf, argument: i).count
      perPrimal.append(rebuild(value, cts[offset..<(offset + count)]))
      offset += count
    }
    return .tuple(perPrimal)
  }

  /// `vjp(f, primals…)`: `(f(primals…), vjp_fn)`, or `(output, vjp_fn, aux)` with `has_aux`.
  func vjp(_ f: Function, _ primals: [(Value, SourceRange)], hasAux: Bool, _ r: SourceRange)
    throws(Diagnostic) -> Value
  {
    let a = try differentiableArguments(primals, allArgnums(primals.count), "vjp", r)
    let output = try call(f, a, [], callRange: r)
    let (main, aux) = try splitAux(output, hasAux: hasAux, r)
    let fn = Value.function(
      Function(
        name: "vjp_fn", body: .transformed(base: f, .pullback(primals: a.map(\.0), hasAux: hasAux)))
    )
    if let aux { return .tuple([main, fn, aux]) }
    return .tuple([main, fn])
  }

  /// `linearize(f, primals…)`: `(f(primals…), jvp_fn)`.
  func linearize(_ f: Function, _ primals: [(Value, SourceRange)], _ r: SourceRange)
    throws(Diagnostic) -> Value
  {
    let a = try differentiableArguments(primals, allArgnums(primals.count), "linearize", r)
    let output = try call(f, a, [], callRange: r)
    let fn = Function(
      name: "jvp_fn", body: .transformed(base: f, .pushforward(primals: a.map(\.0))))
    return .tuple([output, .function(fn)])
  }
}
