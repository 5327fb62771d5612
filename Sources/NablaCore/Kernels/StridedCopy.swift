/// Gathers `out[i₀,…,iₙ] = src[offset + Σ iₖ·strides[k]]` into a new row-major array.
///
/// Broadcasting (stride 0), transposition (permuted strides), slicing (scaled strides and an
/// offset) and reversal (negative strides) are all this one kernel. Rows are copied whole when
/// the innermost axis is contiguous, filled when it is broadcast, and a transposition (the
/// source-contiguous axis is not the innermost) is copied in tiles so both sides stay in cache.
func stridedGather<T>(_ src: [T], offset: Int, shape: [Int], strides: [Int]) -> [T] {
  let count = shape.reduce(1, *)
  guard count > 0 else { return [] }
  let rank = shape.count
  if rank == 0 { return [src[offset]] }
  return [T](unsafeUninitializedCapacity: count) { out, initialized in
    src.withUnsafeBufferPointer { s in
      guard let source = s.baseAddress, let o = out.baseAddress else { return }
      let inner = shape[rank - 1]
      let innerStride = strides[rank - 1]
      let outStrides = Shape.strides(shape)
      if rank >= 2, innerStride != 1, innerStride != 0, inner >= 8,
        let a = (0..<(rank - 1)).last(where: { strides[$0] == 1 && shape[$0] >= 8 })
      {
        let outer = (0..<(rank - 1)).filter { $0 != a }
        let outerShape = outer.map { shape[$0] }
        forEachIndex(
          outerShape, 0..<outerShape.reduce(1, *), outer.map { strides[$0] },
          outer.map { outStrides[$0] }
        ) { from, to in
          transposeTiles(
            source + offset + from, rows: shape[a], columns: inner, columnStride: innerStride,
            into: o + to, rowStride: outStrides[a])
        }
      } else {
        forEachIndex(
          Array(shape.dropLast()), 0..<(count / inner), Array(strides.dropLast()),
          Array(outStrides.dropLast())
        ) { relative, to in
          let from = offset + relative
          let row = o + to
          switch innerStride {
          case 1: row.initialize(from: source + from, count: inner)
          case 0: row.initialize(repeating: source[from], count: inner)
          default:
            var p = from
            for j in 0..<inner {
              (row + j).initialize(to: source[p])
              p += innerStride
            }
          }
        }
      }
    }
    initialized = count
  }
}

/// `out[i·rowStride + j] = src[i + j·columnStride]` for a `rows × columns` block, in tiles
/// that are long (64) along the side with the smaller stride and short (8) along the other, so
/// a tile's eight runs on the far-strided side fit one cache set's ways even when that stride is
/// a power of two.
private func transposeTiles<T>(
  _ src: UnsafePointer<T>, rows: Int, columns: Int, columnStride: Int,
  into out: UnsafeMutablePointer<T>, rowStride: Int
) {
  let (rowTile, columnTile) = columnStride >= rowStride ? (64, 8) : (8, 64)
  for i0 in stride(from: 0, to: rows, by: rowTile) {
    let i1 = min(i0 + rowTile, rows)
    for j0 in stride(from: 0, to: columns, by: columnTile) {
      for j in j0..<min(j0 + columnTile, columns) {
        let run = src + j * columnStride
        var target = out + i0 * rowStride + j
        for i in i0..<i1 {
          target.initialize(to: run[i])
          target += rowStride
        }
      }
    }
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
