/// How ``Diagonal`` structure arises and survives: an identity built by comparing broadcast
/// indices (the Jacobian basis), a small diagonal constant, and the operations that keep it
/// (broadcast, reshapes that only add or drop unit axes, transpose, negation, products with
/// anything whose diagonal entries are known, sums of diagonals).
extension Rewriter {
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

  /// The structure of `primitive(inputs…)`, of shape `shape`, from that of its inputs.
  func diagonal(after primitive: Primitive, _ x: [Var], _ shape: [Int]) throws(Diagnostic)
    -> Diagonal?
  {
    let dtype = builder.type(of: x[0]).dtype
    switch primitive {
    case .compare(let comparison):
      // basis: index[i] == index[j] with distinct indices is the identity
      guard comparison == .eq, let (s0, d0) = broadcastSource(x[0]),
        let (s1, d1) = broadcastSource(x[1]), s0 == s1,
        d0.count == 1, d1.count == 1, d0[0] != d1[0], shape[d0[0]] > 1,
        let index = builder.constantValue(s0), Set(index.doubles).count == index.count
      else { return nil }
      let d = Diagonal(p: min(d0[0], d1[0]), q: max(d0[0], d1[0]), values: Var(0))
      return Diagonal(p: d.p, q: d.q, values: try full(1, d.valuesShape(shape), dtype))
    case .broadcast(_, let dims):
      guard let d = try diagonal(x[0]), shape[dims[d.p]] == self.shape(x[0])[d.p] else {
        return nil
      }
      let (p, q) = (dims[d.p], dims[d.q])
      let kept = dims.enumerated().filter { $0.offset != d.q }.map {
        $0.element > q ? $0.element - 1 : $0.element
      }
      let out = Diagonal(p: p, q: q, values: Var(0))
      let values = try emit(.broadcast(shape: out.valuesShape(shape), dims: kept), [d.values])
      return Diagonal(p: p, q: q, values: values)
    case .reshape:
      // only unit axes added or removed: the other axes keep their order
      let old = self.shape(x[0])
      let oldAxes = old.indices.filter { old[$0] != 1 }
      let newAxes = shape.indices.filter { shape[$0] != 1 }
      guard let d = try diagonal(x[0]), oldAxes.map({ old[$0] }) == newAxes.map({ shape[$0] }),
        let pi = oldAxes.firstIndex(of: d.p), let qi = oldAxes.firstIndex(of: d.q)
      else { return nil }
      let out = Diagonal(p: newAxes[pi], q: newAxes[qi], values: Var(0))
      let values = try emit(.reshape(shape: out.valuesShape(shape)), [d.values])
      return Diagonal(p: out.p, q: out.q, values: values)
    case .transpose(let permutation):
      guard let d = try diagonal(x[0]) else { return nil }
      var position = permutation
      for (i, axis) in permutation.enumerated() { position[axis] = i }
      let (p, q) = (min(position[d.p], position[d.q]), max(position[d.p], position[d.q]))
      // values axes: output axes without q; each reads input axis permutation[k], and both
      // diagonal axes read the diagonal index (values axis d.p)
      let order = (0..<shape.count).filter { $0 != q }.map { k in
        let axis = permutation[k] == d.q ? d.p : permutation[k]
        return axis > d.q ? axis - 1 : axis
      }
      return Diagonal(p: p, q: q, values: try emit(.transpose(permutation: order), [d.values]))
    case .neg, .convert:
      guard let d = try diagonal(x[0]) else { return nil }
      return Diagonal(p: d.p, q: d.q, values: try emit(primitive, [d.values]))
    case .mul:
      if let d = try diagonal(x[0]), let e = try diagonalEntries(x[1], d, shape) {
        return Diagonal(p: d.p, q: d.q, values: try emit(.mul, [d.values, e]))
      }
      if let d = try diagonal(x[1]), let e = try diagonalEntries(x[0], d, shape) {
        return Diagonal(p: d.p, q: d.q, values: try emit(.mul, [e, d.values]))
      }
      return nil
    case .div:
      guard let d = try diagonal(x[0]), let e = try diagonalEntries(x[1], d, shape) else {
        return nil
      }
      return Diagonal(p: d.p, q: d.q, values: try emit(.div, [d.values, e]))
    case .add, .sub:
      guard let d = try diagonal(x[0]), let e = try diagonal(x[1]), d.p == e.p, d.q == e.q else {
        return nil
      }
      return Diagonal(p: d.p, q: d.q, values: try emit(primitive, [d.values, e.values]))
    case .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh, .acosh,
      .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil, .round, .erf,
      .logistic, .pow, .atan2, .max, .min, .select, .slice, .pad, .reverse, .concatenate,
      .reduceSum, .reduceMax, .reduceMin, .reduceProd, .dotGeneral, .inverse, .determinant, .solve:
      return nil
    }
  }

  /// The entries of `v` (of `shape`) on the diagonal of `d`'s axes, shaped like `d.values`,
  /// when they cost less than `v`: `v` diagonal on the same axes, uniform, or a broadcast
  /// constant along one of the two axes.
  private func diagonalEntries(_ v: Var, _ d: Diagonal, _ shape: [Int]) throws(Diagnostic)
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
