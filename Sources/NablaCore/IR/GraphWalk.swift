/// Re-emits a graph into a builder, equation by equation, keeping the map from the graph's
/// values to the builder's: the one walk that JVP, VJP, batching, the simplifier and inlining
/// share. Each supplies only what it emits for an equation.
///
/// Reading a value the walk has not bound is an internal error (a transform that skipped an
/// equation another one needs), never a silent fallback.
public struct GraphWalk {
  public let graph: Graph
  private var values: [Var?]

  /// Starts a walk of `graph` into `builder`: its inputs stand for `inputs` (values of the
  /// builder, one per graph input; `nil` for an input no re-emitted equation may read) and its
  /// constants become constants of the builder.
  public init(_ graph: Graph, into builder: GraphBuilder, inputs: [Var?]) throws(Diagnostic) {
    guard inputs.count == graph.inputs.count else {
      throw Diagnostic(
        .internalError(
          "a graph of \(graph.inputs.count) inputs was re-emitted with \(inputs.count)"),
        at: nil)
    }
    self.graph = graph
    values = Array(repeating: nil, count: graph.types.count)
    for (v, w) in zip(graph.inputs, inputs) { values[v.id] = w }
    for (v, t) in graph.constants.sorted(by: { $0.key < $1.key }) {
      values[v.id] = try builder.constant(t)
    }
  }

  /// Makes `w` the value standing for the graph's `v`.
  public mutating func bind(_ v: Var, _ w: Var) { values[v.id] = w }

  /// Whether the walk has a value for `v`.
  public func isBound(_ v: Var) -> Bool { values[v.id] != nil }

  /// The value standing for the graph's `v`.
  public func value(_ v: Var) throws(Diagnostic) -> Var {
    guard v.id < values.count, let w = values[v.id] else {
      throw Diagnostic(.internalError("a graph walk read %\(v.id) before defining it"), at: nil)
    }
    return w
  }

  public func values(_ vs: [Var]) throws(Diagnostic) -> [Var] {
    var out: [Var] = []
    out.reserveCapacity(vs.count)
    for v in vs { out.append(try value(v)) }
    return out
  }

  /// The values standing for the graph's outputs.
  public func outputs() throws(Diagnostic) -> [Var] { try values(graph.outputs) }

  /// Visits the graph's equations in order (those `including` accepts), binding each output to
  /// what `emit` returns for the equation and its operands' values.
  public mutating func reemit(
    including: (Equation) -> Bool = { _ in true },
    _ emit: (Equation, [Var]) throws(Diagnostic) -> Var
  ) throws(Diagnostic) {
    for eq in graph.equations where including(eq) {
      values[eq.output.id] = try emit(eq, try values(eq.inputs))
    }
  }
}
