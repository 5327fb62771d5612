/// The rewriter as the context in which rules propagate ``Diagonal`` structure: what it knows
/// of each value (computed once, when the value is emitted, by its primitive's rule), small
/// diagonal constants, and the diagonal entries of values that are not diagonal themselves.
extension Rewriter: StructureContext {
  func dtype(_ v: Var) -> DType { builder.type(of: v).dtype }

  func constantValue(_ v: Var) -> Tensor? { builder.constantValue(v) }

  func emit(_ primitive: Primitive, _ inputs: [Var]) throws(Diagnostic) -> Var {
    try emit(primitive, inputs, source: nil)
  }

  /// What is known about `v`'s diagonal structure.
  func diagonal(_ v: Var) throws(Diagnostic) -> Diagonal? {
    if let known = diagonals[v] { return known }
    let found = try constantDiagonal(v)
    diagonals[v] = found
    return found
  }

  /// A constant that is zero off the diagonal of its last two axes.
  private func constantDiagonal(_ v: Var) throws(Diagnostic) -> Diagonal? {
    guard let t = builder.constantValue(v), t.rank >= 2, t.count <= 1 << 20 else { return nil }
    let n = t.shape[t.rank - 1]
    guard n > 1, t.shape[t.rank - 2] == n else { return nil }
    var diagonal: [Double] = []
    diagonal.reserveCapacity(t.count / n)
    for k in 0..<t.count {  // stops at the first off-diagonal non-zero (at once for most data)
      let (row, column) = ((k / n) % n, k % n)
      if row == column { diagonal.append(t[flat: k]) } else if t[flat: k] != 0 { return nil }
    }
    let d = Diagonal(p: t.rank - 2, q: t.rank - 1, values: Var(0))
    let constant = Tensor(shape: d.valuesShape(t.shape), values: diagonal, dtype: t.dtype)
    return Diagonal(p: d.p, q: d.q, values: try builder.constant(constant))
  }

  func diagonalEntries(_ v: Var, _ d: Diagonal, _ shape: [Int]) throws(Diagnostic)
    -> Var?
  {
    if let e = try diagonal(v), e.p == d.p, e.q == d.q { return e.values }
    if let u = uniformValue(v) {
      return try full(u, d.valuesShape(shape), builder.type(of: v).dtype)
    }
    guard let (source, dims) = broadcastSource(v) else { return nil }
    if !dims.contains(d.q) {
      let kept = dims.map { $0 > d.q ? $0 - 1 : $0 }
      return try emit(.broadcast(shape: d.valuesShape(shape), dims: kept), [source])
    }
    guard !dims.contains(d.p) else { return nil }
    // v is constant along p: its entry at (i, i) is the one at axis q = i, moved to axis p
    let target = dims.map { $0 == d.q ? d.p : ($0 > d.q ? $0 - 1 : $0) }
    let order = target.indices.sorted { target[$0] < target[$1] }
    let moved = try emit(.transpose(permutation: order), [source])
    return try emit(
      .broadcast(shape: d.valuesShape(shape), dims: order.map { target[$0] }), [moved])
  }
}
