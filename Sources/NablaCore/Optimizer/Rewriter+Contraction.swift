/// Canonical contractions: every spelling of a product reaches the same `dot_general`, and
/// products whose structure makes them cheaper become elementwise work.
///
/// - scalings move outside (`(u·A)·B = u·(A·B)`), and the operands take one order;
/// - a transposed operand is read through the dimension numbers instead;
/// - a reduction of a product of broadcasts (`sum(W .* x, dim=1)`) is a contraction;
/// - a contraction that sums over nothing (no contracted axes, or only axes of size 1) is a
///   product of broadcasts, which fusion runs without materialising anything;
/// - an operand broadcast along a contracted axis is summed first, along a free axis is
///   broadcast after;
/// - an operand diagonal in a contracted and a free axis pairs them as a batch axis instead:
///   `Σ_c δ(c, f) v · b[c] = v · b[f]`, so a product with a Jacobian basis costs a scaling;
/// - an operand diagonal in a batch and a contracted axis whose partner has known diagonal
///   entries sums nothing: `Σ_c δ(i, c) v[i] · b[i, c] = v[i] · b[i, i]` (a Hessian's
///   diagonal read off a basis).
extension Rewriter {
  /// `x` broadcast to `shape` with its axis `k` at `dims[k]`, in any order (the axes are sorted
  /// by a transpose of `x` first).
  func broadcast(_ x: Var, to shape: [Int], dims: [Int]) throws(Diagnostic) -> Var {
    let order = dims.indices.sorted { dims[$0] < dims[$1] }
    let sorted = try emit(.transpose(permutation: order), [x])
    return try emit(.broadcast(shape: shape, dims: order.map { dims[$0] }), [sorted])
  }

  /// `dot_general(a, b)` computed more cheaply, or `nil`.
  func contraction(_ d: DotDimensions, _ a: Var, _ b: Var) throws(Diagnostic) -> Var? {
    if let v = try withScalingsOutside(d, a, b) { return v }
    if let v = try inOneOrder(d, a, b) { return v }
    if let v = try withTransposesFolded(d, a, b) { return v }
    if let v = try asBroadcastProduct(d, a, b) { return v }
    if let v = try withDiagonalPaired(d, a, b) { return v }
    if let v = try withDiagonalPaired(d.swapped, b, a, swapped: true) { return v }
    if let v = try withDiagonalCollapsed(d, a, b) { return v }
    if let v = try withDiagonalCollapsed(d.swapped, b, a, swapped: true) { return v }
    if let v = try withBroadcastOperand(d, a, b) { return v }
    if let v = try withBroadcastOperand(d.swapped, b, a, swapped: true) { return v }
    return nil
  }

  /// A scaled operand (`(u · A) · B`) scales the product instead (`u · (A · B)`), where
  /// scalings collect.
  private func withScalingsOutside(_ d: DotDimensions, _ a: Var, _ b: Var) throws(Diagnostic)
    -> Var?
  {
    let (u, a2) = scaling(a) ?? (1, a)
    let (w, b2) = scaling(b) ?? (1, b)
    guard u != 1 || w != 1 else { return nil }
    let product = try emit(.dotGeneral(d), [a2, b2])
    return try emit(
      .mul, [try full(u * w, shape(product), builder.type(of: product).dtype), product])
  }

  /// A contraction with one operand order where the other gives the same layout: the operand
  /// with free axes first, or (neither having any) the one ``precedes(_:_:)`` puts first; so `x · Wᵀ` and
  /// `W · x` are one equation.
  private func inOneOrder(_ d: DotDimensions, _ a: Var, _ b: Var) throws(Diagnostic) -> Var? {
    let aFree = !d.lhsFree(rank: shape(a).count).isEmpty
    let bFree = !d.rhsFree(rank: shape(b).count).isEmpty
    guard (!aFree && bFree) || (!aFree && !bFree && precedes(b, a)) else { return nil }
    return try emit(.dotGeneral(d.swapped), [b, a])
  }

  /// The output of `dot_general(b, a)` rearranged as that of `dot_general(a, b)` (dimensions
  /// `d`, operand ranks `lhsRank` and `rhsRank`): the free axes of `a` before those of `b`.
  private func unswapped(_ out: Var, _ d: DotDimensions, lhsRank: Int, rhsRank: Int)
    throws(Diagnostic) -> Var
  {
    let nb = d.lhsBatch.count
    let lf = d.lhsFree(rank: lhsRank).count
    let rf = d.rhsFree(rank: rhsRank).count
    // `out` has [batch, rhs free, lhs free]; want [batch, lhs free, rhs free]
    let permutation = Array(0..<nb) + (0..<lf).map { nb + rf + $0 } + (0..<rf).map { nb + $0 }
    return try emit(.transpose(permutation: permutation), [out])
  }

