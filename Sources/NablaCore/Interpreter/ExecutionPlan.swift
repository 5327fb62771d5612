/// What running a graph needs that does not change between runs: each equation's rule, the
/// last use of every value (to free it), and the peak memory. Computed once per compiled
/// statement, so repeated runs (`--bench`, `:time`) pay only for the kernels.
public struct ExecutionPlan: Sendable {
  public let graph: Graph
  let rules: [any PrimitiveRule]
  /// For each value, the index of the last equation that reads it (`Int.max` for outputs).
  let lastUse: [Int]
  /// The most bytes alive at once, or `nil` if the count overflows.
  public let peakBytes: Int?

  public init(_ graph: Graph) {
    self.graph = graph
    rules = graph.equations.map(\.primitive.rule)
    var last = Array(repeating: -1, count: graph.types.count)
    for (i, eq) in graph.equations.enumerated() { for v in eq.inputs { last[v.id] = i } }
    for v in graph.outputs { last[v.id] = Int.max }
    lastUse = last
    peakBytes = Self.peak(graph, last)
  }

  /// Live bytes equation by equation, each value freed after its last use (inputs are held by
  /// the caller, so they stay).
  private static func peak(_ graph: Graph, _ lastUse: [Int]) -> Int? {
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
      guard let b = bytes(eq.output) else { return nil }
      let (l, overflow) = live.addingReportingOverflow(b)
      if overflow { return nil }
      live = l
      peak = max(peak, live)
      for v in eq.inputs where lastUse[v.id] == i && !isInput[v.id] && !freed[v.id] {
        freed[v.id] = true
        live -= bytes(v) ?? 0
      }
    }
    return peak
  }
}
