/// The reduced singular value decomposition `A = U diag(s) Vᵀ` of one m×n matrix (row-major)
/// by one-sided Jacobi rotations (Hestenes), which is accurate to round-off relative to each
/// singular value: with `k = min(m, n)`, `s` descending and non-negative, `U` m×k and `V` n×k
/// with orthonormal columns, each column of `U` with its entry of largest magnitude positive
/// (and the same column of `V` negated with it). Where a singular value is zero, its column
/// of `U` completes the others to an orthonormal set. The matrix is divided by its largest
/// magnitude first (and `s` multiplied by it), so squares neither overflow nor underflow; a
/// matrix with an element that is not finite gives NaN factors.
struct JacobiSVD {
  var u: [Double]
  var s: [Double]
  var v: [Double]

  init(
    _ a: ArraySlice<Double>, rows m: Int, columns n: Int,
    polling cancellation: CancellationFlag? = nil
  ) {
    let k = min(m, n)
    guard let scale = largestMagnitude(a) else {
      self.init(
        u: Array(repeating: .nan, count: m * k), s: Array(repeating: .nan, count: k),
        v: Array(repeating: .nan, count: n * k))
      return
    }
    self.init(
      unscaled: scale > 0 ? a.map { $0 / scale }[...] : a, rows: m, columns: n,
      polling: cancellation)
    s = s.map { $0 * scale }
  }

  private init(u: [Double], s: [Double], v: [Double]) {
    self.u = u
    self.s = s
    self.v = v
  }

  private init(
    unscaled a: ArraySlice<Double>, rows m: Int, columns n: Int,
    polling cancellation: CancellationFlag?
  ) {
    guard m >= n else {
      // Aᵀ = V diag(s) Uᵀ
      let wide = JacobiSVD(
        unscaled: transposed(Array(a), rows: m, columns: n)[...], rows: n, columns: m,
        polling: cancellation)
      u = wide.v
      s = wide.s
      v = wide.u
      let flips = negativeColumns(u, columns: m)
      negateColumns(&u, flips)
      negateColumns(&v, flips)
      return
    }
    // columns of G = A V are made orthogonal; G = U diag(s)
    var g = Array(a)
    var v = identityMatrix(n)
    for _ in 0..<64 where cancellation?.isCancelled != true {
      var rotated = false
      for p in 0..<n {
        for q in (p + 1)..<n {
          var (alpha, beta, gamma) = (0.0, 0.0, 0.0)
          for i in 0..<m {
            alpha += g[i * n + p] * g[i * n + p]
            beta += g[i * n + q] * g[i * n + q]
            gamma += g[i * n + p] * g[i * n + q]
          }
          guard Swift.abs(gamma) > 1e-16 * (alpha * beta).squareRoot() else { continue }
          rotated = true
          let zeta = (beta - alpha) / (2 * gamma)
          let t =
            Swift.abs(zeta) > 1e150
            ? 1 / (2 * zeta)
            : (zeta >= 0 ? 1 : -1) / (Swift.abs(zeta) + (1 + zeta * zeta).squareRoot())
          let c = 1 / (1 + t * t).squareRoot()
          let sn = c * t
          Self.rotateColumns(&g, rows: m, columns: n, p, q, c, sn)
          Self.rotateColumns(&v, rows: n, columns: n, p, q, c, sn)
        }
      }
      if !rotated { break }
    }
    let norms = (0..<n).map { j in
      (0..<m).reduce(0.0) { $0 + g[$1 * n + j] * g[$1 * n + j] }.squareRoot()
    }
    let order = (0..<n).sorted { norms[$0] > norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }
    s = order.map { norms[$0] }
    var u = [Double](repeating: 0, count: m * n)
    var sortedV = [Double](repeating: 0, count: n * n)
    for (j, c) in order.enumerated() {
      for i in 0..<n { sortedV[i * n + j] = v[i * n + c] }
      guard norms[c] > 0 else { continue }
      for i in 0..<m { u[i * n + j] = g[i * n + c] / norms[c] }
    }
    Self.completeOrthonormalColumns(&u, rows: m, columns: n, missing: s.map { !($0 > 0) })
    let flips = negativeColumns(u, columns: n)
    negateColumns(&u, flips)
    negateColumns(&sortedV, flips)
    self.u = u
    self.v = sortedV
  }

