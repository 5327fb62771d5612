/// Jacobians by reverse and forward mode (JAX's `jacrev` and `jacfwd`): a VJP batched over
/// the standard basis of the output, or a JVP batched over the basis of each input.
/// Jacobian shapes are `out.shape + in.shape`.
extension Tracer {
  /// How a Jacobian is computed.
  enum JacobianMode {
    /// One JVP batched over the `n` basis tangents of the inputs.
    case forward
    /// One VJP batched over the `m` basis cotangents of the output.
    case reverse
  }

  /// The Jacobian by the mode the user asked for, unless the other mode needs at most half as
  /// many basis vectors (then that one: the answer is the same matrix, and the wrong mode costs
  /// `m/n` times more). `requested == nil` (`jacobian`) takes the mode with fewer basis vectors.
  func jacobian(
    _ tf: TracedFunction, _ a: [(Value, SourceRange)], _ argnums: Argnums, hasAux: Bool,
    requested: JacobianMode?, _ r: SourceRange
  ) throws(Diagnostic) -> Value {
    let outputs = tf.outputTypes.first?.count ?? 0
    let inputs = (0..<tf.leafCount).filter { argnums.indices.contains(tf.leafArgument[$0]) }
      .reduce(0) { $0 + tf.graph.type(of: tf.graph.inputs[$1]).count }
    let mode: JacobianMode
    switch requested {
    case .forward? where session.options.choosesJacobianMode && 2 * outputs <= inputs:
      mode = .reverse
    case .reverse? where session.options.choosesJacobianMode && 2 * inputs <= outputs:
      mode = .forward
    case let asked?: mode = asked
    case nil: mode = outputs > inputs ? .forward : .reverse
    }
    switch mode {
    case .forward: return try jacfwd(tf, a, argnums, hasAux: hasAux, r)
    case .reverse: return try jacrev(tf, a, argnums, hasAux: hasAux, r)
    }
  }

  /// The single tensor output a Jacobian is taken of.
  private func jacobianOutput(_ tf: TracedFunction, hasAux: Bool, _ name: String, _ r: SourceRange)
    throws(Diagnostic)
    -> TensorType
  {
    let (main, _) = try splitAux(tf.output, hasAux: hasAux, r)
    guard main.tensorLeaves.count == 1, let t = tf.outputTypes.first else {
      throw Diagnostic(.transformOutput(got: main.typeDescription), at: r)
    }
    return t
  }

  /// The one tensor leaf of a differentiated argument.
  private func singleLeaf(
    _ tf: TracedFunction, _ a: [(Value, SourceRange)], _ i: Int, _ name: String
  ) throws(Diagnostic) -> Int {
    let positions = leafPositions(tf, argument: i)
    guard positions.count == 1 else {
      throw Diagnostic(.needsTensors(name, got: a[i].0.typeDescription), at: a[i].1)
    }
    return positions[0]
  }

  /// `(jacobians, aux)` or the jacobians alone.
  private func withAux(
    _ jac: Value, _ tf: TracedFunction, _ a: [(Value, SourceRange)], hasAux: Bool, _ r: SourceRange
  )
    throws(Diagnostic) -> Value
  {
    guard hasAux else { return jac }
    let outs = try inline(tf.graph, try inputs(of: tf, a), r)
    guard case .tuple(let items) = rebuild(tf.output, outs[...]), items.count == 2 else {
      return jac
    }
    return .tuple([jac, items[1]])
  }

  /// `jacrev`: one VJP, batched over the `m` basis cotangents of the output.
  func jacrev(
    _ tf: TracedFunction, _ a: [(Value, SourceRange)], _ argnums: Argnums, hasAux: Bool,
    _ r: SourceRange
  ) throws(Diagnostic) -> Value {
    let yType = try jacobianOutput(tf, hasAux: hasAux, "jacrev", r)
    var wrtLeaves: [Int] = []
    for i in argnums.indices { wrtLeaves.append(try singleLeaf(tf, a, i, "jacrev")) }
    let wrt = (0..<tf.graph.inputs.count).map { wrtLeaves.contains($0) }
    let limit = session.buildOptions
    let outputCount = tf.graph.outputs.count
    var vjp = try VJP.transform(
      tf.graph, wrt: wrt, hasCotangent: (0..<outputCount).map { $0 == 0 }, options: limit)
    let positions = wrt.indices.filter { wrt[$0] }
    vjp.outputs = Array(vjp.outputs.suffix(positions.count))
    vjp = vjp.prunedToOutputs()
    let results = try overBasis(vjp, try inputs(of: tf, a), yType, r)
    let jac = try perArgnum(argnums) { i throws(Diagnostic) in
      guard let k = positions.firstIndex(of: try singleLeaf(tf, a, i, "jacrev")) else {
        return .none
      }
      let xType = tf.graph.type(of: tf.graph.inputs[positions[k]])
      return .traced(try reshape(results[k], yType.shape + xType.shape, r))
    }
    return try withAux(jac, tf, a, hasAux: hasAux, r)
  }

  /// `jacfwd`: for each differentiated input, a JVP batched over its `n` basis tangents.
  func jacfwd(
    _ tf: TracedFunction, _ a: [(Value, SourceRange)], _ argnums: Argnums, hasAux: Bool,
    _ r: SourceRange
  ) throws(Diagnostic) -> Value {
    let yType = try jacobianOutput(tf, hasAux: hasAux, "jacfwd", r)
    let limit = session.buildOptions
    let outputCount = tf.graph.outputs.count
    let graphInputs = try inputs(of: tf, a)
    let jac = try perArgnum(argnums) { i throws(Diagnostic) in
      let leaf = try singleLeaf(tf, a, i, "jacfwd")
      let xType = tf.graph.type(of: tf.graph.inputs[leaf])
      var jvp = try JVP.transform(
        tf.graph, hasTangent: (0..<tf.graph.inputs.count).map { $0 == leaf }, options: limit)
      jvp.outputs = [jvp.outputs[outputCount]]
      jvp = jvp.prunedToOutputs()
      let columns = try overBasis(jvp, graphInputs, xType, r)[0]  // [n, *y.shape]
      let moved = try transposed(columns, (0..<yType.rank).map { $0 + 1 } + [0], r)
      return .traced(try reshape(moved, yType.shape + xType.shape, r))
    }
    return try withAux(jac, tf, a, hasAux: hasAux, r)
  }

  /// `g`, whose last input is one basis tensor of `type`, batched over the whole basis and
  /// inlined: each output gains a leading axis of `type.count`. Over the memory limit, the
  /// basis is taken in slices (``batchedInSlices(_:batched:size:_:inputs:)``).
  func overBasis(_ g: Graph, _ inputs: [Traced], _ type: TensorType, _ r: SourceRange)
    throws(Diagnostic) -> [Traced]
  {
    let batched = (0..<g.inputs.count).map { $0 == g.inputs.count - 1 }
    return try batchedInSlices(g, batched: batched, size: type.count, r) {
      rows throws(Diagnostic) in
      inputs + [try basis(type, rows: rows == 0..<type.count ? nil : rows, r)]
    }
  }
}
