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

/// Reduces contiguous runs (the reduced axes are the trailing ones) or strided columns (the
/// leading ones) directly from the tensor's own elements, accumulating in Double in index
/// order; `nil` for other axis sets.
private func reduceFast<T: TensorScalar>(
  _ a: [T], shape: [Int], axes: [Int], kind: ReductionKind
) -> [Double]? {
  let rank = shape.count
  let k = axes.count
  let sorted = axes.sorted()
  if sorted == Array((rank - k)..<rank) {
    let run = shape[(rank - k)...].reduce(1, *)
    let outCount = shape[..<(rank - k)].reduce(1, *)
    return a.withUnsafeBufferPointer { p in
      (0..<outCount).map { i in
        var acc = kind.identity
        let base = i * run
        if kind == .sum {
          for j in 0..<run { acc += Double(p[base + j]) }
        } else {
          for j in 0..<run { acc = kind.combine(acc, Double(p[base + j])) }
        }
        return acc
      }
    }
  }
  if sorted == Array(0..<k) {
    let rows = shape[..<k].reduce(1, *)
    let width = shape[k...].reduce(1, *)
    var out = [Double](repeating: kind.identity, count: width)
    a.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        for r in 0..<rows {
          let base = r * width
          if kind == .sum {
            for j in 0..<width { o[j] += Double(p[base + j]) }
          } else {
            for j in 0..<width { o[j] = kind.combine(o[j], Double(p[base + j])) }
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
