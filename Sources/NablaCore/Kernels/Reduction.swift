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

/// Reduces `axes` of a tensor away.
///
/// The kept axes are moved to the front and the reduced ones to the back with one gather, so
/// each output element reduces one contiguous run.
func reduce(_ x: Tensor, axes: [Int], kind: ReductionKind) -> Tensor {
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
