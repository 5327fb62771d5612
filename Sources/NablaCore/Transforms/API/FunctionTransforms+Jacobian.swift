/// Jacobians by reverse and forward mode (JAX's `jacrev` and `jacfwd`): VJPs batched over the
/// standard basis of each output, or JVPs batched over the basis of each differentiated input.
///
/// The block for output leaf `y` and input leaf `x` has the shape `y.shape + x.shape`; blocks
/// are arranged with the output's structure outside and the differentiated arguments'
/// structure inside (a tuple over them for a tuple `argnums`), as JAX arranges them.
extension FunctionTransforms {
  /// The Jacobian by the mode the user asked for, or by the cheaper one (``chooseMode``);
  /// `requested == nil` (`jacobian`) takes the cheaper one. With `hasAux`, `(jacobian, aux)`.
  func jacobian(
    _ f: Function, _ arguments: [(Value, SourceRange)], _ argnums: Argnums, hasAux: Bool,
    requested: JacobianMode?, sparsity: SparseOptions = SparseOptions(), symmetric: Bool = false
  ) throws(Diagnostic) -> Value {
    let positions = try argnums.resolved(count: arguments.count, at: range)
    let tf = try trace(f, try differentiable(arguments, positions), hasAux: hasAux)
    let inputLeaves = Array(Set(tf.leaves(of: positions))).sorted()
    // blocks[i][x]: the Jacobian of output leaf i with respect to graph input x
    let blocks: [[Int: Value]]
    if let plan = try sparsePlan(
      tf, inputLeaves, requested: requested, symmetric: symmetric, sparsity)
    {
      blocks = try sparseBlocks(tf, plan, sparseOutput: sparsity.output)
    } else {
      let dense =
        switch try chooseMode(tf, inputLeaves, requested: requested) {
        case .forward: try forwardBlocks(tf, inputLeaves)
        case .reverse: try reverseBlocks(tf, inputLeaves)
        }
      blocks = dense.map { $0.mapValues(Value.traced) }
    }
    let inner = tf.structure(of: positions, isTuple: argnums.isTuple)
    let perOutput = blocks.map { row in
      inner.unflatten(tf.leaves(of: positions).compactMap { row[$0] })
    }
    let jacobian = tf.output.unflatten(perOutput)
    guard hasAux else { return jacobian }
    let (_, aux) = tf.result(try tracer.inline(tf.graph, tf.inputs, range)[...])
    return .tuple([jacobian, aux ?? .none])
  }

  /// Reverse mode: for each output leaf, one VJP batched over its basis cotangents.
  func reverseBlocks(_ tf: TracedFunction, _ inputLeaves: [Int]) throws(Diagnostic)
    -> [[Int: Traced]]
  {
    let wrt = tf.graph.inputs.indices.map(Set(inputLeaves).contains)
    var blocks: [[Int: Traced]] = []
    for (i, yType) in tf.outputTypes.enumerated() {
      var vjp = try VJP.transform(
        tf.graph, wrt: wrt, hasCotangent: tf.graph.outputs.indices.map { $0 == i },
        options: session.buildOptions)
      vjp.outputs = Array(vjp.outputs.suffix(inputLeaves.count))
      let rows = try overBasis(vjp.prunedToOutputs(), tf.inputs, yType)  // [m, *x.shape]
      var row: [Int: Traced] = [:]
      for (x, cotangents) in zip(inputLeaves, rows) {
        row[x] = try tracer.reshape(cotangents, yType.shape + tf.inputType(x).shape, range)
      }
      blocks.append(row)
    }
    return blocks
  }

  /// Forward mode: for each differentiated input leaf, one JVP batched over its basis.
  func forwardBlocks(_ tf: TracedFunction, _ inputLeaves: [Int]) throws(Diagnostic)
    -> [[Int: Traced]]
  {
    let outputTypes = tf.outputTypes
    var blocks = Array(repeating: [Int: Traced](), count: outputTypes.count)
    for x in inputLeaves {
      let xType = tf.inputType(x)
      var jvp = try JVP.transform(
        tf.graph, hasTangent: tf.graph.inputs.indices.map { $0 == x },
        options: session.buildOptions)
      let tangents = tf.graph.outputs.count
      jvp.outputs = Array(jvp.outputs[tangents..<(tangents + outputTypes.count)])
      let columns = try overBasis(jvp.prunedToOutputs(), tf.inputs, xType)  // [n, *y.shape]
      for (i, (yType, column)) in zip(outputTypes, columns).enumerated() {
        let moved = try tracer.transposed(column, (0..<yType.rank).map { $0 + 1 } + [0], range)
        blocks[i][x] = try tracer.reshape(moved, yType.shape + xType.shape, range)
      }
    }
    return blocks
  }
}
