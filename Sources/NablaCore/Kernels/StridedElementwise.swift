/// A tensor read through strides: element `i₀,…,iₙ` of the view is
/// `tensor.storage[Σ iₖ·strides[k]]` (stride 0 along a broadcast axis).
struct StridedView {
  var tensor: Tensor
  var strides: [Int]
}

/// `out[i] = rule.apply(a[Σ iₖ·aStrides[k]], b[Σ iₖ·bStrides[k]])` over `shape`, row-major: an
/// elementwise operation that reads its operands through strides, so a broadcast operand is
/// never materialised. Rows whose operands are contiguous or constant run as plain loops the
/// compiler vectorises.
@inline(__always)
func stridedZip<T: TensorScalar, Rule: ElementwiseBinaryRule>(
  _ a: [T], _ aStrides: [Int], _ b: [T], _ bStrides: [Int], shape: [Int], _ rule: Rule
) -> [T] {
  let count = shape.reduce(1, *)
  let rank = shape.count
  guard count > 0, rank > 0 else { return count > 0 ? [rule.apply(a[0], b[0])] : [] }
  let inner = shape[rank - 1]
  let (ia, ib) = (aStrides[rank - 1], bStrides[rank - 1])
  return [T](unsafeUninitializedCapacity: count) { out, initialized in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        guard let o = out.baseAddress, let pa = pa.baseAddress, let pb = pb.baseAddress else {
          return
        }
        WorkerPool.forEachRange(count / inner, costPerItem: inner) { rows in
          // the multi-index of the chunk's first row, then an odometer
          var index = [Int](repeating: 0, count: rank - 1)
          var (offsetA, offsetB) = (0, 0)
          var rest = rows.lowerBound
          for axis in stride(from: rank - 2, through: 0, by: -1) {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
            offsetA += index[axis] * aStrides[axis]
            offsetB += index[axis] * bStrides[axis]
          }
          var row = o + rows.lowerBound * inner
          for _ in rows {
            let (x, y) = (pa + offsetA, pb + offsetB)
            switch (ia, ib) {
            case (1, 1): for j in 0..<inner { (row + j).initialize(to: rule.apply(x[j], y[j])) }
            case (1, 0):
              let s = y.pointee
              for j in 0..<inner { (row + j).initialize(to: rule.apply(x[j], s)) }
            case (0, 1):
              let s = x.pointee
              for j in 0..<inner { (row + j).initialize(to: rule.apply(s, y[j])) }
            default:
              for j in 0..<inner { (row + j).initialize(to: rule.apply(x[j * ia], y[j * ib])) }
            }
            row += inner
            var axis = rank - 2
            while axis >= 0 {
              index[axis] += 1
              offsetA += aStrides[axis]
              offsetB += bStrides[axis]
              if index[axis] < shape[axis] { break }
              offsetA -= aStrides[axis] * shape[axis]
              offsetB -= bStrides[axis] * shape[axis]
              index[axis] = 0
              axis -= 1
            }
          }
        }
      }
    }
    initialized = count
  }
}
