/// Batching a graph over many items at once, or over slices of them when the whole batch
/// would not fit in memory.
extension Tracer {
  /// At most this many slices (each is a copy of the batched graph).
  static let maxSlices = 256

  /// `g` batched over `size` items (its inputs marked `batched` take a leading axis of
  /// `size`) and inlined on `inputs(0..<size)`; each output gains a leading axis of `size`.
  ///
  /// When the statement is being traced for slicing (``chunkBytes``) and the batch needs more
  /// than that, `g` is batched over consecutive slices of the items instead, inlined on
  /// `inputs(slice)`, and the slices' results are concatenated: each slice's intermediates die
  /// before the next starts, so the plan's peak memory falls to about one slice's worth plus
  /// the result.
  func batchedInSlices(
    _ g: Graph, batched: [Bool], size: Int, _ r: SourceRange,
    inputs: (Range<Int>) throws(Diagnostic) -> [Traced]
  ) throws(Diagnostic) -> [Traced] {
    let limit = session.buildOptions
    guard let chunkBytes, size > 1 else {
      let whole = try Batching.transform(g, batched: batched, size: size, options: limit)
      return try inline(whole, try inputs(0..<size), r)
    }
    // memory grows linearly with the number of items batched together
    let one = try Batching.transform(g, batched: batched, size: 1, options: limit)
    let perItem = ExecutionPlan(one).peakBytes ?? .max
    let (needed, overflow) = perItem.multipliedReportingOverflow(by: size)
    let slices = min(size, Self.maxSlices, overflow ? .max : needed / max(1, chunkBytes) + 1)
    let step = (size + slices - 1) / slices
    var parts: [[Traced]] = []
    var graphs: [Int: Graph] = [:]
    for start in stride(from: 0, to: size, by: step) {
      let rows = start..<min(start + step, size)
      if session.cancellation.isCancelled { throw Diagnostic(.interrupted(), at: r) }
      if graphs[rows.count] == nil {
        graphs[rows.count] = try Batching.transform(
          g, batched: batched, size: rows.count, options: limit)
      }
      guard let graph = graphs[rows.count] else { continue }
      parts.append(try inline(graph, try inputs(rows), r))
    }
    var results: [Traced] = []
    for k in g.outputs.indices {
      results.append(try concatenate(parts.map { $0[k] }, axis: 0, r))
    }
    return results
  }

  /// Items `rows` of `x` along its leading axis.
  func leadingSlice(_ x: Traced, _ rows: Range<Int>, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    guard rows != 0..<x.type.shape[0] else { return x }
    let rank = x.type.rank
    return try emit(
      .slice(
        start: [rows.lowerBound] + Array(repeating: 0, count: rank - 1),
        limit: [rows.upperBound] + x.type.shape.dropFirst(),
        stride: Array(repeating: 1, count: rank)), [x], r)
  }
}
