/// `C = A·B` on the last two axes, `[…, m, k] × […, k, n] → […, m, n]`, leading axes equal.
struct MatMul: PrimitiveRule {
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 2, "matmul")
    let (a, b) = (inputs[0], inputs[1])
    guard a.rank >= 2, a.rank == b.rank, a.shape.dropLast(2) == b.shape.dropLast(2),
      a.shape[a.rank - 1] == b.shape[b.rank - 2], a.dtype == b.dtype
    else { throw ruleError("matmul", "cannot multiply \(a) by \(b)") }
    return a.with(shape: a.shape.dropLast() + [b.shape[b.rank - 1]])
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let (a, b) = (inputs[0], inputs[1])
    let m = a.shape[a.rank - 2]
    let k = a.shape[a.rank - 1]
    let n = b.shape[b.rank - 1]
    let batch = a.shape.dropLast(2).reduce(1, *)
    return Tensor(
      shape: a.shape.dropLast() + [n],
      storage: a.storage.matmul(b.storage, batch: batch, m: m, k: k, n: n))
  }
}

/// Checks a batch of square matrices `[…, n, n]`.
private func expectSquare(_ t: TensorType, _ name: String) throws(Diagnostic) {
  guard t.rank >= 2, t.shape[t.rank - 1] == t.shape[t.rank - 2] else {
    throw ruleError(name, "\(t) is not a batch of square matrices")
  }
}

/// `A⁻¹` by LU with partial pivoting; a singular matrix gives infinities or NaN (as JAX).
struct Inverse: PrimitiveRule {
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "inverse")
    try expectSquare(inputs[0], "inverse")
    return inputs[0]
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.inverse(inputs[0]) }
}

/// `det A` from the LU factors: the product of the pivots times the permutation's sign.
struct Determinant: PrimitiveRule {
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "determinant")
    try expectSquare(inputs[0], "determinant")
    return inputs[0].with(shape: Array(inputs[0].shape.dropLast(2)))
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.determinant(inputs[0]) }
}

/// `X = A⁻¹B` for `[…, n, n]` and `[…, n, k]`, by LU with partial pivoting.
struct Solve: PrimitiveRule {
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
