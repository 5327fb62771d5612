/// Shorthands the linear-algebra rules use on batches of matrices `[…, m, n]`: constant
/// masks and identities, diagonals, vectors spread over rows or columns, column blocks.
extension GraphBuilder {
  /// The rows and columns of the matrices `[…, m, n]` of `a`.
  func matrixSize(_ a: Var) -> (rows: Int, columns: Int) {
    let shape = type(of: a).shape
    return (shape[shape.count - 2], shape[shape.count - 1])
  }

  /// `(a + aᵀ)/2` over the last two axes.
  func symmetricPart(_ a: Var) throws(Diagnostic) -> Var {
    try scale(try add(a, try matrixTranspose(a)), 0.5)
  }

  /// The m×n matrix of `entry(i, j)` in `dtype`, broadcast over the leading axes `batch`.
  func constantMatrix(
    _ m: Int, _ n: Int, batch: [Int], _ dtype: DType, _ entry: (Int, Int) -> Double
  ) throws(Diagnostic) -> Var {
    try checkConstantSize(m.multipliedReportingOverflow(by: n), dtype)
    var values = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n { values[i * n + j] = entry(i, j) }
    }
    let c = try constant(Tensor(shape: [m, n], values: values, dtype: dtype))
    guard !batch.isEmpty else { return c }
    return try emit(.broadcast(shape: batch + [m, n], dims: [batch.count, batch.count + 1]), [c])
  }

  /// The n×n identity broadcast over the leading axes `batch`.
  func identity(_ n: Int, batch: [Int], _ dtype: DType) throws(Diagnostic) -> Var {
    try constantMatrix(n, n, batch: batch, dtype) { $0 == $1 ? 1 : 0 }
  }

  /// `a ∘ M` for the constant matrix `M[i, j] = entry(i, j)` of `a`'s last two axes.
  func masked(_ a: Var, _ entry: (Int, Int) -> Double) throws(Diagnostic) -> Var {
    let t = type(of: a)
    let (m, n) = (t.shape[t.rank - 2], t.shape[t.rank - 1])
    return try mul(a, try constantMatrix(m, n, batch: Array(t.shape.dropLast(2)), t.dtype, entry))
  }

  /// The diagonal `[…, n]` of square matrices `[…, n, n]`.
  func matrixDiagonal(_ a: Var) throws(Diagnostic) -> Var {
    try reduceSum(try masked(a, { $0 == $1 ? 1 : 0 }), [type(of: a).rank - 1])
  }

  /// `[…, rows, k]` with entry `[i, j] = w[j]` from `w` of `[…, k]`.
  func alongRows(_ w: Var, rows: Int) throws(Diagnostic) -> Var {
    let t = type(of: w)
    let batch = Array(t.shape.dropLast())
    return try emit(
      .broadcast(
        shape: batch + [rows, t.shape[t.rank - 1]], dims: Array(0..<batch.count) + [t.rank]),
      [w])
  }

  /// `[…, k, columns]` with entry `[i, j] = w[i]` from `w` of `[…, k]`.
  func alongColumns(_ w: Var, columns: Int) throws(Diagnostic) -> Var {
    let t = type(of: w)
    let batch = Array(t.shape.dropLast())
    return try emit(
      .broadcast(
        shape: batch + [t.shape[t.rank - 1], columns], dims: Array(0..<batch.count) + [t.rank - 1]),
      [w])
  }

  /// The square matrices `[…, k, k]` with `w` of `[…, k]` on their diagonals.
  func diagonalMatrix(_ w: Var) throws(Diagnostic) -> Var {
    let k = type(of: w).shape.last ?? 0
    return try masked(try alongRows(w, rows: k), { $0 == $1 ? 1 : 0 })
  }

  /// Columns `range` of matrices `[…, m, n]`.
  func columns(_ a: Var, _ range: Range<Int>) throws(Diagnostic) -> Var {
    let shape = type(of: a).shape
    var start = Array(repeating: 0, count: shape.count)
    var limit = shape
    start[shape.count - 1] = range.lowerBound
    limit[shape.count - 1] = range.upperBound
    return try emit(
      .slice(start: start, limit: limit, stride: Array(repeating: 1, count: shape.count)), [a])
  }

  /// `[a b]`: matrices placed side by side.
  func besideColumns(_ a: Var, _ b: Var) throws(Diagnostic) -> Var {
    try emit(.concatenate(axis: type(of: a).rank - 1), [a, b])
  }

  /// `aᵀ b` for batches of matrices.
  func transposedTimes(_ a: Var, _ b: Var) throws(Diagnostic) -> Var {
    try matmul(try matrixTranspose(a), b)
  }
}
