/// Rewrites a finished graph into a cheaper one computing the same values (ARCHITECTURE.md,
/// "Optimiser" 1–2): every equation is re-emitted through a ``Rewriter``, which applies
/// algebraic identities and uses the structure of Jacobian bases, and through its
/// ``GraphBuilder`` (so CSE and constant folding apply again); equations whose values are no
/// longer needed are pruned.
///
/// Inputs keep their order and outputs their positions, so results still match the traced
/// values they came from.
public enum Simplifier {
  public static func simplify(_ g: Graph, memoryLimit: Int = .max) throws(Diagnostic) -> Graph {
    let rewriter = Rewriter(memoryLimit: memoryLimit)
    var value: [Var: Var] = [:]
    for v in g.inputs { value[v] = rewriter.builder.input(g.type(of: v)) }
    for (v, t) in g.constants.sorted(by: { $0.key < $1.key }) {
      value[v] = try rewriter.builder.constant(t)
    }
    for eq in g.equations {
      value[eq.output] = try rewriter.emit(
        eq.primitive, eq.inputs.map { value[$0] ?? $0 }, source: eq.source)
    }
    return rewriter.builder.finish(outputs: g.outputs.map { value[$0] ?? $0 })
  }
}
