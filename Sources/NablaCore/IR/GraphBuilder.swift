import Synchronization

/// Gives every builder a distinct identity.
private let nextBuilderID = Atomic<Int>(1)

/// Evaluates an equation whose operands are all known while a graph is built (constant
/// folding). The optimiser provides it; a builder without one emits every equation.
public protocol ConstantFolding: Sendable {
  /// The value of `primitive(values…)`, of type `type`, or `nil` to leave it an equation.
  func fold(_ primitive: Primitive, _ values: [Tensor], type: TensorType) throws(Diagnostic)
    -> Tensor?
}

/// Builds a ``Graph`` one equation at a time.
///
/// Equations are hash-consed (an identical primitive applied to identical inputs returns the
/// existing value: common-subexpression elimination for free, like tinygrad's `ucache`), and an
/// equation whose inputs are all constants is handed to ``Options/folding``, which may compute
/// it at once.
public final class GraphBuilder {
  /// What every builder of one statement shares.
  public struct Options: Sendable {
    /// Constants (literals, random draws, folded equations) may hold at most this many bytes.
    public var memoryLimit: Int
    public var folding: (any ConstantFolding)?
    /// Where ``JVP`` and ``VJP`` find each primitive's derivative rules: ``Primitive/rule``.
    /// Only tests replace it (with a deliberately wrong rule, which `gradcheck` must catch);
    /// nothing in the language or on the command line reaches it.
    var derivativeRules: @Sendable (Primitive) -> any PrimitiveRule = { $0.rule }

    /// `--check-nans`: the transforms attribute each rule's equations to the operation it
    /// differentiates, batches or rewrites (``Provenance``), and a derivative equation of a
    /// user's operation on constants records the operation's operands. Off, building costs
    /// what it did without provenance.
    public var checksNonFinite = false

    public init(
      memoryLimit: Int = .max, folding: (any ConstantFolding)? = nil, checksNonFinite: Bool = false
    ) {
      self.memoryLimit = memoryLimit
      self.folding = folding
      self.checksNonFinite = checksNonFinite
    }
  }

  public private(set) var graph = Graph()
  private var existing: [Key: Var] = [:]
  private var constantsByKey: [ConstantKey: Var] = [:]
  /// Bytes held by constants; adding beyond ``Options/memoryLimit`` is refused.
  private var constantBytes = 0
  public let options: Options
  public var memoryLimit: Int { options.memoryLimit }
  /// Distinguishes this builder's values from another builder's (nested traces).
  public let id = nextBuilderID.wrappingAdd(1, ordering: .relaxed).oldValue

  private struct Key: Hashable {
    var primitive: Primitive
    var inputs: [Var]
  }

  public init(_ options: Options = Options()) {
    self.options = options
  }

  public func type(of v: Var) -> TensorType { graph.types[v.id] }

  /// The value of `v` if it is known before running.
  public func constantValue(_ v: Var) -> Tensor? { graph.constants[v] }

  private func newVar(_ type: TensorType) -> Var {
    let v = Var(graph.types.count)
    graph.types.append(type)
    if options.checksNonFinite, !tangentFlags.isEmpty { tangentFlags.append(false) }
    return v
  }

  /// Adds a graph input of the given type.
  public func input(_ type: TensorType) -> Var {
    let v = newVar(type)
    graph.inputs.append(v)
    return v
  }

  /// Adds a constant. The same tensor added again is the same value: a large one when it shares
  /// its storage (a graph inlined many times shares its constants), a small one when its
  /// elements are equal (two traces' identity bases become one).
  public func constant(_ tensor: Tensor) throws(Diagnostic) -> Var {
    let key: ConstantKey =
      tensor.count <= 4096
      ? .value(tensor.dtype, tensor.shape, tensor.bitPatterns)
      : .storage(tensor.storageIdentity, tensor.shape)
    if let v = constantsByKey[key] { return v }
    try reserve(tensor.count * tensor.dtype.byteSize)
    let v = newVar(tensor.type)
    graph.constants[v] = tensor
    constantsByKey[key] = v
    return v
  }

