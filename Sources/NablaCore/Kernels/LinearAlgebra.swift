/// LU decomposition with partial pivoting of one n×n matrix, in Double: `P·A = L·U`.
struct LUDecomposition {
  var lu: [Double]
  var pivots: [Int]
  /// +1 or −1: the sign of the permutation.
  var parity: Double
  let n: Int

  init(_ a: ArraySlice<Double>, n: Int) {
    self.n = n
    lu = Array(a)
    pivots = Array(0..<n)
    parity = 1
    for col in 0..<n {
      var best = col
      var bestValue = Swift.abs(lu[col * n + col])
      for row in (col + 1)..<max(col + 1, n) where Swift.abs(lu[row * n + col]) > bestValue {
        best = row
        bestValue = Swift.abs(lu[row * n + col])
      }
      if best != col {
        for j in 0..<n { lu.swapAt(col * n + j, best * n + j) }
        pivots.swapAt(col, best)
        parity = -parity
      }
      let pivot = lu[col * n + col]
      guard pivot != 0 else { continue }
      for row in (col + 1)..<max(col + 1, n) {
        let f = lu[row * n + col] / pivot
        lu[row * n + col] = f
        if f == 0 { continue }
        for j in (col + 1)..<n { lu[row * n + j] -= f * lu[col * n + j] }
      }
    }
  }

  var determinant: Double {
    var d = parity
    for i in 0..<n { d *= lu[i * n + i] }
    return d
  }

  /// Solves `A·X = B` for an n×k right-hand side (row-major); a singular A gives inf or NaN.
  func solve(_ b: ArraySlice<Double>, columns k: Int) -> [Double] {
    let b = Array(b)
    var x = [Double](repeating: 0, count: n * k)
    for i in 0..<n {
      for j in 0..<k { x[i * k + j] = b[pivots[i] * k + j] }
    }
    for i in 0..<n {
      for p in 0..<i {
        let f = lu[i * n + p]
        if f != 0 { for j in 0..<k { x[i * k + j] -= f * x[p * k + j] } }
      }
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      for p in (i + 1)..<max(i + 1, n) {
        let f = lu[i * n + p]
        if f != 0 { for j in 0..<k { x[i * k + j] -= f * x[p * k + j] } }
      }
      let d = lu[i * n + i]
      for j in 0..<k { x[i * k + j] /= d }
    }
    return x
  }
}

/// Batched inverse of `[…, n, n]`.
func inverse(_ a: Tensor) -> Tensor {
  let n = a.shape.last ?? 0
  let batch = n == 0 ? 0 : a.count / (n * n)
  let values = a.doubles
  var identity = [Double](repeating: 0, count: n * n)
  for i in 0..<n { identity[i * n + i] = 1 }
  var out: [Double] = []
  out.reserveCapacity(a.count)
  for b in 0..<batch {
    let lu = LUDecomposition(values[(b * n * n)..<((b + 1) * n * n)], n: n)
    out += lu.solve(identity[...], columns: n)
  }
  return Tensor(shape: a.shape, values: out, dtype: a.dtype)
}

/// Batched determinant of `[…, n, n]`.
func determinant(_ a: Tensor) -> Tensor {
  let n = a.shape.last ?? 0
  let outShape = Array(a.shape.dropLast(2))
  let batch = outShape.reduce(1, *)
  let values = a.doubles
  let out = (0..<batch).map { b in
    n == 0 ? 1 : LUDecomposition(values[(b * n * n)..<((b + 1) * n * n)], n: n).determinant
  }
  return Tensor(shape: outShape, values: out, dtype: a.dtype)
}

/// Batched solve of `A X = B` for `[…, n, n]` and `[…, n, k]`.
func solve(_ a: Tensor, _ b: Tensor) -> Tensor {
  let n = a.shape.last ?? 0
  let k = b.shape.last ?? 0
  let batch = Array(a.shape.dropLast(2)).reduce(1, *)
  let av = a.doubles
  let bv = b.doubles
  var out: [Double] = []
  out.reserveCapacity(b.count)
  for i in 0..<batch where n > 0 {
    let lu = LUDecomposition(av[(i * n * n)..<((i + 1) * n * n)], n: n)
    out += lu.solve(bv[(i * n * k)..<((i + 1) * n * k)], columns: k)
  }
  return Tensor(shape: b.shape, values: out, dtype: DType.promoted(a.dtype, b.dtype))
}

/// Batched adjugates `adj A = det(A) A⁻¹` of `[…, n, n]` (the transposed cofactor matrices),
/// also where `A` is singular: from the LU factors where no pivot is zero, else from the
/// singular value decomposition `A = U diag(s) Vᵀ` as
/// `adj A = det(U) det(V) · V diag(∏_{j≠i} s_j) Uᵀ`, exact at every rank.
func adjugate(_ a: Tensor) -> Tensor {
  let batch = MatrixBatch(a)
  let n = batch.columns
  return batch.map([n, n], a.dtype) { matrix in
    let lu = LUDecomposition(matrix, n: n)
    if (0..<n).allSatisfy({ lu.lu[$0 * n + $0] != 0 }) {
      let d = lu.determinant
      return lu.solve(identityMatrix(n)[...], columns: n).map { d * $0 }
    }
    let svd = JacobiSVD(matrix, rows: n, columns: n)
    let sign =
      LUDecomposition(svd.u[...], n: n).determinant * LUDecomposition(svd.v[...], n: n).determinant
    var scaledV = svd.v
    for i in 0..<n {
      var others = sign < 0 ? -1.0 : 1.0
      for j in 0..<n where j != i { others *= svd.s[j] }
      for r in 0..<n { scaledV[r * n + i] *= others }
    }
    return matrixProduct(scaledV, transposed(svd.u, rows: n, columns: n), n, n, n)
  }
}
