/// Checks a batch of square matrices `[…, n, n]`.
private func expectSquare(_ t: TensorType, _ name: String) throws(Diagnostic) {
  guard t.rank >= 2, t.shape[t.rank - 1] == t.shape[t.rank - 2] else {
    throw ruleError(name, "\(t) is not a batch of square matrices")
  }
}

/// `Y = A⁻¹` by LU with partial pivoting; a singular matrix gives infinities or NaN (as JAX).
/// `Ẏ = −Y Ȧ Y`.
struct Inverse: PrimitiveRule {
  var primitive: Primitive { .inverse }
  var isElementwise: Bool { false }
  var linearity: Linearity { .none }
  var parameterText: String { "" }
  var verb: String { "invert" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output y: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    return try b.neg(try b.matmul(y, try b.matmul(t, y)))
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "inverse")
    try expectSquare(inputs[0], "inverse")
    return inputs[0]
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.inverse(inputs[0]) }
}

/// `d = det A` from the LU factors: the product of the pivots times the permutation's sign.
/// `ḋ = tr(adj(A) Ȧ)` (Jacobi's formula), exact also where `A` is singular (JAX and PyTorch
/// give the adjugate as `∇ det` there too).
struct Determinant: PrimitiveRule {
  var primitive: Primitive { .determinant }
  var isElementwise: Bool { false }
  var linearity: Linearity { .none }
  var parameterText: String { "" }
  var verb: String { "take the determinant of" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output d: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    let a = primals[0]
    let r = b.type(of: a).rank
    let adjugateT = try b.matrixTranspose(try b.unary(.adjugate, a))
    return try b.reduceSum(try b.mul(adjugateT, t), [r - 2, r - 1])
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "determinant")
    try expectSquare(inputs[0], "determinant")
    return inputs[0].with(shape: Array(inputs[0].shape.dropLast(2)))
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.determinant(inputs[0]) }
}

/// `X = A⁻¹B` for `[…, n, n]` and `[…, n, k]`, by LU with partial pivoting.
/// `Ẋ = A⁻¹(Ḃ − Ȧ X)`; linear in `B`, with `B̄ = A⁻ᵀ X̄`.
struct Solve: PrimitiveRule {
  var primitive: Primitive { .solve }
  var isElementwise: Bool { false }
  var linearity: Linearity { .separately([1]) }
  var parameterText: String { "" }
  var verb: String { "solve" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output x: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    var rhs = tangents[1]
    if let ta = tangents[0] {
      rhs = try b.addOptional(rhs, try b.neg(try b.matmul(ta, x)))
    }
    guard let rhs else { return nil }
    return try b.emit(.solve, [primals[0], rhs])
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    guard let a = known[0], known[1] == nil else {
      throw Diagnostic(.internalError("solve is linear only in its right-hand side"), at: nil)
    }
    return [nil, try b.emit(.solve, [try b.matrixTranspose(a), ct])]
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 2, "solve")
    let (a, b) = (inputs[0], inputs[1])
    try expectSquare(a, "solve")
    guard b.rank == a.rank, b.shape.dropLast(2) == a.shape.dropLast(2),
      b.shape[b.rank - 2] == a.shape[a.rank - 1], a.dtype == b.dtype
    else { throw ruleError("solve", "cannot solve \(a) against \(b)") }
    return b
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.solve(inputs[0], inputs[1]) }
}

/// `adj A = det(A) A⁻¹`, the transposed cofactor matrix, also where `A` is singular (from
/// the singular value decomposition there). Its derivative, for matrices of up to
/// ``Adjugate/largestExactDerivative`` rows, differentiates the Faddeev–LeVerrier recurrence
/// `M₁ = I, c = −tr A; M_k = A M_{k−1} + c I, c = −tr(A M_k)/k; adj A = (−1)ⁿ⁺¹ Mₙ`: a
/// polynomial in `A` made of products and traces, so it and every further derivative are exact
/// at every matrix (singular, or with repeated singular values). Above that size, where the
/// recurrence's coefficients lose precision, it is
/// `(tr(adj(A) Ȧ) adj A − adj(A) Ȧ adj A) / det A`, NaN where `A` is singular.
struct Adjugate: MatrixFunctionRule {
  /// The largest n whose n×n adjugates are differentiated through the recurrence.
  static let largestExactDerivative = 8

  var primitive: Primitive { .adjugate }
  var parameterText: String { "" }
  var verb: String { "take the adjugate of" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output adj: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    let a = primals[0]
    let type = b.type(of: a)
    let r = type.rank
    let matrixAxes = [r - 2, r - 1]
    let n = type.shape[r - 1]
    guard n > 1 else { return nil }
    if n <= Self.largestExactDerivative { return try Self.throughRecurrence(a, t, b) }
    let trace = try b.reduceSum(try b.mul(try b.matrixTranspose(adj), t), matrixAxes)
    let both = try b.sub(
      try b.mul(try b.unreduce(trace, type.shape, axes: matrixAxes), adj),
      try b.matmul(adj, try b.matmul(t, adj)))
    let d = try b.unreduce(try b.unary(.determinant, a), type.shape, axes: matrixAxes)
    return try b.div(both, d)
  }

