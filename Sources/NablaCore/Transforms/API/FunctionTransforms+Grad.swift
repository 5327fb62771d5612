/// `grad` and `value_and_grad`: the VJP of a scalar output with cotangent 1.
extension FunctionTransforms {
  /// `grad(f, argnums, has_aux)(arguments…)`: the gradient with the structure of the
  /// differentiated arguments (a tuple of them for a tuple `argnums`); with `withValue`,
  /// `(f(arguments…), gradient)`; with `hasAux`, `(gradient, aux)` or
  /// `((value, aux), gradient)`, as JAX returns them.
  func grad(
    _ f: Function, _ arguments: [(Value, SourceRange)], _ argnums: Argnums, hasAux: Bool,
    withValue: Bool
  ) throws(Diagnostic) -> Value {
    let positions = try argnums.resolved(count: arguments.count, at: range)
    let tf = try trace(f, try differentiable(arguments, positions), hasAux: hasAux)
    let outputTypes = tf.outputTypes
    guard case .leaf = tf.output, let type = outputTypes.first else {
      let (main, _) = tf.result([])
      throw Diagnostic(.gradOutput(name, got: main.typeDescription), at: range)
    }
    guard type.rank == 0 else { throw Diagnostic(.nonScalarGradient(name, type), at: range) }
    let wrtLeaves = tf.leaves(of: positions)
    let wrt = tf.graph.inputs.indices.map(Set(wrtLeaves).contains)
    let vjp = try VJP.transform(
      tf.graph, wrt: wrt, hasCotangent: tf.graph.outputs.indices.map { $0 == 0 },
      options: session.buildOptions)
    let one = try tracer.scalar(1, type.dtype)
    let results = try tracer.inline(vjp, tf.inputs + [one], range)
    let outputCount = tf.graph.outputs.count
    // the cotangents come in graph-input order; argnums may list arguments in any order
    let inputOrder = wrt.indices.filter { wrt[$0] }
    var cotangent: [Int: Value] = [:]
    for (k, position) in inputOrder.enumerated() {
      cotangent[position] = .traced(results[outputCount + k])
    }
    let gradient = tf.structure(of: positions, isTuple: argnums.isTuple)
      .unflatten(wrtLeaves.compactMap { cotangent[$0] })
    let (value, aux) = tf.result(results[..<outputCount])
    if withValue { return .tuple([aux.map { .tuple([value, $0]) } ?? value, gradient]) }
    if let aux { return .tuple([gradient, aux]) }
    return gradient
  }
}
