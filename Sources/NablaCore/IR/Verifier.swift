/// Checks the invariants every graph must hold (autodidax's `typecheck_jaxpr`): each value is
/// defined once before it is used, and each equation's recorded type is what its rule computes.
public enum Verifier {
  public static func verify(_ graph: Graph) throws(Diagnostic) {
    var defined = Set<Var>()
    func define(_ v: Var) throws(Diagnostic) {
      guard v.id >= 0, v.id < graph.types.count else {
        throw internalError("value %\(v.id) has no type", graph)
      }
      guard defined.insert(v).inserted else {
        throw internalError("value %\(v.id) is defined twice", graph)
      }
    }
    for v in graph.inputs { try define(v) }
    for v in graph.constants.keys.sorted() {
      try define(v)
      guard graph.constants[v]?.type == graph.types[v.id] else {
        throw internalError("constant %\(v.id) does not match its type", graph)
      }
    }
    for eq in graph.equations {
      for input in eq.inputs where !defined.contains(input) {
        throw internalError("value %\(input.id) is used before it is defined", graph)
      }
      let expected: TensorType
      do {
        expected = try eq.primitive.rule.outputType(eq.inputs.map { graph.types[$0.id] })
      } catch {
        throw internalError("\(eq.primitive.kind.rawValue): \(error.message.text)", graph)
      }
      guard expected == graph.types[eq.output.id] else {
        throw internalError(
          "\(eq.primitive.kind.rawValue) records \(graph.types[eq.output.id]) but its rule gives \(expected)",
          graph)
      }
      try define(eq.output)
    }
    for v in graph.outputs where !defined.contains(v) {
      throw internalError("output %\(v.id) is not defined", graph)
    }
  }

  private static func internalError(_ what: String, _ graph: Graph) -> Diagnostic {
    Diagnostic(.invalidGraph(what + "\n" + GraphPrinter.print(graph)), at: nil)
  }
}
