/// What running a graph needs that does not change between runs: how each equation runs, the
/// last use of every value (to free it), and the peak memory. Computed once per compiled
/// statement, so repeated runs (`--bench`, `:time`) pay only for the kernels.
///
/// A broadcast whose only reader is an elementwise operation is fused into it: the operation
/// reads the broadcast's source through strides (``StridedView``) and the broadcast never
/// materialises.
public struct ExecutionPlan: Sendable {
  public let graph: Graph
  let rules: [any PrimitiveRule]
  /// How each equation runs.
  let steps: [Step]
  /// The values each equation reads (a fused operand's source instead of the broadcast).
  let reads: [[Var]]
  /// For each value, the index of the last equation that reads it (`Int.max` for outputs).
  let lastUse: [Int]
  /// The most bytes alive at once, or `nil` if the count overflows.
  public let peakBytes: Int?
  /// Elements written up to and including each equation (progress is measured in these).
  let work: [Int]

  enum Step: Sendable {
    /// `rule.evaluate(inputs)`.
    case evaluate
    /// A broadcast fused into its reader: nothing to run.
    case fusedAway
    /// An elementwise operation reading operand `k` through `operands[k]` when it is non-nil
    /// (a fused broadcast), else contiguously.
    case strided(any StridedOperandsRule, [FusedOperand?])
  }

  /// A broadcast's source and the strides that read it as the broadcast.
  struct FusedOperand: Sendable {
    var source: Var
    var strides: [Int]
  }

  public init(_ graph: Graph) {
    self.graph = graph
    let rules = graph.equations.map(\.primitive.rule)
    var steps = Array(repeating: Step.evaluate, count: rules.count)
    var reads = graph.equations.map(\.inputs)
    var uses = Array(repeating: 0, count: graph.types.count)
    for eq in graph.equations { for v in eq.inputs { uses[v.id] += 1 } }
    for v in graph.outputs { uses[v.id] += 1 }
    var producer: [Var: Int] = [:]
    for (i, eq) in graph.equations.enumerated() {
      producer[eq.output] = i
      guard let rule = rules[i] as? any StridedOperandsRule else { continue }
      let operands = eq.inputs.map { v -> FusedOperand? in
        guard uses[v.id] == 1, let j = producer[v],
          case .broadcast(let shape, let dims) = graph.equations[j].primitive
        else { return nil }
        let source = graph.equations[j].inputs[0]
        let strides = Broadcast(shape: shape, dims: dims).strides(
          operand: graph.type(of: source).shape)
        steps[j] = .fusedAway
        reads[j] = []
        return FusedOperand(source: source, strides: strides)
      }
      if operands.contains(where: { $0 != nil }) {
        steps[i] = .strided(rule, operands)
        reads[i] = zip(eq.inputs, operands).map { $1?.source ?? $0 }
      }
    }
    var last = Array(repeating: -1, count: graph.types.count)
    for (i, r) in reads.enumerated() { for v in r { last[v.id] = i } }
    for v in graph.outputs { last[v.id] = Int.max }
    self.rules = rules
    self.steps = steps
    self.reads = reads
    lastUse = last
    peakBytes = Self.peak(graph, steps, reads, last)
    var written = 0
    work = graph.equations.map { eq in
      written = written &+ (Shape.elementCount(graph.type(of: eq.output).shape) ?? 0)
      return written
    }
  }

  /// Live bytes equation by equation, each value freed after its last use (inputs are held by
  /// the caller, so they stay; a fused broadcast takes no memory).
  private static func peak(_ graph: Graph, _ steps: [Step], _ reads: [[Var]], _ lastUse: [Int])
    -> Int?
  {
    func bytes(_ v: Var) -> Int? {
      let t = graph.type(of: v)
      guard let n = Shape.elementCount(t.shape) else { return nil }
      let (b, overflow) = n.multipliedReportingOverflow(by: t.dtype.byteSize)
      return overflow ? nil : b
    }
    var isInput = Array(repeating: false, count: graph.types.count)
    for v in graph.inputs { isInput[v.id] = true }
    var live = 0
    for v in graph.inputs + Array(graph.constants.keys) {
      guard let b = bytes(v) else { return nil }
      live += b
    }
    var peak = live
    var freed = Array(repeating: false, count: graph.types.count)
    for (i, eq) in graph.equations.enumerated() {
      if case .fusedAway = steps[i] { continue }
      guard let b = bytes(eq.output) else { return nil }
      let (l, overflow) = live.addingReportingOverflow(b)
      if overflow { return nil }
      live = l
      peak = max(peak, live)
      for v in reads[i] where lastUse[v.id] == i && !isInput[v.id] && !freed[v.id] {
        freed[v.id] = true
        live -= bytes(v) ?? 0
      }
    }
    return peak
  }
}
