/// Forward mode as a graph transform: from `y = g(x)` build the graph of `(y, ∂g(x)·ẋ)`.
///
/// Each equation is copied, and its rule's JVP emits the output's tangent from the operands'
/// tangents. Tangents that are zero stay symbolic (`nil`) and emit nothing (JAX's `Zero`).
/// Under `--check-nans` the rule's equations carry the equation's source range and a
/// ``Provenance/Derivation`` naming its primitive, so a value that goes wrong in a derivative
/// points at its operation.
public enum JVP {
  /// The inputs of the result are `g`'s inputs followed by one tangent input for each input
  /// with `hasTangent`; its outputs are `g`'s outputs followed by their tangents (zeros where
  /// an output does not depend on any tangent). `linearizing` is set when the JVP is the first
  /// half of reverse mode (``VJP``), where a `custom_vjp` function is differentiated by its
  /// `fwd` (forward mode refuses it).
  public static func transform(
    _ g: Graph, hasTangent: [Bool], linearizing: Bool = false,
    options: GraphBuilder.Options = .init()
  ) throws(Diagnostic) -> Graph {
    let b = GraphBuilder(options)
    let primals = g.inputs.map { b.input(g.type(of: $0)) }
    var tangent: [Var: Var] = [:]
    for (v, has) in zip(g.inputs, hasTangent) where has { tangent[v] = b.input(g.type(of: v)) }
    for t in tangent.values { b.markTangent(t) }
    var walk = try GraphWalk(g, into: b, inputs: primals)
    try walk.reemit { eq, inputs throws(Diagnostic) in
      let tangents = eq.inputs.map { tangent[$0] }
      guard tangents.contains(where: { $0 != nil }) else {
        return try b.emit(eq.primitive, inputs, provenance: eq.provenance)
      }
      let rule = options.derivativeRules(eq.primitive)
      if [.customJVP, .customVJP, .customVJPTangent].contains(eq.primitive.kind),
        let custom = rule as? any CustomDerivativeRule
      {
        // a user's rule gives the primal output as well as its tangent
        do throws(Diagnostic) {
          let (out, t) = try b.attributing(eq.provenance.differentiated(eq.primitive)) {
            () throws(Diagnostic) in
            try custom.jvpWithPrimal(inputs, tangents, linearizing: linearizing, b)
          }
          if let t { tangent[eq.output] = t }
          return out
        } catch {
          throw error.located(at: eq.source)
        }
      }
      let out = try b.emit(eq.primitive, inputs, provenance: eq.provenance)
      do throws(Diagnostic) {
        // the rule's equations point at the operation they differentiate
        let t = try b.attributing(eq.provenance.differentiated(eq.primitive)) {
          () throws(Diagnostic) in try rule.jvp(inputs, tangents, output: out, b)
        }
        if let t { tangent[eq.output] = t }
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
