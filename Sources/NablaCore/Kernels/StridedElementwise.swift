import CKernels

/// `out[j] = f(x[j·xStride], y[j·yStride])` for `j < n`, with plain loops the compiler
/// vectorises where an operand is contiguous or constant.
@inline(__always)
func stridedRow<T: TensorScalar>(
  _ x: UnsafePointer<T>, _ xStride: Int, _ y: UnsafePointer<T>, _ yStride: Int,
  _ out: UnsafeMutablePointer<T>, _ n: Int, _ f: (T, T) -> T
) {
  switch (xStride, yStride) {
  case (1, 1): for j in 0..<n { out[j] = f(x[j], y[j]) }
  case (1, 0):
    let s = y.pointee
    for j in 0..<n { out[j] = f(x[j], s) }
  case (0, 1):
    let s = x.pointee
    for j in 0..<n { out[j] = f(s, y[j]) }
  default: for j in 0..<n { out[j] = f(x[j * xStride], y[j * yStride]) }
  }
}

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
          var row = o + rows.lowerBound * inner
          forEachIndex(
            Array(shape.dropLast()), rows, Array(aStrides.dropLast()),
            Array(bStrides.dropLast())
          ) { offsetA, offsetB in
            rule.applyRow(pa + offsetA, ia, pb + offsetB, ib, row, inner)
            row += inner
          }
        }
      }
    }
    initialized = count
  }
}

/// `x (op) y` over `shape` through strides by the AVX2 kernel of `CKernels` (rows shared out
/// to the worker pool), or `nil` where the CPU lacks AVX2 or the rank is over 16.
func vectorBinary(
  _ operation: Int32, _ a: [Float], _ aStrides: [Int], _ b: [Float], _ bStrides: [Int],
  shape: [Int]
) -> [Float]? {
  guard hasVectorKernels, (1...16).contains(shape.count) else { return nil }
  let count = shape.reduce(1, *)
  let inner = shape[shape.count - 1]
  guard count > 0, inner > 0 else { return [] }
  return [Float](unsafeUninitializedCapacity: count) { out, initialized in
    defer { initialized = count }
    guard let o = out.baseAddress else { return }
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        aStrides.withUnsafeBufferPointer { sa in
          bStrides.withUnsafeBufferPointer { sb in
            shape.withUnsafeBufferPointer { s in
              guard let pa = pa.baseAddress, let pb = pb.baseAddress, let sa = sa.baseAddress,
                let sb = sb.baseAddress, let s = s.baseAddress
              else { return }
              WorkerPool.forEachRange(count / inner, costPerItem: inner) { rows in
                nabla_sbinary_rows_avx2(
                  operation, o, pa, sa, pb, sb, s, Int32(shape.count), rows.lowerBound,
                  rows.upperBound)
              }
            }
          }
        }
      }
    }
  }
}
