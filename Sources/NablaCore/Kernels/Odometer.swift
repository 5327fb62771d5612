/// Calls `body(Σ iₖ·first[k], Σ iₖ·second[k])` for the multi-indices `i` of `shape` numbered
/// `range` in row-major order: one division to find the first, then an odometer (no division
/// per index). The strided kernels walk their rows with it, two offsets at a time (two
/// operands, or a source and a destination).
@inline(__always)
func forEachIndex(
  _ shape: [Int], _ range: Range<Int>, _ first: [Int], _ second: [Int],
  _ body: (Int, Int) -> Void
) {
  guard !range.isEmpty else { return }
  let rank = shape.count
  var index = [Int](repeating: 0, count: rank)
  var (a, b) = (0, 0)
  var rest = range.lowerBound
  for axis in stride(from: rank - 1, through: 0, by: -1) {
    index[axis] = rest % shape[axis]
    rest /= shape[axis]
    a += index[axis] * first[axis]
    b += index[axis] * second[axis]
  }
  for _ in range {
    body(a, b)
    var axis = rank - 1
    while axis >= 0 {
      index[axis] += 1
      a += first[axis]
      b += second[axis]
      if index[axis] < shape[axis] { break }
      a -= first[axis] * shape[axis]
      b -= second[axis] * shape[axis]
      index[axis] = 0
      axis -= 1
    }
  }
}
