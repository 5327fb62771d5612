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

    public init(memoryLimit: Int = .max, folding: (any ConstantFolding)? = nil) {
      self.memoryLimit = memoryLimit
      self.folding = folding
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

  /// Emits `primitive(inputs…)`, returning an existing value for a repeated equation and a
  /// constant when every input is one and ``Options/folding`` computes it.
  public func emit(
    _ primitive: Primitive, _ inputs: [Var], source: SourceRange? = nil
  ) throws(Diagnostic) -> Var {
    let type: TensorType
    do {
      type = try primitive.rule.outputType(inputs.map { graph.types[$0.id] })
    } catch {
      throw error.located(at: source)
    }
    let key = Key(primitive: primitive, inputs: inputs)
    if let v = existing[key] { return v }
    let values = inputs.compactMap { graph.constants[$0] }
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
    graph.equations.append(
      Equation(primitive: primitive, inputs: inputs, output: v, source: source))
    existing[key] = v
    return v
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