  /// `(−1)ⁿ⁺¹ Ṁₙ` of the Faddeev–LeVerrier recurrence (above), carried in forward mode:
  /// `Ṁ_k = Ȧ M_{k−1} + A Ṁ_{k−1} + ċ I`, `ċ = −(tr(Ȧ M_k) + tr(A Ṁ_k))/k`.
  private static func throughRecurrence(_ a: Var, _ t: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var
  {
    let type = b.type(of: a)
    let r = type.rank
    let n = type.shape[r - 1]
    let matrixAxes = [r - 2, r - 1]
    /// `tr X` over the matrix axes, spread back over them times the identity: `(tr X) I`.
    func traceTimesIdentity(_ x: Var, _ factor: Double) throws(Diagnostic) -> Var {
      let trace = try b.reduceSum(try b.matrixDiagonal(x), [r - 2])
      let spread = try b.unreduce(try b.scale(trace, factor), type.shape, axes: matrixAxes)
      return try b.masked(spread, { $0 == $1 ? 1 : 0 })
    }
    var m = try b.identity(n, batch: Array(type.shape.dropLast(2)), type.dtype)
    var cI = try traceTimesIdentity(a, -1)
    var dm: Var? = nil
    var dcI = try traceTimesIdentity(t, -1)
    for k in 2...n {
      let next = try b.add(try b.matmul(a, m), cI)
      var dNext = try b.add(try b.matmul(t, m), dcI)
      if let dm { dNext = try b.add(dNext, try b.matmul(a, dm)) }
      (m, dm) = (next, dNext)
      if k < n {
        cI = try traceTimesIdentity(try b.matmul(a, m), -1 / Double(k))
        dcI = try traceTimesIdentity(
          try b.add(try b.matmul(t, m), try b.matmul(a, dNext)), -1 / Double(k))
      }
    }
    let derivative = dm ?? m
    return n % 2 == 1 ? derivative : try b.neg(derivative)
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "adjugate")
    try expectSquare(inputs[0], "adjugate")
    return inputs[0]
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.adjugate(inputs[0]) }
}

/// `P = A⁺`, the Moore–Penrose pseudo-inverse `[…, n, m]` of `[…, m, n]`, from the singular
/// value decomposition with JAX's cutoff (singular values at most `10 · max(m, n) · ε · s_max`
/// count as zero). JAX's rule (Golub and Pereyra), smooth where the rank does not change:
/// `Ṗ = −P Ȧ P + P Pᵀ Ȧᵀ (I − A P) + (I − P A) Ȧᵀ Pᵀ P`.
struct PseudoInverse: MatrixFunctionRule {
  var primitive: Primitive { .pseudoInverse }
  var parameterText: String { "" }
  var verb: String { "pseudo-invert" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output p: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0] else { return nil }
    let a = primals[0]
    let type = b.type(of: a)
    let (m, n) = (type.shape[type.rank - 2], type.shape[type.rank - 1])
    let batch = Array(type.shape.dropLast(2))
    let pt = try b.matrixTranspose(p)
    let tt = try b.matrixTranspose(t)
    let leftResidual = try b.sub(try b.identity(m, batch: batch, type.dtype), try b.matmul(a, p))
    let rightResidual = try b.sub(try b.identity(n, batch: batch, type.dtype), try b.matmul(p, a))
    let first = try b.neg(try b.matmul(p, try b.matmul(t, p)))
    let second = try b.matmul(try b.matmul(p, pt), try b.matmul(tt, leftResidual))
    let third = try b.matmul(rightResidual, try b.matmul(tt, try b.matmul(pt, p)))
    return try b.add(first, try b.add(second, third))
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "pinv")
    let t = inputs[0]
    guard t.rank >= 2 else { throw ruleError("pinv", "\(t) is not a batch of matrices") }
    var shape = t.shape
    shape.swapAt(t.rank - 1, t.rank - 2)
    return t.with(shape: shape)
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { evaluate(inputs, polling: nil) }
  func evaluate(_ inputs: [Tensor], polling cancellation: CancellationFlag?) -> Tensor {
    NablaCore.pseudoInverse(inputs[0], polling: cancellation)
  }
}

extension Primitive {
  /// The operation (`inv`, `solve`) when `result` is this primitive's inverse or solve of
  /// finite operands and is not finite: it divided by a zero pivot, so the matrix is singular,
  /// which NumPy and PyTorch report as an error too (an ill-conditioned matrix gives large
  /// finite numbers). The interpreter reports it; constant folding leaves such a value to it.
  func singularOperation(_ operands: [Tensor], _ result: Tensor) -> String? {
    guard self == .inverse || self == .solve, !result.isFinite,
      operands.allSatisfy(\.isFinite)
    else { return nil }
    return self == .inverse ? "inv" : "solve"
  }
}
