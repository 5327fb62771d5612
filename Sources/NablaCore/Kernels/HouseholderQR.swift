/// The reduced QR decomposition `A = Q R` of one m×n matrix (row-major) by Householder
/// reflections, with LAPACK's (`geqrf`) conventions, so that Q and R agree with NumPy's and
/// JAX's: reflection j maps column j below the diagonal to `R[j, j] = −sign(A[j, j]) ‖·‖`
/// (negative for a zero leading entry), and is skipped (the identity) where the column is
/// already zero below the diagonal. With `k = min(m, n)`, `Q` is m×k with orthonormal
/// columns and `R` is k×n upper triangular.
struct HouseholderQR {
  var q: [Double]
  var r: [Double]

  init(_ a: ArraySlice<Double>, rows m: Int, columns n: Int) {
    let k = min(m, n)
    // scaled by the largest magnitude, so sums of squares neither underflow nor overflow (R
    // is scaled back; Q does not change)
    let scale = largestMagnitude(a).flatMap { $0 > 0 ? $0 : nil } ?? 1
    var w = a.map { $0 / scale }
    // reflections H_j = I − τ_j v_j v_jᵀ, with v_j[j] = 1 and zeros above
    var reflectors: [(v: [Double], tau: Double)] = []
    for j in 0..<k {
      var below = 0.0
      for i in (j + 1)..<m { below += w[i * n + j] * w[i * n + j] }
      guard below > 0 || below.isNaN else {
        reflectors.append(([], 0))
        continue
      }
      let alpha = w[j * n + j]
      let norm = Self.norm(w, column: j, from: j, rows: m, columns: n)
      let beta = alpha >= 0 ? -norm : norm
      var v = [Double](repeating: 0, count: m)
      v[j] = 1
      for i in (j + 1)..<m { v[i] = w[i * n + j] / (alpha - beta) }
      let tau = (beta - alpha) / beta
      Self.reflect(&w, v, tau, from: j, rows: m, columns: n, firstColumn: j)
      reflectors.append((v, tau))
    }
    r = [Double](repeating: 0, count: k * n)
    for i in 0..<k {
      for j in i..<n { r[i * n + j] = w[i * n + j] * scale }
    }
    // Q = H_0 H_1 ⋯ H_{k−1} applied to the first k columns of the identity
    var q = [Double](repeating: 0, count: m * k)
    for i in 0..<k { q[i * k + i] = 1 }
    for j in stride(from: k - 1, through: 0, by: -1) where !reflectors[j].v.isEmpty {
      Self.reflect(
        &q, reflectors[j].v, reflectors[j].tau, from: j, rows: m, columns: k, firstColumn: 0)
    }
    self.q = q
  }

  /// The 2-norm of rows `from…` of column `j`, scaled so that squares neither overflow nor
  /// underflow.
  private static func norm(
    _ x: [Double], column j: Int, from first: Int, rows m: Int, columns n: Int
  )
    -> Double
  {
    var scale = 0.0
    for i in first..<m { scale = Swift.max(scale, Swift.abs(x[i * n + j])) }
    guard scale > 0, scale.isFinite else { return scale }
    var sum = 0.0
    for i in first..<m { sum += (x[i * n + j] / scale) * (x[i * n + j] / scale) }
    return scale * sum.squareRoot()
  }

  /// `X ← (I − τ v vᵀ) X` on rows `from…` and columns `firstColumn…` of the row-major m×n `X`.
  private static func reflect(
    _ x: inout [Double], _ v: [Double], _ tau: Double, from j: Int, rows m: Int, columns n: Int,
    firstColumn: Int
  ) {
    for c in firstColumn..<n {
      var dot = 0.0
      for i in j..<m { dot += v[i] * x[i * n + c] }
      let f = tau * dot
      for i in j..<m { x[i * n + c] -= f * v[i] }
    }
  }
}

/// Batched `Q` (`[…, m, k]`) or `R` (`[…, k, n]`) of the reduced QR decompositions of
/// `[…, m, n]`, `k = min(m, n)`.
func householderQR(_ a: Tensor, _ output: Primitive.QROutput) -> Tensor {
  let batch = MatrixBatch(a)
  let (m, n) = (batch.rows, batch.columns)
  let k = min(m, n)
  switch output {
  case .q: return batch.map([m, k], a.dtype) { HouseholderQR($0, rows: m, columns: n).q }
  case .r: return batch.map([k, n], a.dtype) { HouseholderQR($0, rows: m, columns: n).r }
  }
}