  /// `dot_general(transpose(a), b)` reads `a` through its dimension numbers.
  private func withTransposesFolded(_ d: DotDimensions, _ a: Var, _ b: Var) throws(Diagnostic)
    -> Var?
  {
    var d = d
    var (a, b) = (a, b)
    var changed = false
    if let def = definition(a), case .transpose(let p) = def.primitive {
      // axis i of transpose(a) is axis p[i] of a; a's free axes keep their relative order
      // only if p preserves it, so the output is rearranged below when it does not
      let freeBefore = d.lhsFree(rank: p.count)
      d.lhsBatch = d.lhsBatch.map { p[$0] }
      d.lhsContract = d.lhsContract.map { p[$0] }
      guard freeBefore.map({ p[$0] }) == d.lhsFree(rank: p.count) else { return nil }
      a = def.inputs[0]
      changed = true
    }
    if let def = definition(b), case .transpose(let p) = def.primitive {
      let freeBefore = d.rhsFree(rank: p.count)
      var e = d
      e.rhsBatch = d.rhsBatch.map { p[$0] }
      e.rhsContract = d.rhsContract.map { p[$0] }
      if freeBefore.map({ p[$0] }) == e.rhsFree(rank: p.count) {
        d = e
        b = def.inputs[0]
        changed = true
      }
    }
    return changed ? try emit(.dotGeneral(d), [a, b]) : nil
  }

  /// A contraction that sums over nothing (every contracted axis has size 1) as the product of
  /// its operands broadcast to the output.
  private func asBroadcastProduct(_ d: DotDimensions, _ a: Var, _ b: Var) throws(Diagnostic)
    -> Var?
  {
    let (sa, sb) = (shape(a), shape(b))
    guard d.lhsContract.allSatisfy({ sa[$0] == 1 }) else { return nil }
    let lf = d.lhsFree(rank: sa.count)
    let rf = d.rhsFree(rank: sb.count)
    let nb = d.lhsBatch.count
    let out = d.lhsBatch.map { sa[$0] } + lf.map { sa[$0] } + rf.map { sb[$0] }
    // each operand without its unit contracted axes, then placed in the output
    func placed(_ x: Var, _ batch: [Int], _ free: [Int], _ freeStart: Int) throws(Diagnostic)
      -> Var
    {
      let kept = (0..<shape(x).count).filter { batch.contains($0) || free.contains($0) }
      let squeezed = try emit(.reshape(shape: kept.map { shape(x)[$0] }), [x])
      let dims = kept.map { axis in
        if let i = batch.firstIndex(of: axis) { return i }
        return freeStart + (free.firstIndex(of: axis) ?? 0)
      }
      return try broadcast(squeezed, to: out, dims: dims)
    }
    return try emit(
      .mul,
      [
        try placed(a, d.lhsBatch, lf, nb), try placed(b, d.rhsBatch, rf, nb + lf.count),
      ])
  }

  /// `a` diagonal in a contracted axis `c` and a free axis `f`: the contraction over `c`
  /// becomes a batch pairing of the diagonal's values with `b`'s partner axis, placed where
  /// `f` was.
  private func withDiagonalPaired(
    _ d: DotDimensions, _ a: Var, _ b: Var, swapped: Bool = false
  ) throws(Diagnostic) -> Var? {
    guard let diag = try diagonal(a) else { return nil }
    let ra = shape(a).count
    let lf = d.lhsFree(rank: ra)
    let (c, f): (Int, Int)
    if d.lhsContract.contains(diag.p), lf.contains(diag.q) {
      (c, f) = (diag.p, diag.q)
    } else if d.lhsContract.contains(diag.q), lf.contains(diag.p) {
      (c, f) = (diag.q, diag.p)
    } else {
      return nil
    }
    // the values have a's axes without q; the diagonal index is at p
    func valuesAxis(_ x: Int) -> Int { x == diag.q ? diag.p : (x > diag.q ? x - 1 : x) }
    guard let k = d.lhsContract.firstIndex(of: c) else { return nil }
    let partner = d.rhsContract[k]
    let e = DotDimensions(
      lhsBatch: d.lhsBatch.map(valuesAxis) + [valuesAxis(c)],
      rhsBatch: d.rhsBatch + [partner],
      lhsContract: d.lhsContract.filter { $0 != c }.map(valuesAxis),
      rhsContract: d.rhsContract.filter { $0 != partner })
    let paired = try emit(.dotGeneral(e), [diag.values, b])
    // new output: [batch…, f, a's other free…, b's free…]; old: [batch…, a's free…, b's free…]
    let nb = d.lhsBatch.count
    guard let at = lf.firstIndex(of: f) else { return nil }
    let rank = shape(paired).count
    var permutation = Array(0..<rank)
    for j in 0..<lf.count {
      permutation[nb + j] = j == at ? nb : nb + 1 + (j < at ? j : j - 1)
    }
    let out = try emit(.transpose(permutation: permutation), [paired])
    guard swapped else { return out }
    return try unswapped(out, d.swapped, lhsRank: shape(b).count, rhsRank: ra)
  }

