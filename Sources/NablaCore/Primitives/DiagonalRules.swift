/// How ``Diagonal`` structure arises and survives, primitive by primitive: an identity built
/// by comparing broadcast indices (the Jacobian basis) arises in `compare`; broadcasts,
/// reshapes that only add or drop unit axes, transposes and conversions carry it; an
/// elementwise function with `f(0) = 0` (or `f(0, 0) = 0` of two diagonals) keeps it; a product
/// keeps it with anything whose diagonal entries are known, a quotient with a divisor that is.
/// Every other primitive declares it has none (`OpaqueToStructure`), so a new primitive states
/// its structure rule or its lack of one.

extension ElementwiseUnaryRule {
  /// `f(diag(v)) = diag(f(v))` when `f(0) = 0`.
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    guard apply(0.0 as Double) == 0, let d = try context.diagonal(x[0]) else { return nil }
    return Diagonal(p: d.p, q: d.q, values: try context.emit(primitive, [d.values]))
  }
}

extension ElementwiseBinaryRule {
  /// `f(diag(v), diag(w)) = diag(f(v, w))` when `f(0, 0) = 0`.
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    guard apply(0.0 as Double, 0.0) == 0, let d = try context.diagonal(x[0]),
      let e = try context.diagonal(x[1]), d.p == e.p, d.q == e.q
    else { return nil }
    return Diagonal(p: d.p, q: d.q, values: try context.emit(primitive, [d.values, e.values]))
  }
}

extension Mul {
  /// `diag(v) · y = diag(v · y_diag)` for any `y` whose diagonal entries are known.
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    if let d = try context.diagonal(x[0]), let e = try context.diagonalEntries(x[1], d, shape) {
      return Diagonal(p: d.p, q: d.q, values: try context.emit(.mul, [d.values, e]))
    }
    if let d = try context.diagonal(x[1]), let e = try context.diagonalEntries(x[0], d, shape) {
      return Diagonal(p: d.p, q: d.q, values: try context.emit(.mul, [e, d.values]))
    }
    return nil
  }
}

extension Div {
  /// `diag(v) / y = diag(v / y_diag)` for a divisor that is not itself diagonal (off the
  /// diagonal, `0 / 0` would not be zero).
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    guard let d = try context.diagonal(x[0]), try context.diagonal(x[1]) == nil,
      let e = try context.diagonalEntries(x[1], d, shape)
    else { return nil }
    return Diagonal(p: d.p, q: d.q, values: try context.emit(.div, [d.values, e]))
  }
}

extension Compare {
  /// The identity: `index[i] == index[j]` of one vector of distinct constants broadcast along
  /// two different axes (the Jacobian basis; also `reshape(arange(n), n, 1) == arange(n)`
  /// written by hand, whose two sides are equal constants of different shapes).
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    guard comparison == .eq, let (a, p0) = Self.indexAxis(x[0], context),
      let (b, p1) = Self.indexAxis(x[1], context), p0 != p1, shape[p0] > 1,
      a.doubles == b.doubles, Self.distinct(a.doubles)
    else { return nil }
    let d = Diagonal(p: min(p0, p1), q: max(p0, p1), values: Var(0))
    let ones = try context.full(1, d.valuesShape(shape), context.dtype(x[0]))
    return Diagonal(p: d.p, q: d.q, values: ones)
  }

  /// Whether no two values are equal (at once for ascending ones, as an `arange`'s are).
  private static func distinct(_ values: [Double]) -> Bool {
    zip(values, values.dropFirst()).allSatisfy { $0 < $1 } || Set(values).count == values.count
  }

  /// `(values, axis)` when `v` broadcasts a constant with one axis of more than one element
  /// along output axis `axis`.
  private static func indexAxis(_ v: Var, _ context: any StructureContext) -> (Tensor, Int)? {
    guard let (source, dims) = context.broadcastSource(v),
      let values = context.constantValue(source)
    else { return nil }
    let long = values.shape.indices.filter { values.shape[$0] > 1 }
    guard long.count == 1, long[0] < dims.count else { return nil }
    return (values, dims[long[0]])
  }
}

extension Convert {
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    guard let d = try context.diagonal(x[0]) else { return nil }
    return Diagonal(p: d.p, q: d.q, values: try context.emit(primitive, [d.values]))
  }
}

extension Broadcast {
  /// The diagonal axes keep their sizes and move where `dims` puts them; the values are
  /// broadcast the same way.
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    guard let d = try context.diagonal(x[0]), shape[dims[d.p]] == context.shape(x[0])[d.p]
    else { return nil }
    let (p, q) = (dims[d.p], dims[d.q])
    let kept = dims.enumerated().filter { $0.offset != d.q }.map {
      $0.element > q ? $0.element - 1 : $0.element
    }
    let out = Diagonal(p: p, q: q, values: Var(0))
    let values = try context.emit(
      .broadcast(shape: out.valuesShape(shape), dims: kept), [d.values])
    return Diagonal(p: p, q: q, values: values)
  }
}

extension Reshape {
  /// Only unit axes added or removed: the other axes keep their order.
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    let old = context.shape(x[0])
    let oldAxes = old.indices.filter { old[$0] != 1 }
    let newAxes = shape.indices.filter { shape[$0] != 1 }
    guard let d = try context.diagonal(x[0]),
      oldAxes.map({ old[$0] }) == newAxes.map({ shape[$0] }),
      let pi = oldAxes.firstIndex(of: d.p), let qi = oldAxes.firstIndex(of: d.q)
    else { return nil }
    let out = Diagonal(p: newAxes[pi], q: newAxes[qi], values: Var(0))
    let values = try context.emit(.reshape(shape: out.valuesShape(shape)), [d.values])
    return Diagonal(p: out.p, q: out.q, values: values)
  }
}

extension Transpose {
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    guard let d = try context.diagonal(x[0]) else { return nil }
    var position = permutation
    for (i, axis) in permutation.enumerated() { position[axis] = i }
    let (p, q) = (min(position[d.p], position[d.q]), max(position[d.p], position[d.q]))
    // values axes: output axes without q; each reads input axis permutation[k], and both
    // diagonal axes read the diagonal index (values axis d.p)
    let order = (0..<shape.count).filter { $0 != q }.map { k in
      let axis = permutation[k] == d.q ? d.p : permutation[k]
      return axis > d.q ? axis - 1 : axis
    }
    let values = try context.emit(.transpose(permutation: order), [d.values])
    return Diagonal(p: p, q: q, values: values)
  }
}

/// A primitive whose result has no structure the optimiser tracks, whatever its operands'.
protocol OpaqueToStructure: PrimitiveRule {}

extension OpaqueToStructure {
  public func diagonal(_ x: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  { nil }
}

extension Slice: OpaqueToStructure {}
extension Pad: OpaqueToStructure {}
extension Reverse: OpaqueToStructure {}
extension Concatenate: OpaqueToStructure {}
extension Select: OpaqueToStructure {}
extension DotGeneral: OpaqueToStructure {}
extension Inverse: OpaqueToStructure {}
extension Determinant: OpaqueToStructure {}
extension Solve: OpaqueToStructure {}
