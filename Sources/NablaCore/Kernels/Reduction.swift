/// How a reduction combines elements. Float32 input is accumulated in Double and rounded once.
enum ReductionKind: Sendable {
  case sum, max, min, prod

  func reduce(_ values: UnsafeBufferPointer<Double>) -> Double {
    switch self {
    case .sum:
      var s = 0.0
      for v in values { s += v }
      return s
    case .prod:
      var p = 1.0
      for v in values { p *= v }
      return p
    case .max:
      var m = -Double.infinity
      for v in values {
        if v.isNaN { return v }
        if v > m { m = v }
      }
      return m
    case .min:
      var m = Double.infinity
      for v in values {
        if v.isNaN { return v }
        if v < m { m = v }
      }
      return m
    }
  }
}

extension ReductionKind {
  var identity: Double {
    switch self {
    case .sum: 0
    case .prod: 1
    case .max: -.infinity
    case .min: .infinity
    }
  }

  @inline(__always) func combine(_ acc: Double, _ v: Double) -> Double {
    switch self {
    case .sum: return acc + v
    case .prod: return acc * v
    case .max: return acc.isNaN || v.isNaN ? .nan : Swift.max(acc, v)
    case .min: return acc.isNaN || v.isNaN ? .nan : Swift.min(acc, v)
    }
  }
}

/// Elements in a chunk of a long run: each chunk is reduced on its own (in parallel) and the
/// chunks' results are combined in order, so the result depends only on this size, never on
/// the thread count.
let reductionChunk = 1 << 15

/// `kind` over `count` contiguous elements, in Double: eight interleaved partial results (lane
/// `k` takes elements `k`, `k + 8`, …, so eight additions are in flight instead of one),
/// combined in lane order, then the last `count % 8` elements in order.
@inline(__always)
func reduceRun<T: TensorScalar>(
  _ p: UnsafePointer<T>, _ count: Int, _ kind: ReductionKind
) -> Double {
  @inline(__always) func load(_ j: Int) -> SIMD8<Double> {
    SIMD8(
      Double(p[j]), Double(p[j + 1]), Double(p[j + 2]), Double(p[j + 3]), Double(p[j + 4]),
      Double(p[j + 5]), Double(p[j + 6]), Double(p[j + 7]))
  }
  var lanes = SIMD8<Double>(repeating: kind.identity)
  var nan = SIMDMask<SIMD8<Int64>>(repeating: false)
  var j = 0
  switch kind {
  case .sum:
    while j + 8 <= count {
      lanes += load(j)
      j += 8
    }
  case .prod:
    while j + 8 <= count {
      lanes *= load(j)
      j += 8
    }
  case .max:
    while j + 8 <= count {
      let v = load(j)
      lanes.replace(with: v, where: v .> lanes)
      nan .|= v .!= v
      j += 8
    }
  case .min:
    while j + 8 <= count {
      let v = load(j)
      lanes.replace(with: v, where: v .< lanes)
      nan .|= v .!= v
      j += 8
    }
  }
  if any(nan) { return .nan }
  var result = kind.identity
  for k in 0..<8 { result = kind.combine(result, lanes[k]) }
  while j < count {
    result = kind.combine(result, Double(p[j]))
    j += 1
  }
  return result
}

/// Reduces contiguous runs (the reduced axes are the trailing ones) or strided columns (the
/// leading ones) directly from the tensor's own elements, accumulating in Double, on the
/// worker pool when the work is large; `nil` for other axis sets. Trailing runs are reduced
/// by ``reduceRun`` (long ones in fixed chunks); columns accumulate row by row, in order.
private func reduceFast<T: TensorScalar>(
  _ a: [T], shape: [Int], axes: [Int], kind: ReductionKind
) -> [Double]? {
  let rank = shape.count
  let k = axes.count
  let sorted = axes.sorted()
  if sorted == Array((rank - k)..<rank) {
    let run = shape[(rank - k)...].reduce(1, *)
    let outCount = shape[..<(rank - k)].reduce(1, *)
    var out = [Double](repeating: kind.identity, count: outCount)
    a.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        guard let p = p.baseAddress, let o = o.baseAddress, run > 0 else { return }
        guard run > 2 * reductionChunk else {
          WorkerPool.forEachRange(outCount, costPerItem: run) { rows in
            for i in rows { o[i] = reduceRun(p + i * run, run, kind) }
          }
          return
        }
        let chunks = (run + reductionChunk - 1) / reductionChunk
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
        defer { partials.deallocate() }
        for i in 0..<outCount {
          let base = p + i * run
          WorkerPool.forEachRange(chunks, costPerItem: reductionChunk) { range in
            for c in range {
              let start = c * reductionChunk
              partials[c] = reduceRun(base + start, min(reductionChunk, run - start), kind)
            }
          }
          var result = kind.identity
          for c in 0..<chunks { result = kind.combine(result, partials[c]) }
          o[i] = result
        }
      }
    }
    return out
  }
  if sorted == Array(0..<k) {
    let rows = shape[..<k].reduce(1, *)
    let width = shape[k...].reduce(1, *)
    var out = [Double](repeating: kind.identity, count: width)
    a.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        guard let p = p.baseAddress, let o = o.baseAddress else { return }
        WorkerPool.forEachRange(width, costPerItem: rows) { columns in
          for r in 0..<rows {
            let row = p + r * width
            if kind == .sum {
              for j in columns { o[j] += Double(row[j]) }
            } else {
              for j in columns { o[j] = kind.combine(o[j], Double(row[j])) }
            }
          }
        }
      }
    }
    return out
  }
  return nil
}

/// Reduces `axes` of a tensor away.
///
/// Trailing or leading axes are reduced in place; otherwise the kept axes are moved to the
/// front and the reduced ones to the back with one gather, so each output element reduces one
/// contiguous run. Either way each output accumulates its elements in the same index order.
func reduce(_ x: Tensor, axes: [Int], kind: ReductionKind) -> Tensor {
  let fast: [Double]? =
    switch x.storage {
    case .f32(let a): reduceFast(a, shape: x.shape, axes: axes, kind: kind)
    case .f64(let a): reduceFast(a, shape: x.shape, axes: axes, kind: kind)
    }
  let removed = Set(axes)
  if let fast {
    let outShape = x.shape.indices.filter { !removed.contains($0) }.map { x.shape[$0] }
    return Tensor(shape: outShape, values: fast, dtype: x.dtype)
  }
  let reduced = Set(axes)
  let kept = (0..<x.rank).filter { !reduced.contains($0) }
  let order = kept + axes.sorted()
  let strides = Shape.strides(x.shape)
  let outShape = kept.map { x.shape[$0] }
  let outCount = outShape.reduce(1, *)
  let run = axes.reduce(1) { $0 * x.shape[$1] }
  let moved = stridedGather(
    x.doubles, offset: 0, shape: order.map { x.shape[$0] }, strides: order.map { strides[$0] })
  var out = [Double](repeating: 0, count: outCount)
  moved.withUnsafeBufferPointer { m in
    for i in 0..<outCount {
      out[i] = kind.reduce(UnsafeBufferPointer(rebasing: m[(i * run)..<(i * run + run)]))
    }
  }
  return Tensor(shape: outShape, values: out, dtype: x.dtype)
}
