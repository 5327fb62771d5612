/// The matrix factorizations, each batched over leading axes. A factorization with several
/// results is one primitive per result (`eigh[output=values]`, `eigh[output=vectors]`), each
/// running the same deterministic kernel on the same operand; a rule that needs another result
/// emits that primitive on the same operand, which hash-consing makes one equation. Their
/// derivatives are JAX's; none is linear, so reverse mode transposes the JVP.

/// A function of each matrix of a batch `[…, m, n]` as a whole (a factorization, `adjugate`,
/// `pinv`): linear in nothing, elementwise in nothing, no structure kept, every result element
/// depending on its whole matrix.
protocol MatrixFunctionRule: OpaqueToStructure {}

extension MatrixFunctionRule {
  public var isElementwise: Bool { false }
  public var linearity: Linearity { .none }
}

/// One result of a factorization with several (`eigh`, `qr`, `svd`), named by `output`.
protocol FactorizationResultRule: MatrixFunctionRule {
  associatedtype Output: RawRepresentable<String>
  var output: Output { get }
}

extension FactorizationResultRule {
  public var parameterText: String { "[output=\(output.rawValue)]" }
  public var verb: String { "factor" }
}

/// Checks a batch of matrices `[…, m, n]`.
private func expectMatrices(_ inputs: [TensorType], _ name: String) throws(Diagnostic) -> (
  batch: [Int], m: Int, n: Int
) {
  try expectArity(inputs, 1, name)
  let t = inputs[0]
  guard t.rank >= 2 else { throw ruleError(name, "\(t) is not a batch of matrices") }
  return (Array(t.shape.dropLast(2)), t.shape[t.rank - 2], t.shape[t.rank - 1])
}

/// Checks a batch of square matrices `[…, n, n]`.
private func expectSquareMatrices(_ inputs: [TensorType], _ name: String) throws(Diagnostic) -> (
  batch: [Int], n: Int
) {
  let (batch, m, n) = try expectMatrices(inputs, name)
  guard m == n else { throw ruleError(name, "\(inputs[0]) is not a batch of square matrices") }
  return (batch, n)
}

/// `L` with `L Lᵀ = S = (A + Aᵀ)/2`, lower triangular with a positive diagonal (JAX's
/// `cholesky` symmetrises its input too); NaN where `S` is not positive definite.
/// `L̇ = L Φ(L⁻¹ Ṡ L⁻ᵀ)`, with `Φ` the lower triangle with its diagonal halved (Murray 2016).
struct Cholesky: MatrixFunctionRule {
  var primitive: Primitive { .cholesky }
  var parameterText: String { "" }
  var verb: String { "factor" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output l: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    // L⁻¹ Ṡ L⁻ᵀ = L⁻¹ (L⁻¹ Ṡ)ᵀ, Ṡ being symmetric
    let left = try b.emit(.solve, [l, try b.symmetricPart(t)])
    let both = try b.emit(.solve, [l, try b.matrixTranspose(left)])
    return try b.matmul(l, try b.masked(both, { $0 > $1 ? 1 : $0 == $1 ? 0.5 : 0 }))
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    _ = try expectSquareMatrices(inputs, "cholesky")
    return inputs[0]
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.cholesky(inputs[0]) }
}