  /// `a` diagonal in a batch axis and a contracted axis, `b`'s partner axes with diagonal
  /// entries known cheaply (``diagonalEntries(_:_:_:)``): the contracted axis collapses onto
  /// the batch index, `Σ_c δ(i, c) v[i] · b[i, c] = v[i] · b[i, i]`; the output keeps its layout.
  private func withDiagonalCollapsed(
    _ d: DotDimensions, _ a: Var, _ b: Var, swapped: Bool = false
  ) throws(Diagnostic) -> Var? {
    guard let diag = try diagonal(a) else { return nil }
    let (kb, kc): (Int, Int)
    if let i = d.lhsBatch.firstIndex(of: diag.p), let j = d.lhsContract.firstIndex(of: diag.q) {
      (kb, kc) = (i, j)
    } else if let i = d.lhsBatch.firstIndex(of: diag.q),
      let j = d.lhsContract.firstIndex(of: diag.p)
    {
      (kb, kc) = (i, j)
    } else {
      return nil
    }
    let (pb, pc) = (d.rhsBatch[kb], d.rhsContract[kc])
    let partner = Diagonal(p: min(pb, pc), q: max(pb, pc), values: Var(0))
    guard let entries = try diagonalEntries(b, partner, shape(b)) else { return nil }
    func aAxis(_ x: Int) -> Int { x == diag.q ? diag.p : (x > diag.q ? x - 1 : x) }
    func bAxis(_ x: Int) -> Int { x == partner.q ? partner.p : (x > partner.q ? x - 1 : x) }
    let e = DotDimensions(
      lhsBatch: d.lhsBatch.map(aAxis), rhsBatch: d.rhsBatch.map(bAxis),
      lhsContract: d.lhsContract.enumerated().filter { $0.offset != kc }.map { aAxis($0.element) },
      rhsContract: d.rhsContract.enumerated().filter { $0.offset != kc }.map { bAxis($0.element) })
    let out = try emit(.dotGeneral(e), [diag.values, entries])
    guard swapped else { return out }
    return try unswapped(out, d.swapped, lhsRank: shape(b).count, rhsRank: shape(a).count)
  }

  /// `a` a broadcast, constant along a free or contracted axis: summed over a contracted one
  /// first (as `b`'s partner axis), broadcast along a free one after.
  private func withBroadcastOperand(
    _ d: DotDimensions, _ a: Var, _ b: Var, swapped: Bool = false
  ) throws(Diagnostic) -> Var? {
    guard let (source, dims) = broadcastSource(a) else { return nil }
    let sa = shape(a)
    let ss = shape(source)
    // axes of a that the source does not vary along (absent, or stretched from size 1)
    let constant = (0..<sa.count).filter { axis in
      guard let k = dims.firstIndex(of: axis) else { return true }
      return ss[k] == 1 && sa[axis] != 1
    }
    let lf = d.lhsFree(rank: sa.count)
    let summed = constant.filter { d.lhsContract.contains($0) }
    let spread = constant.filter { lf.contains($0) }
    guard !summed.isEmpty || !spread.isEmpty else { return nil }
    // a without those axes: the source without the unit axes stretched along them, broadcast
    // to a's remaining axes
    let removed = summed + spread
    let kept = (0..<sa.count).filter { !removed.contains($0) }
    let sourceKept = ss.indices.filter { !removed.contains(dims[$0]) }
    let squeezed = try emit(.reshape(shape: sourceKept.map { ss[$0] }), [source])
    let smaller = try broadcast(
      squeezed, to: kept.map { sa[$0] },
      dims: sourceKept.map { kept.firstIndex(of: dims[$0]) ?? 0 })
    // b summed over the partners of a's summed axes
    let partners = summed.compactMap { axis in
      d.lhsContract.firstIndex(of: axis).map { d.rhsContract[$0] }
    }
    let bSummed = partners.isEmpty ? b : try emit(.reduceSum(axes: partners.sorted()), [b])
    func renumbered(_ axes: [Int], _ gone: [Int]) -> [Int] {
      axes.map { x in x - gone.filter { $0 < x }.count }
    }
    let e = DotDimensions(
      lhsBatch: renumbered(d.lhsBatch, removed),
      rhsBatch: renumbered(d.rhsBatch, partners),
      lhsContract: renumbered(d.lhsContract.filter { !summed.contains($0) }, removed),
      rhsContract: renumbered(d.rhsContract.filter { !partners.contains($0) }, partners))
    let product = try emit(.dotGeneral(e), [smaller, bSummed])
    // the old output, broadcast along a's spread free axes
    let nb = d.lhsBatch.count
    let rf = d.rhsFree(rank: shape(b).count)
    let out = d.lhsBatch.map { sa[$0] } + lf.map { sa[$0] } + rf.map { shape(b)[$0] }
    var outDims: [Int] = Array(0..<nb)
    for (j, axis) in lf.enumerated() where !spread.contains(axis) { outDims.append(nb + j) }
    outDims += rf.indices.map { nb + lf.count + $0 }
    let result = try emit(.broadcast(shape: out, dims: outDims), [product])
    guard swapped else { return result }
    return try unswapped(result, d.swapped, lhsRank: shape(b).count, rhsRank: sa.count)
  }
}