  /// How a constant is recognised when added again.
  private enum ConstantKey: Hashable {
    /// Small tensors by value (bit patterns, so `-0.0` and `0.0` stay apart).
    case value(DType, [Int], [UInt64])
    /// Large ones by the address of their storage (kept alive by ``graph``) and shape.
    case storage(Int, [Int])
  }

  /// A 0-d constant.
  public func scalar(_ value: Double, _ dtype: DType) throws(Diagnostic) -> Var {
    try constant(Tensor(scalar: value, dtype: dtype))
  }

  /// Refuses, before it is built, a constant of `count` elements of `dtype` that would take
  /// the constants past the memory limit (or whose size overflows).
  public func checkConstantSize(_ count: (partialValue: Int, overflow: Bool), _ dtype: DType)
    throws(Diagnostic)
  {
    let bytes = count.partialValue.multipliedReportingOverflow(by: dtype.byteSize)
    let (total, overflow) = constantBytes.addingReportingOverflow(bytes.partialValue)
    guard !count.overflow, !bytes.overflow, !overflow, total <= memoryLimit else {
      throw Diagnostic(
        .memoryLimitExceeded(bytes: overflow ? .max : total, limit: memoryLimit), at: nil)
    }
  }

  private func reserve(_ bytes: Int) throws(Diagnostic) {
    let (total, overflow) = constantBytes.addingReportingOverflow(bytes)
    guard !overflow, total <= memoryLimit else {
      throw Diagnostic(.memoryLimitExceeded(bytes: total, limit: memoryLimit), at: nil)
    }
    constantBytes = total
  }

  /// How many equations that compute (not only arrange elements) were folded into constants
  /// while tracing (``Options/folding``) instead of emitted.
  public private(set) var computedFolds = 0

  /// What equations emitted without a source range are attributed to, under
  /// ``Options/checksNonFinite``: the transforms set it around the rules they call
  /// (``attributing(_:_:)``), so a rule's equations point at the operation it differentiates,
  /// batches or rewrites.
  public private(set) var provenance = Provenance()

  /// Whether each value (by ``Var/id``) is linear in the tangents (or cotangents) of the
  /// derivative being built: JVP and VJP mark their tangent inputs (``markTangent(_:)``), and
  /// an equation reading one computes one too. Such an equation emitted under a
  /// ``Provenance/Derivation`` is part of the chain rule. Empty until a value is marked.
  private var tangentFlags: [Bool] = []

  /// Marks `v` as a tangent (or cotangent) input of the derivative being built (under
  /// ``Options/checksNonFinite``; otherwise nothing is tracked).
  public func markTangent(_ v: Var) {
    guard options.checksNonFinite else { return }
    if tangentFlags.isEmpty { tangentFlags = Array(repeating: false, count: graph.types.count) }
    tangentFlags[v.id] = true
  }

  /// Under ``Options/checksNonFinite``: the operands of the user's operations whose operands
  /// were all constants (such an operation is usually folded, or pruned once only its
  /// derivative is needed), for the derivative equations of the same operation to record.
  private var knownOperands: [KnownOperation: [Tensor]] = [:]

  private struct KnownOperation: Hashable {
    var kind: Primitive.Kind
    var range: SourceRange
  }

  /// Runs `body` with equations emitted without a source range attributed to `provenance`
  /// (under ``Options/checksNonFinite``; otherwise it only runs `body`, and `provenance` is
  /// never computed).
  public func attributing<T>(
    _ provenance: @autoclosure () -> Provenance, _ body: () throws(Diagnostic) -> T
  ) throws(Diagnostic) -> T {
    guard options.checksNonFinite else { return try body() }
    let saved = self.provenance
    self.provenance = provenance()
    defer { self.provenance = saved }
    return try body()
  }

