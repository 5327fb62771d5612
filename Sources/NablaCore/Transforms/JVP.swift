/// Forward mode as a graph transform: from `y = g(x)` build the graph of `(y, ∂g(x)·ẋ)`.
///
/// Each equation is copied, and its rule's JVP emits the output's tangent from the operands'
/// tangents. Tangents that are zero stay symbolic (`nil`) and emit nothing (JAX's `Zero`).
public enum JVP {
  /// The inputs of the result are `g`'s inputs followed by one tangent input for each input
  /// with `hasTangent`; its outputs are `g`'s outputs followed by their tangents (zeros where
  /// an output does not depend on any tangent).
  public static func transform(
    _ g: Graph, hasTangent: [Bool], options: GraphBuilder.Options = .init()
  ) throws(Diagnostic) -> Graph {
    let b = GraphBuilder(options)
    let primals = g.inputs.map { b.input(g.type(of: $0)) }
    var tangent: [Var: Var] = [:]
    for (v, has) in zip(g.inputs, hasTangent) where has { tangent[v] = b.input(g.type(of: v)) }
    var walk = try GraphWalk(g, into: b, inputs: primals)
    try walk.reemit { eq, inputs throws(Diagnostic) in
      let out = try b.emit(eq.primitive, inputs, source: eq.source)
      let tangents = eq.inputs.map { tangent[$0] }
      guard tangents.contains(where: { $0 != nil }) else { return out }
      do throws(Diagnostic) {
        let rule = options.derivativeRules(eq.primitive)
        if let t = try rule.jvp(inputs, tangents, output: out, b) {
          tangent[eq.output] = t
        }
      } catch {
        throw error.located(at: eq.source)
      }
      return out
    }
    var outputs = try walk.outputs()
    for (v, y) in zip(g.outputs, outputs) { outputs.append(try b.orZeros(tangent[v], like: y)) }
    return b.finish(outputs: outputs)
  }
}
