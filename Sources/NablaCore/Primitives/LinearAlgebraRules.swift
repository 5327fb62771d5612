/// `C = A·B` on the last two axes, `[…, m, k] × […, k, n] → […, m, n]`, leading axes equal.
/// `Ċ = Ȧ B + A Ḃ`; linear in either operand with the other known: `Ā = C̄ Bᵀ`, `B̄ = Aᵀ C̄`.
struct MatMul: PrimitiveRule {
  var primitive: Primitive { .matmul }
  var isElementwise: Bool { false }
  var linearity: Linearity { .separately([0, 1]) }
  var parameterText: String { "" }
  var verb: String { "multiply" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    var result: Var?
    if let ta = tangents[0] { result = try b.emit(.matmul, [ta, primals[1]]) }
    if let tb = tangents[1] {
      result = try b.addOptional(result, try b.emit(.matmul, [primals[0], tb]))
    }
    return result
  }

  /// With one operand unbatched, the batch axis is folded into the rows of `A` (or the
  /// columns of `B`) instead of copying the unbatched operand once per batch index:
  /// `[N, …, m, k] · […, k, n]` is `[…, N·m, k] · […, k, n]`.
  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    let (x, y) = (inputs[0], inputs[1])
    if batched[0] && batched[1] { return try b.emit(.matmul, [x, y]) }
    if batched[0] {
      let s = b.type(of: x).shape  // [N, *lead, m, k]
      let r = s.count
      let lead = Array(s[1..<(r - 2)])
      let (m, k) = (s[r - 2], s[r - 1])
      let n = b.type(of: y).shape.last ?? 0
      // [*lead, N, m, k] → [*lead, N·m, k]
      let moved = try b.transpose(x, Array(1..<(r - 2)) + [0, r - 2, r - 1])
      let product = try b.emit(.matmul, [try b.reshape(moved, lead + [size * m, k]), y])
      let split = try b.reshape(product, lead + [size, m, n])
      return try b.transpose(
        split, [lead.count] + Array(0..<lead.count) + [lead.count + 1, lead.count + 2])
    }
    let s = b.type(of: y).shape  // [N, *lead, k, n]
    let r = s.count
    let lead = Array(s[1..<(r - 2)])
    let (k, n) = (s[r - 2], s[r - 1])
    let m = b.type(of: x).shape[b.type(of: x).rank - 2]
    // [*lead, k, N, n] → [*lead, k, N·n]
    let moved = try b.transpose(y, Array(1..<(r - 2)) + [r - 2, 0, r - 1])
    let product = try b.emit(.matmul, [x, try b.reshape(moved, lead + [k, size * n])])
    let split = try b.reshape(product, lead + [m, size, n])
    return try b.transpose(
      split, [lead.count + 1] + Array(0..<lead.count) + [lead.count, lead.count + 2])
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    if let y = known[1] { return [try b.emit(.matmul, [ct, try b.matrixTranspose(y)]), nil] }
    if let x = known[0] { return [nil, try b.emit(.matmul, [try b.matrixTranspose(x), ct])] }
    throw Diagnostic(.internalError("matmul of two linear operands cannot be transposed"), at: nil)
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 2, "matmul")
    let (a, b) = (inputs[0], inputs[1])
    guard a.rank >= 2, a.rank == b.rank, a.shape.dropLast(2) == b.shape.dropLast(2),
      a.shape[a.rank - 1] == b.shape[b.rank - 2], a.dtype == b.dtype
    else { throw ruleError("matmul", "cannot multiply \(a) by \(b)") }
    return a.with(shape: a.shape.dropLast() + [b.shape[b.rank - 1]])
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor { evaluate(inputs, polling: nil) }

  /// A long product stops early once `cancellation` is set.
  func evaluate(_ inputs: [Tensor], polling cancellation: CancellationFlag?) -> Tensor {
    let (a, b) = (inputs[0], inputs[1])
    let m = a.shape[a.rank - 2]
    let k = a.shape[a.rank - 1]
    let n = b.shape[b.rank - 1]
    let batch = a.shape.dropLast(2).reduce(1, *)
    return Tensor(
      shape: a.shape.dropLast() + [n],
      storage: a.storage.matmul(
        b.storage, batch: batch, m: m, k: k, n: n, cancellation: cancellation))
  }
}

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
    return try b.neg(try b.emit(.matmul, [y, try b.emit(.matmul, [t, y])]))
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "inverse")
    try expectSquare(inputs[0], "inverse")
    return inputs[0]
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { NablaCore.inverse(inputs[0]) }
}

/// `d = det A` from the LU factors: the product of the pivots times the permutation's sign.
/// `ḋ = d · tr(A⁻¹ Ȧ)` (Jacobi's formula).
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
    let invT = try b.matrixTranspose(try b.unary(.inverse, a))
    return try b.mul(d, try b.reduceSum(try b.mul(invT, t), [r - 2, r - 1]))
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
      rhs = try b.addOptional(rhs, try b.neg(try b.emit(.matmul, [ta, x])))
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
