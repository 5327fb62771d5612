/// Forward mode as a graph transform: from `y = g(x)` build the graph of `(y, ∂g(x)·ẋ)`.
///
/// Each equation is copied, and its rule's JVP emits the output's tangent from the operands'
/// tangents. Tangents that are zero stay symbolic (`nil`) and emit nothing (JAX's `Zero`).
public enum JVP {
  /// The inputs of the result are `g`'s inputs followed by one tangent input for each input
  /// with `hasTangent`; its outputs are `g`'s outputs followed by their tangents (zeros where
  /// an output does not depend on any tangent).
  public static func transform(_ g: Graph, hasTangent: [Bool], memoryLimit: Int = .max)
    throws(Diagnostic) -> Graph
  {
    let b = GraphBuilder(memoryLimit: memoryLimit)
    var primal: [Var: Var] = [:]
    var tangent: [Var: Var] = [:]
    for v in g.inputs { primal[v] = b.input(g.type(of: v)) }
    for (v, has) in zip(g.inputs, hasTangent) where has { tangent[v] = b.input(g.type(of: v)) }
    for (v, t) in g.constants.sorted(by: { $0.key < $1.key }) { primal[v] = try b.constant(t) }
    for eq in g.equations {
      let inputs = eq.inputs.map { primal[$0] ?? $0 }
      let out = try b.emit(eq.primitive, inputs, source: eq.source)
      primal[eq.output] = out
      let tangents = eq.inputs.map { tangent[$0] }
      guard tangents.contains(where: { $0 != nil }) else { continue }
      do {
        if let t = try eq.primitive.rule.jvp(inputs, tangents, output: out, b) {
          tangent[eq.output] = t
        }
      } catch {
        throw error.located(at: eq.source)
      }
    }
    var outputs = g.outputs.map { primal[$0] ?? $0 }
    for v in g.outputs {
      outputs.append(try b.orZeros(tangent[v], like: primal[v] ?? v))
    }
    return b.finish(outputs: outputs)
  }
}