/// `S = (A + Aᵀ)/2 = V diag(w) Vᵀ`: the eigenvalues `w` ascending, or the eigenvectors as
/// the columns of `V`, each with its entry of largest magnitude positive (JAX symmetrises its
/// input too; its eigenvector signs are LAPACK's). With `M = Vᵀ Ṡ V`: `ẇ = diag(M)`, and
/// `V̇ = V (F ∘ M)` with `F[i, j] = 1/(w_j − w_i)` off the diagonal and 0 on it, which is
/// infinite where two eigenvalues are equal, so the eigenvectors' derivative there is inf or
/// NaN (as JAX's) while the eigenvalues' stays finite.
struct Eigh: FactorizationResultRule {
  let output: Primitive.EighOutput
  var primitive: Primitive { .eigh(output) }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    let a = primals[0]
    let v = try b.emit(.eigh(.vectors), [a])
    let m = try b.matmul(try b.transposedTimes(v, try b.symmetricPart(t)), v)
    switch self.output {
    case .values: return try b.matrixDiagonal(m)
    case .vectors:
      let w = try b.emit(.eigh(.values), [a])
      let n = b.type(of: w).shape.last ?? 0
      let gaps = try b.sub(try b.alongRows(w, rows: n), try b.alongColumns(w, columns: n))
      let f = try reciprocalOffDiagonal(gaps, b)
      return try b.matmul(v, try b.mul(f, m))
    }
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    let (batch, n) = try expectSquareMatrices(inputs, "eigh")
    switch output {
    case .values: return inputs[0].with(shape: batch + [n])
    case .vectors: return inputs[0]
    }
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { evaluate(inputs, polling: nil) }
  func evaluate(_ inputs: [Tensor], polling cancellation: CancellationFlag?) -> Tensor {
    symmetricEigen(inputs[0], output, polling: cancellation)
  }
}

