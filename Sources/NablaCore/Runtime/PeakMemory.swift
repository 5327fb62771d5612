/// The most bytes a plan holds at once, and what they are at that moment.
///
/// Walking the plan's steps in order, each computed value is alive from its step to its last
/// read (`peak = max over steps of Σ bytes alive`); inputs and constants are held by the caller
/// and the graph for the whole run; a fused broadcast or chain member takes no memory; a fused
/// chain writing over a dying operand takes none either; a concatenation assembled in place
/// (``ExecutionPlan/Placement``) holds its result from its first operand on, and each operand
/// only until it is placed.
public struct PeakMemory: Sendable, Equatable {
  /// Bytes alive at the peak.
  public var total: Int
  /// The graph's inputs and constants (always alive).
  public var inputs: Int
  /// The plan's results alive at the peak (including a concatenation being assembled whose
  /// result is a result of the plan).
  public var outputs: Int
  /// Everything else alive at the peak.
  public var intermediates: Int { total - inputs - outputs }
  /// The bytes of all of the plan's results (each counted once), alive at the peak or not.
  public var allOutputs: Int

  /// The peak of running `steps` over `graph`, or `nil` if a byte count overflows.
  init?(
    _ graph: Graph, _ steps: [ExecutionPlan.Step], _ reads: [[Var]], _ lastUse: [Int],
    _ placements: [[ExecutionPlan.Placement]]
  ) {
    func bytes(_ v: Var) -> Int? {
      let t = graph.type(of: v)
      guard let n = Shape.elementCount(t.shape) else { return nil }
      let (b, overflow) = n.multipliedReportingOverflow(by: t.dtype.byteSize)
      return overflow ? nil : b
    }
    var held = Array(repeating: false, count: graph.types.count)
    var isOutput = Array(repeating: false, count: graph.types.count)
    for v in graph.outputs { isOutput[v.id] = true }
    var inputs = 0
    for v in graph.inputs + Array(graph.constants.keys) where !held[v.id] {
      held[v.id] = true
      guard let b = bytes(v) else { return nil }
      inputs += b
    }
    var allOutputs = 0
    var counted = Set<Var>()
    for v in graph.outputs where !held[v.id] && counted.insert(v).inserted {
      guard let b = bytes(v) else { return nil }
      allOutputs += b
    }
    var live = inputs
    var liveOutputs = 0
    var best = (total: live, outputs: 0)
    var freed = Array(repeating: false, count: graph.types.count)
    var assembling = Set<Int>()
    func allocate(_ v: Var) -> Bool {
      guard let b = bytes(v) else { return false }
      let (l, overflow) = live.addingReportingOverflow(b)
      if overflow { return false }
      live = l
      if isOutput[v.id] { liveOutputs += b }
      if live > best.total { best = (live, liveOutputs) }
      return true
    }
    func free(_ v: Var) {
      guard !held[v.id], !freed[v.id] else { return }
      freed[v.id] = true
      let b = bytes(v) ?? 0
      live -= b
      if isOutput[v.id] { liveOutputs -= b }
    }
    for (i, eq) in graph.equations.enumerated() {
      switch steps[i] {
      case .fusedAway:
        continue
      case .fused(_, let reused?):
        // the result takes over the buffer of a value that dies here
        freed[reused.id] = true
        let b = bytes(reused) ?? 0
        if isOutput[eq.output.id] { liveOutputs += b }
      case .assembled:
        // allocated with its first operand
        break
      case .evaluate, .strided, .fused, .fusedReduction:
        guard allocate(eq.output) else { return nil }
      }
      for v in reads[i] where lastUse[v.id] == i { free(v) }
      for p in placements[i] {
        if assembling.insert(p.into).inserted {
          guard allocate(graph.equations[p.into].output) else { return nil }
        }
        free(p.value)
      }
    }
    self.total = best.total
    self.inputs = inputs
    self.outputs = best.outputs
    self.allOutputs = allOutputs
  }
}

extension ExecutionPlan {
  /// Whether the plan's peak is known and at most `limit` bytes.
  public func fits(_ limit: Int) -> Bool {
    peakBytes.map { $0 <= limit } ?? false
  }
}
