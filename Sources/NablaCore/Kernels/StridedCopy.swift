/// Gathers `out[i₀,…,iₙ] = src[offset + Σ iₖ·strides[k]]` into a new row-major array.
///
/// Broadcasting (stride 0), transposition (permuted strides), slicing (scaled strides and an
/// offset) and reversal (negative strides) are all this one kernel.
func stridedGather<T>(_ src: [T], offset: Int, shape: [Int], strides: [Int]) -> [T] {
  let count = shape.reduce(1, *)
  guard count > 0 else { return [] }
  let rank = shape.count
  if rank == 0 { return [src[offset]] }
  var index = Array(repeating: 0, count: rank)
  let inner = shape[rank - 1]
  let innerStride = strides[rank - 1]
  var base = offset
  return [T](unsafeUninitializedCapacity: count) { out, initialized in
    guard let o = out.baseAddress else { return }
    var written = 0
    src.withUnsafeBufferPointer { s in
      while true {
        var p = base
        if innerStride == 1 {
          if let source = s.baseAddress { (o + written).initialize(from: source + p, count: inner) }
          written += inner
        } else {
          for _ in 0..<inner {
            (o + written).initialize(to: s[p])
            written += 1
            p += innerStride
          }
        }
        // Advance the outer index (odometer), keeping `base` in step.
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          base += strides[axis]
          if index[axis] < shape[axis] { break }
          base -= strides[axis] * shape[axis]
          index[axis] = 0
          axis -= 1
        }
        if axis < 0 { break }
      }
    }
    initialized = written
  }
}

extension Tensor.Storage {
  /// ``stridedGather(_:offset:shape:strides:)`` for either dtype.
  func gathered(offset: Int, shape: [Int], strides: [Int]) -> Tensor.Storage {
    switch self {
    case .f32(let a): .f32(stridedGather(a, offset: offset, shape: shape, strides: strides))
    case .f64(let a): .f64(stridedGather(a, offset: offset, shape: shape, strides: strides))
    }
  }
}
