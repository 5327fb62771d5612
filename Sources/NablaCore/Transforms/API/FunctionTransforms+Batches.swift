/// Batching a graph over many items at once (a `vmap`, or a Jacobian's basis), or over slices
/// of them when the whole batch would not fit in memory.
extension FunctionTransforms {
  /// At most this many slices (each is a copy of the batched graph).
  static let maxSlices = 256

  /// `g` batched over `size` items (its inputs marked `batched` take a leading axis of
  /// `size`) and inlined on `inputs(0..<size)`. Each output that depends on a batched input
  /// gains a leading axis of `size`; so do the others when `broadcastsOutputs`. Returns the
  /// outputs and which of them have the batch axis.
  ///
  /// With ``chunkSize`` (`chunk_size`), or when the statement is being traced for slicing
  /// (``Tracer/chunkBytes``) and the batch needs more than that, `g` is batched over
  /// consecutive slices of the items instead,
  /// inlined on `inputs(slice)`, and the slices' results are concatenated: each slice's
  /// intermediates die before the next starts, so the plan's peak memory falls to about one
  /// slice's worth plus the result.
  func batched(
    _ g: Graph, batched: [Bool], size: Int, broadcastsOutputs: Bool = true,
    inputs: (Range<Int>) throws(Diagnostic) -> [Traced]
  ) throws(Diagnostic) -> (outputs: [Traced], isBatched: [Bool]) {
    let options = session.buildOptions
    func batch(_ n: Int) throws(Diagnostic) -> Batching.Result {
      try Batching.transform(
        g, batched: batched, size: n, broadcastsOutputs: broadcastsOutputs, options: options)
    }
    let step: Int
    let one: Batching.Result
    if let chunkSize, chunkSize < size {
      one = try batch(1)
      // `chunk_size`: the user's slices, at most ``maxSlices`` of them (each is a copy of
      // the batched graph)
      step = max(chunkSize, (size + Self.maxSlices - 1) / Self.maxSlices)
    } else if let chunkBytes = tracer.chunkBytes, size > 1 {
      // memory grows linearly with the number of items batched together
      one = try batch(1)
      let perItem = ExecutionPlan(one.graph).peakBytes ?? .max
      let (needed, overflow) = perItem.multipliedReportingOverflow(by: size)
      let slices = min(size, Self.maxSlices, overflow ? .max : needed / max(1, chunkBytes) + 1)
      step = (size + slices - 1) / slices
    } else {
      let whole = try batch(size)
      return (try tracer.inline(whole.graph, try inputs(0..<size), range), whole.isBatched)
    }
    var parts: [[Traced]] = []
    var graphs: [Int: Batching.Result] = [:]
    for start in stride(from: 0, to: size, by: step) {
      let rows = start..<min(start + step, size)
      if session.cancellation.isCancelled { throw Diagnostic(.interrupted(), at: range) }
      if graphs[rows.count] == nil { graphs[rows.count] = try batch(rows.count) }
      guard let sliceGraph = graphs[rows.count] else { continue }
      parts.append(try tracer.inline(sliceGraph.graph, try inputs(rows), range))
    }
    var results: [Traced] = []
    for k in g.outputs.indices {
      // an output without the batch axis is the same in every slice
      results.append(
        one.isBatched[k] ? try tracer.concatenate(parts.map { $0[k] }, axis: 0, range) : parts[0][k]
      )
    }
    return (results, one.isBatched)
  }

  /// Items `rows` of `x` along its leading axis.
  func leadingSlice(_ x: Traced, _ rows: Range<Int>) throws(Diagnostic) -> Traced {
    guard rows != 0..<x.type.shape[0] else { return x }
    let rank = x.type.rank
    return try tracer.emit(
      .slice(
        start: [rows.lowerBound] + Array(repeating: 0, count: rank - 1),
        limit: [rows.upperBound] + x.type.shape.dropFirst(),
        stride: Array(repeating: 1, count: rank)), [x], range)
  }

  /// `g`, whose last input is one basis tensor of `type`, batched over the whole basis and
  /// inlined on `inputs` and the basis: each output gains a leading axis of `type.count`.
  func overBasis(_ g: Graph, _ inputs: [Traced], _ type: TensorType) throws(Diagnostic)
    -> [Traced]
  {
    let batchedInputs = g.inputs.indices.map { $0 == g.inputs.count - 1 }
    return try batched(g, batched: batchedInputs, size: type.count) { rows throws(Diagnostic) in
      inputs + [try basis(type, rows: rows)]
    }.outputs
  }

  /// The standard basis tensors of `type` numbered `rows`, stacked: `[rows.count, *shape]`
  /// (rows of the identity, reshaped), computed when the graph runs as `i == j` of two
  /// broadcast index vectors, so a large basis costs nothing to compile.
  func basis(_ type: TensorType, rows: Range<Int>) throws(Diagnostic) -> Traced {
    let n = type.count
    try tracer.checkShape([rows.count, n], range)
    let shape = [rows.count, n]
    let index = try tracer.constant(
      Tensor(shape: [n], values: (0..<n).map(Double.init), dtype: type.dtype))
    let rowIndex =
      rows == 0..<n
      ? index
      : try tracer.constant(
        Tensor(shape: [rows.count], values: rows.map(Double.init), dtype: type.dtype))
    let rowValues = try tracer.emit(.broadcast(shape: shape, dims: [0]), [rowIndex], range)
    let columns = try tracer.emit(.broadcast(shape: shape, dims: [1]), [index], range)
    let identity = try tracer.emit(.compare(.eq), [rowValues, columns], range)
    return try tracer.reshape(identity, [rows.count] + type.shape, range)
  }
}
