/// The eigendecomposition `S = V diag(w) Vᵀ` of the symmetric part `S = (A + Aᵀ)/2` of one
/// n×n matrix, by cyclic Jacobi rotations (accurate to round-off in every eigenvalue relative
/// to ‖S‖): eigenvalues ascending, eigenvectors as the columns of `V` (row-major), each with
/// its entry of largest magnitude positive. The matrix is divided by its largest magnitude
/// first (and `w` multiplied by it), so squares neither overflow nor underflow; a matrix with
/// an element that is not finite gives NaN.
struct SymmetricEigen {
  var values: [Double]
  var vectors: [Double]

  init(_ a: ArraySlice<Double>, n: Int, polling cancellation: CancellationFlag? = nil) {
    guard let scale = largestMagnitude(a) else {
      self.init(
        values: Array(repeating: .nan, count: n), vectors: Array(repeating: .nan, count: n * n))
      return
    }
    self.init(
      unscaled: scale > 0 ? a.map { $0 / scale }[...] : a, n: n, polling: cancellation)
    values = values.map { $0 * scale }
  }

  private init(values: [Double], vectors: [Double]) {
    self.values = values
    self.vectors = vectors
  }

  private init(unscaled a: ArraySlice<Double>, n: Int, polling cancellation: CancellationFlag?) {
    let a = Array(a)
    var s = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n { s[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]) }
    }
    var v = identityMatrix(n)
    for _ in 0..<64 where cancellation?.isCancelled != true {
      var off = 0.0
      var total = 0.0
      for i in 0..<n {
        for j in 0..<n {
          total += s[i * n + j] * s[i * n + j]
          if i != j { off += s[i * n + j] * s[i * n + j] }
        }
      }
      // stops at zero, below round-off, or when not finite (NaN compares false)
      guard off > 1e-34 * total else { break }
      for p in 0..<n {
        for q in (p + 1)..<n where s[p * n + q] != 0 {
          Self.rotate(&s, &v, n, p, q)
        }
      }
    }
    let order = (0..<n).sorted { s[$0 * n + $0] < s[$1 * n + $1] }
    values = order.map { s[$0 * n + $0] }
    var sorted = [Double](repeating: 0, count: n * n)
    for (j, k) in order.enumerated() {
      for i in 0..<n { sorted[i * n + j] = v[i * n + k] }
    }
    negateColumns(&sorted, negativeColumns(sorted, columns: n))
    vectors = sorted
  }

  /// `S ← Jᵀ S J`, `V ← V J` with the rotation `J` in the (p, q) plane that zeroes `S[p, q]`.
  private static func rotate(_ s: inout [Double], _ v: inout [Double], _ n: Int, _ p: Int, _ q: Int)
  {
    let apq = s[p * n + q]
    let theta = (s[q * n + q] - s[p * n + p]) / (2 * apq)
    let t =
      Swift.abs(theta) > 1e150
      ? 1 / (2 * theta)
      : (theta >= 0 ? 1 : -1) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
    let c = 1 / (t * t + 1).squareRoot()
    let sn = t * c
    for k in 0..<n {
      let (kp, kq) = (s[k * n + p], s[k * n + q])
      s[k * n + p] = c * kp - sn * kq
      s[k * n + q] = sn * kp + c * kq
    }
    for k in 0..<n {
      let (pk, qk) = (s[p * n + k], s[q * n + k])
      s[p * n + k] = c * pk - sn * qk
      s[q * n + k] = sn * pk + c * qk
    }
    s[p * n + q] = 0
    s[q * n + p] = 0
    for k in 0..<n {
      let (kp, kq) = (v[k * n + p], v[k * n + q])
      v[k * n + p] = c * kp - sn * kq
      v[k * n + q] = sn * kp + c * kq
    }
  }
}

/// Batched eigenvalues (`[…, n]`, ascending) or eigenvectors (`[…, n, n]`, as columns) of
/// the symmetric parts of `[…, n, n]`.
func symmetricEigen(
  _ a: Tensor, _ output: Primitive.EighOutput, polling cancellation: CancellationFlag? = nil
) -> Tensor {
  let batch = MatrixBatch(a)
  let n = batch.columns
  let c = cancellation
  switch output {
  case .values:
    return batch.map([n], a.dtype, polling: c) { SymmetricEigen($0, n: n, polling: c).values }
  case .vectors:
    return batch.map([n, n], a.dtype, polling: c) { SymmetricEigen($0, n: n, polling: c).vectors }
  }
}