extension Rewriter {
  /// `Σ_axes (A · B)` for operands that are broadcasts of smaller tensors (or tensors of the
  /// product's shape) as a contraction of those tensors: an axis both vary along is
  /// contracted when summed and paired as a batch axis when kept; an axis only one varies
  /// along is summed within it first, or kept as one of its free axes.
  func productReduction(_ x: Var, _ axes: [Int]) throws(Diagnostic) -> Var? {
    guard let product = definition(x), product.primitive == .mul else { return nil }
    let shape = self.shape(x)
    func view(_ v: Var) -> (source: Var, dims: [Int])? {
      let (source, dims) = broadcastSource(v) ?? (v, Array(shape.indices))
      let s = self.shape(source)
      // stretched unit axes are left to the elementwise product
      return zip(dims, s).allSatisfy { shape[$0] == $1 } ? (source, dims) : nil
    }
    guard let (a, da) = view(product.inputs[0]), let (b, db) = view(product.inputs[1]) else {
      return nil
    }
    var d = DotDimensions(lhsBatch: [], rhsBatch: [], lhsContract: [], rhsContract: [])
    var (aSummed, bSummed, scale) = ([Int](), [Int](), 1)
    for axis in shape.indices {
      let (i, j, summed) = (da.firstIndex(of: axis), db.firstIndex(of: axis), axes.contains(axis))
      switch (i, j, summed) {
      case (let i?, let j?, true):
        (d.lhsContract, d.rhsContract) = (d.lhsContract + [i], d.rhsContract + [j])
      case (let i?, let j?, false): (d.lhsBatch, d.rhsBatch) = (d.lhsBatch + [i], d.rhsBatch + [j])
      case (let i?, nil, true): aSummed.append(i)
      case (nil, let j?, true): bSummed.append(j)
      case (nil, nil, true): scale *= shape[axis]
      case (_, _, false): break  // a free axis of one operand, or of neither (broadcast after)
      }
    }
    guard !d.lhsContract.isEmpty else { return nil }
    func renumbered(_ list: [Int], _ gone: [Int]) -> [Int] {
      list.map { x in x - gone.filter { $0 < x }.count }
    }
    let a2 = aSummed.isEmpty ? a : try emit(.reduceSum(axes: aSummed.sorted()), [a])
    let b2 = bSummed.isEmpty ? b : try emit(.reduceSum(axes: bSummed.sorted()), [b])
    let (da2, db2) = (
      da.enumerated().filter { !aSummed.contains($0.offset) }.map(\.element),
      db.enumerated().filter { !bSummed.contains($0.offset) }.map(\.element)
    )
    d = DotDimensions(
      lhsBatch: renumbered(d.lhsBatch, aSummed), rhsBatch: renumbered(d.rhsBatch, bSummed),
      lhsContract: renumbered(d.lhsContract, aSummed),
      rhsContract: renumbered(d.rhsContract, bSummed))
    let dot = try emit(.dotGeneral(d), [a2, b2])
    // where each kept product axis is in the contraction's output
    let aFree = d.lhsFree(rank: da2.count).map { da2[$0] }
    let bFree = d.rhsFree(rank: db2.count).map { db2[$0] }
    let batch = d.lhsBatch.map { da2[$0] }
    let positions = batch + aFree + bFree  // product axis at each output position
    let kept = shape.indices.filter { !axes.contains($0) }
    let present = kept.filter { positions.contains($0) }
    let ordered = try emit(
      .transpose(permutation: present.compactMap { positions.firstIndex(of: $0) }), [dot])
    var result = try emit(
      .broadcast(
        shape: kept.map { shape[$0] }, dims: present.compactMap { kept.firstIndex(of: $0) }),
      [ordered])
    if scale != 1 {
      result = try emit(
        .mul, [result, try full(Double(scale), self.shape(result), builder.type(of: result).dtype)])
    }
    return result
  }
}
