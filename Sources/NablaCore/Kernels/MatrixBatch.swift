/// A batch of row-major m×n matrices `[…, m, n]` read as Double, for the decomposition
/// kernels, which work on one matrix at a time.
struct MatrixBatch {
  let values: [Double]
  let batchShape: [Int]
  let rows: Int
  let columns: Int

  init(_ a: Tensor) {
    values = a.doubles
    batchShape = Array(a.shape.dropLast(2))
    rows = a.shape.count >= 2 ? a.shape[a.shape.count - 2] : 0
    columns = a.shape.last ?? 0
  }

  /// The number of matrices.
  /// The number of matrices; 0 when they are empty, whose every result is empty too. (A size
  /// that overflows belongs to a batch with an axis of 0.)
  var count: Int {
    let size = rows.multipliedReportingOverflow(by: columns)
    return size.overflow || size.partialValue == 0 ? 0 : values.count / size.partialValue
  }

  /// The elements of matrix `i`.
  func matrix(_ i: Int) -> ArraySlice<Double> {
    values[(i * rows * columns)..<((i + 1) * rows * columns)]
  }

  /// `f` of every matrix, as a tensor of `batchShape + shape` in `dtype`; `f` gives the
  /// elements of one result of `shape`. Once `cancellation` is set, the remaining matrices are
  /// skipped (zeros: the result is discarded).
  func map(
    _ shape: [Int], _ dtype: DType, polling cancellation: CancellationFlag? = nil,
    _ f: (ArraySlice<Double>) -> [Double]
  ) -> Tensor {
    let size = shape.reduce(1, *)
    var out: [Double] = []
    out.reserveCapacity(count * size)
    for i in 0..<count {
      if cancellation?.isCancelled == true {
        out += [Double](repeating: 0, count: (count - i) * size)
        break
      }
      out += f(matrix(i))
    }
    return Tensor(shape: batchShape + shape, values: out, dtype: dtype)
  }
}

/// The largest magnitude of the elements, or `nil` when one is not finite (the
/// decompositions then give NaN).
func largestMagnitude(_ a: ArraySlice<Double>) -> Double? {
  var largest = 0.0
  for x in a {
    guard x.isFinite else { return nil }
    largest = Swift.max(largest, Swift.abs(x))
  }
  return largest
}

/// The n×n identity, row-major.
func identityMatrix(_ n: Int) -> [Double] {
  var out = [Double](repeating: 0, count: n * n)
  for i in 0..<n { out[i * n + i] = 1 }
  return out
}

/// `a` (m×n) transposed, row-major.
func transposed(_ a: [Double], rows m: Int, columns n: Int) -> [Double] {
  var out = [Double](repeating: 0, count: m * n)
  for i in 0..<m {
    for j in 0..<n { out[j * m + i] = a[i * n + j] }
  }
  return out
}

/// `a b` for row-major m×p and p×n matrices.
func matrixProduct(_ a: [Double], _ b: [Double], _ m: Int, _ p: Int, _ n: Int) -> [Double] {
  var out = [Double](repeating: 0, count: m * n)
  for i in 0..<m {
    for k in 0..<p {
      let f = a[i * p + k]
      if f == 0 { continue }
      for j in 0..<n { out[i * n + j] += f * b[k * n + j] }
    }
  }
  return out
}

/// For each column of the row-major matrix `a` with `n` columns, whether its entry of largest
/// magnitude (the first of equal magnitude) is negative: the columns the sign convention of
/// eigenvectors and singular vectors negates.
func negativeColumns(_ a: [Double], columns n: Int) -> [Bool] {
  let m = n == 0 ? 0 : a.count / n
  return (0..<n).map { j in
    var best = 0.0
    var bestIndex = 0
    for i in 0..<m where Swift.abs(a[i * n + j]) > best {
      best = Swift.abs(a[i * n + j])
      bestIndex = i
    }
    return m > 0 && a[bestIndex * n + j] < 0
  }
}

/// Negates the columns of the row-major matrix `a` that `flips` marks.
func negateColumns(_ a: inout [Double], _ flips: [Bool]) {
  let n = flips.count
  let m = n == 0 ? 0 : a.count / n
  for j in 0..<n where flips[j] {
    for i in 0..<m { a[i * n + j] = -a[i * n + j] }
  }
}