/// `1/x` off the diagonal of square matrices `x` and 0 on it (JAX's
/// `1/(I + x) − I`, which keeps the diagonal's zeros out of the division).
private func reciprocalOffDiagonal(_ x: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var {
  let t = b.type(of: x)
  let eye = try b.identity(t.shape[t.rank - 1], batch: Array(t.shape.dropLast(2)), t.dtype)
  return try b.sub(try b.div(try b.full(1, like: x), try b.add(x, eye)), eye)
}

/// The reduced QR decomposition `A = Q R` of `[…, m, n]` by Householder reflections, with
/// `k = min(m, n)`: `Q` `[…, m, k]` with orthonormal columns, `R` `[…, k, n]` upper
/// triangular, signs as LAPACK's (and so NumPy's and JAX's). For m ≥ n (JAX's rule, Townsend):
/// with `C = Qᵀ Ȧ R⁻¹` and `Ω = tril(C, −1) − tril(C, −1)ᵀ`, `Q̇ = Q (Ω − C) + Ȧ R⁻¹` and
/// `Ṙ = (C − Ω) R`. For m < n, `A = [X Y]` with `X` square: `Q` and the first m columns of
/// `R` are `X`'s, by the square rule, and the rest `Qᵀ Y`, so `Ṙ₂ = Q̇ᵀ Y + Qᵀ Ẏ`. `R` must be
/// invertible (A of full rank).
struct QR: FactorizationResultRule {
  let output: Primitive.QROutput
  var primitive: Primitive { .qr(output) }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    let a = primals[0]
    let (m, n) = b.matrixSize(a)
    let q = try b.emit(.qr(.q), [a])
    let r = try b.emit(.qr(.r), [a])
    guard m < n else {
      let (dq, dr) = try Self.squareOrTall(q, r, t, b)
      return self.output == .q ? dq : dr
    }
    let (dq, dr1) = try Self.squareOrTall(
      q, try b.columns(r, 0..<m), try b.columns(t, 0..<m), b)
    if self.output == .q { return dq }
    let y = try b.columns(a, m..<n)
    let dr2 = try b.add(
      try b.transposedTimes(dq, y), try b.transposedTimes(q, try b.columns(t, m..<n)))
    return try b.besideColumns(dr1, dr2)
  }

  /// `(Q̇, Ṙ)` for m ≥ n.
  private static func squareOrTall(_ q: Var, _ r: Var, _ t: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> (Var, Var)
  {
    // Ȧ R⁻¹ = (R⁻ᵀ Ȧᵀ)ᵀ
    let tInvR = try b.matrixTranspose(
      try b.emit(.solve, [try b.matrixTranspose(r), try b.matrixTranspose(t)]))
    let c = try b.transposedTimes(q, tInvR)
    let lower = try b.masked(c, { $0 > $1 ? 1 : 0 })
    let omega = try b.sub(lower, try b.matrixTranspose(lower))
    let dq = try b.add(try b.matmul(q, try b.sub(omega, c)), tInvR)
    let dr = try b.matmul(try b.sub(c, omega), r)
    return (dq, dr)
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    let (batch, m, n) = try expectMatrices(inputs, "qr")
    let k = min(m, n)
    switch output {
    case .q: return inputs[0].with(shape: batch + [m, k])
    case .r: return inputs[0].with(shape: batch + [k, n])
    }
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { householderQR(inputs[0], output) }
}

/// The reduced singular value decomposition `A = U diag(S) Vh` of `[…, m, n]`, with
/// `k = min(m, n)`: `S` descending, each column of `U` with its entry of largest magnitude
/// positive (JAX's signs are LAPACK's). JAX's rule: with `V = Vhᵀ`, `D = Uᵀ Ȧ V`, `Ṡ = diag(D)`;
/// with `F[i, j] = 1/(s_j² − s_i²)` off the diagonal and 0 on it,
/// `U̇ = U (F ∘ (D S + S Dᵀ)) [+ (I − U Uᵀ) Ȧ V S⁻¹ where m > n]` and
/// `V̇ = V (F ∘ (S D + Dᵀ S)) [+ (I − V Vᵀ) Ȧᵀ U S⁻¹ where n > m]`, `V̇h = V̇ᵀ`. Equal singular
/// values make `F` infinite, and a zero one makes `S⁻¹` so, where the singular vectors'
/// derivatives are inf or NaN (as JAX's); `Ṡ` stays finite.
struct SVD: FactorizationResultRule {
  let output: Primitive.SVDOutput
  var primitive: Primitive { .svd(output) }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    let a = primals[0]
    let (m, n) = b.matrixSize(a)
    let k = min(m, n)
    let u = try b.emit(.svd(.u), [a])
    let v = try b.matrixTranspose(try b.emit(.svd(.vh), [a]))
    let d = try b.matmul(try b.transposedTimes(u, t), v)
    if self.output == .s { return try b.matrixDiagonal(d) }
    let s = try b.emit(.svd(.s), [a])
    let (sRow, sColumn) = (try b.alongRows(s, rows: k), try b.alongColumns(s, columns: k))
    let f = try reciprocalOffDiagonal(
      try b.mul(try b.add(sRow, sColumn), try b.sub(sRow, sColumn)), b)
    switch self.output {
    case .s: return nil
    case .u:
      let ds = try b.mul(sRow, d)
      var du = try b.matmul(u, try b.mul(f, try b.add(ds, try b.matrixTranspose(ds))))
      if m > n {
        let tv = try b.matmul(t, v)
        let outside = try b.sub(tv, try b.matmul(u, try b.transposedTimes(u, tv)))
        du = try b.add(du, try b.div(outside, try b.alongRows(s, rows: m)))
      }
      return du
    case .vh:
      let sd = try b.mul(sColumn, d)
      var dv = try b.matmul(v, try b.mul(f, try b.add(sd, try b.matrixTranspose(sd))))
      if n > m {
        let tu = try b.transposedTimes(t, u)
        let outside = try b.sub(tu, try b.matmul(v, try b.transposedTimes(v, tu)))
        dv = try b.add(dv, try b.div(outside, try b.alongRows(s, rows: n)))
      }
      return try b.matrixTranspose(dv)
    }
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    let (batch, m, n) = try expectMatrices(inputs, "svd")
    let k = min(m, n)
    switch output {
    case .u: return inputs[0].with(shape: batch + [m, k])
    case .s: return inputs[0].with(shape: batch + [k])
    case .vh: return inputs[0].with(shape: batch + [k, n])
    }
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { evaluate(inputs, polling: nil) }
  func evaluate(_ inputs: [Tensor], polling cancellation: CancellationFlag?) -> Tensor {
    singularValueDecomposition(inputs[0], output, polling: cancellation)
  }
}