  /// Emits `primitive(inputs…)` at `source` (a user's operation), or, without one, attributed
  /// to ``provenance``.
  public func emit(
    _ primitive: Primitive, _ inputs: [Var], source: SourceRange? = nil
  ) throws(Diagnostic) -> Var {
    try emit(primitive, inputs, provenance: provenance(of: source))
  }

  /// The provenance of an equation emitted at `source`: a user's operation there, or without
  /// one, ``provenance`` (empty unless ``Options/checksNonFinite``).
  public func provenance(of source: SourceRange?) -> Provenance {
    if let source { return Provenance(range: source) }
    return options.checksNonFinite ? provenance : Provenance()
  }

  /// Emits `primitive(inputs…)`, returning an existing value for a repeated equation and a
  /// constant when every input is one and ``Options/folding`` computes it.
  public func emit(
    _ primitive: Primitive, _ inputs: [Var], provenance: Provenance
  ) throws(Diagnostic) -> Var {
    let source = provenance.range
    let type: TensorType
    do {
      type = try primitive.rule.outputType(inputs.map { graph.types[$0.id] })
    } catch {
      throw error.located(at: source)
    }
    let key = Key(primitive: primitive, inputs: inputs)
    if let v = existing[key] { return v }
    let values = inputs.compactMap { graph.constants[$0] }
    if options.checksNonFinite, values.count == inputs.count {
      recordKnownOperands(primitive, values, provenance)
    }
    if values.count == inputs.count, let folding = options.folding {
      let folded: Tensor?
      do {
        folded = try folding.fold(primitive, values, type: type)
      } catch {
        throw error.located(at: source)
      }
      if let folded {
        if !primitive.rule.arrangesElements { computedFolds += 1 }
        let v = try constant(folded)  // an equal constant folded elsewhere is the same value
        existing[key] = v
        return v
      }
    }
    let v = newVar(type)
    let recorded = options.checksNonFinite ? derivationDetails(provenance, inputs, v) : provenance
    graph.equations.append(
      Equation(primitive: primitive, inputs: inputs, output: v, provenance: recorded))
    existing[key] = v
    return v
  }

  /// Records the operands of a user's operation on constants `values`.
  private func recordKnownOperands(
    _ primitive: Primitive, _ values: [Tensor], _ provenance: Provenance
  ) {
    guard provenance.derivation == nil, let range = provenance.range,
      values.allSatisfy({ $0.count <= 4096 })
    else { return }
    knownOperands[KnownOperation(kind: primitive.kind, range: range)] = values
  }

  /// `provenance` for the equation computing `v` from `inputs`, with what only the builder
  /// knows: the constant operands of the operation a derivative equation differentiates, and
  /// whether it reads a tangent (then it is part of the chain rule, and so is `v`).
  private func derivationDetails(_ provenance: Provenance, _ inputs: [Var], _ v: Var)
    -> Provenance
  {
    var provenance = provenance
    if !knownOperands.isEmpty, let d = provenance.derivation, d.constantOperands == nil,
      let range = provenance.range,
      let operands = knownOperands[KnownOperation(kind: d.primitive, range: range)]
    {
      provenance.derivation = d.with(constantOperands: operands)
    }
    if !tangentFlags.isEmpty, inputs.contains(where: { tangentFlags[$0.id] }) {
      tangentFlags[v.id] = true
      provenance.derivation = provenance.derivation?.with(part: .chainRule)
    }
    return provenance
  }

  /// The finished graph with the given outputs, keeping only what they need.
  public func finish(outputs: [Var]) -> Graph {
    var g = graph
    g.outputs = outputs
    return g.prunedToOutputs()
  }
}

extension Graph {
  /// The graph without equations and constants that no output depends on (dead-code elimination).
  public func prunedToOutputs() -> Graph {
    var live = Set(outputs)
    var kept: [Equation] = []
    for eq in equations.reversed() where live.contains(eq.output) {
      kept.append(eq)
      live.formUnion(eq.inputs)
    }
    var g = self
    g.equations = kept.reversed()
    g.constants = constants.filter { live.contains($0.key) }
    return g
  }
}