  /// Columns p and q of the row-major matrix `x` become `c x_p − s x_q` and `s x_p + c x_q`.
  private static func rotateColumns(
    _ x: inout [Double], rows m: Int, columns n: Int, _ p: Int, _ q: Int, _ c: Double,
    _ sn: Double
  ) {
    for i in 0..<m {
      let (xp, xq) = (x[i * n + p], x[i * n + q])
      x[i * n + p] = c * xp - sn * xq
      x[i * n + q] = sn * xp + c * xq
    }
  }

  /// Fills the `missing` columns of `u` (m×n, m ≥ n) with unit vectors orthogonal to the
  /// others: the first standard basis vectors that stay clear of them, by Gram–Schmidt
  /// applied twice.
  private static func completeOrthonormalColumns(
    _ u: inout [Double], rows m: Int, columns n: Int, missing: [Bool]
  ) {
    var candidate = 0
    for j in 0..<n where missing[j] {
      while candidate < m {
        var x = [Double](repeating: 0, count: m)
        x[candidate] = 1
        candidate += 1
        for _ in 0..<2 {
          for c in 0..<n where c != j && (!missing[c] || c < j) {
            var dot = 0.0
            for i in 0..<m { dot += u[i * n + c] * x[i] }
            for i in 0..<m { x[i] -= dot * u[i * n + c] }
          }
        }
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0.5 else { continue }
        for i in 0..<m { u[i * n + j] = x[i] / norm }
        break
      }
    }
  }
}

/// Batched `U` (`[…, m, k]`), `S` (`[…, k]`) or `Vh` (`[…, k, n]`) of the reduced singular
/// value decompositions of `[…, m, n]`, `k = min(m, n)`.
func singularValueDecomposition(
  _ a: Tensor, _ output: Primitive.SVDOutput, polling cancellation: CancellationFlag? = nil
) -> Tensor {
  let batch = MatrixBatch(a)
  let (m, n) = (batch.rows, batch.columns)
  let k = min(m, n)
  let c = cancellation
  func svd(_ x: ArraySlice<Double>) -> JacobiSVD { JacobiSVD(x, rows: m, columns: n, polling: c) }
  switch output {
  case .u: return batch.map([m, k], a.dtype, polling: c) { svd($0).u }
  case .s: return batch.map([k], a.dtype, polling: c) { svd($0).s }
  case .vh:
    return batch.map([k, n], a.dtype, polling: c) { transposed(svd($0).v, rows: n, columns: k) }
  }
}

/// Batched Moore–Penrose pseudo-inverses `[…, n, m]` of `[…, m, n]`: `V diag(1/s) Uᵀ` over
/// the singular values above JAX's cutoff `10 · max(m, n) · ε · s_max` (ε of the dtype), the
/// others taken as zero.
func pseudoInverse(_ a: Tensor, polling cancellation: CancellationFlag? = nil) -> Tensor {
  let batch = MatrixBatch(a)
  let (m, n) = (batch.rows, batch.columns)
  let k = min(m, n)
  let epsilon = a.dtype == .f32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
  return batch.map([n, m], a.dtype, polling: cancellation) { matrix in
    let svd = JacobiSVD(matrix, rows: m, columns: n, polling: cancellation)
    let cutoff = 10 * Double(max(m, n)) * epsilon * (svd.s.first ?? 0)
    var scaledV = svd.v
    for j in 0..<k {
      let inverse = svd.s[j] > cutoff ? 1 / svd.s[j] : 0
      for i in 0..<n { scaledV[i * k + j] *= inverse }
    }
    return matrixProduct(scaledV, transposed(svd.u, rows: m, columns: k), n, k, m)
  }
}
