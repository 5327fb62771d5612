/// An SSA value of a graph: defined once, by an input, a constant or an equation.
public struct Var: Hashable, Sendable, Comparable {
  public let id: Int
  public init(_ id: Int) { self.id = id }
  public static func < (a: Var, b: Var) -> Bool { a.id < b.id }
}

/// `output = primitive(inputs…)`, with where in the source it came from.
public struct Equation: Sendable {
  public var primitive: Primitive
  public var inputs: [Var]
  public var output: Var
  public var provenance: Provenance

  /// The user's source span it computes (for a derivative equation, the operation's span).
  public var source: SourceRange? { provenance.range }
}

/// A closed, typed, single-assignment program (JAX's jaxpr): inputs, constants, equations in
/// dependency order, outputs.
public struct Graph: Sendable {
  public var inputs: [Var] = []
  /// Values known before running (literals, folded constants, random draws made when tracing).
  public var constants: [Var: Tensor] = [:]
  public var equations: [Equation] = []
  public var outputs: [Var] = []
  /// The type of every value, indexed by ``Var/id``.
  public var types: [TensorType] = []

  public init() {}

  public func type(of v: Var) -> TensorType { types[v.id] }
}
