/// The lower Cholesky factor `L` of the symmetric part `S = (A + Aᵀ)/2` of one n×n matrix
/// (row-major): `S = L Lᵀ` with a positive diagonal, by the Cholesky–Banachiewicz order;
/// `nil` when `S` is not positive definite (a pivot is not positive, or NaN).
func choleskyFactor(_ a: ArraySlice<Double>, n: Int) -> [Double]? {
  let a = Array(a)
  func s(_ i: Int, _ j: Int) -> Double { 0.5 * (a[i * n + j] + a[j * n + i]) }
  var l = [Double](repeating: 0, count: n * n)
  for j in 0..<n {
    var d = s(j, j)
    for p in 0..<j { d -= l[j * n + p] * l[j * n + p] }
    guard d > 0 else { return nil }
    let pivot = d.squareRoot()
    l[j * n + j] = pivot
    for i in (j + 1)..<n {
      var x = s(i, j)
      for p in 0..<j { x -= l[i * n + p] * l[j * n + p] }
      l[i * n + j] = x / pivot
    }
  }
  return l
}

/// Batched lower Cholesky factors of `[…, n, n]`; a matrix whose symmetric part is not
/// positive definite gives a matrix of NaN (as JAX does).
func cholesky(_ a: Tensor) -> Tensor {
  let batch = MatrixBatch(a)
  let n = batch.columns
  return batch.map([n, n], a.dtype) { m in
    choleskyFactor(m, n: n) ?? Array(repeating: .nan, count: n * n)
  }
}
