/// Products of broadcast factors multiplied in the cheapest order.
///
/// A product such as a Hessian's `h[b,o] · (1 − h²)[b,o] · 2W[o,j] · W[o,i]` arrives in the
/// order differentiation built it, each partial product as large as the union of its factors'
/// axes. Multiplied in another order it costs less: the factors that vary along the same few
/// axes first, the result broadcast once, e.g. `(h·(1 − h²))[b,o] · (2W[o,j]·W[o,i])`. The
/// product is flattened into its factors (through `mul`, `neg`, broadcasts and known numbers)
/// and rebuilt by repeatedly multiplying the two partial results whose product has the fewest
/// elements, as an `einsum` path optimiser pairs operands; it replaces the original only when
/// it writes fewer elements in all. A side effect that matters as much: the last product's
/// operands vary along trailing axes together, so its rows are long (`ExecutionPlan` merges
/// them), where the original's rows were as short as one axis.
extension Rewriter {
  /// A factor of a product over the result's axes: `value`'s axis k is the result's axis
  /// `axes[k]` (increasing), and it is broadcast along the others.
  struct Factor {
    var value: Var
    var axes: [Int]
  }

  /// The factors of a product, a number multiplying them, and how many elements the
  /// equations computing it in its present order write.
  struct FlatProduct {
    var factors: [Factor] = []
    var coefficient = 1.0
    var cost = 0
  }

  /// `x · y` multiplied in a cheaper order, or `nil` when the present order is as cheap.
  func reassociatedProduct(_ x: Var, _ y: Var) throws(Diagnostic) -> Var? {
    guard !isReassociating else { return nil }
    let shape = self.shape(x)
    var flat = FlatProduct()
    let identity = Array(shape.indices)
    flatten(x, axes: identity, into: &flat, depth: 8)
    flatten(y, axes: identity, into: &flat, depth: 8)
    flat.cost &+= shape.reduce(1, &*)
    guard flat.factors.count >= 3, flat.factors.count <= 12,
      case let (order, cost) = cheapestOrder(flat, shape), cost < flat.cost
    else { return nil }
    isReassociating = true
    defer { isReassociating = false }
    return try emitProduct(flat, order, shape)
  }

  /// Adds `v`'s factors (its axis k being the result's axis `axes[k]`) to `flat`.
  private func flatten(_ v: Var, axes: [Int], into flat: inout FlatProduct, depth: Int) {
    if let u = uniformValue(v) {
      flat.coefficient *= u
      return
    }
    guard depth > 0, let d = definition(v) else {
      flat.factors.append(Factor(value: v, axes: axes))
      return
    }
    if d.primitive == .mul {
      flat.cost &+= shape(v).reduce(1, &*)
      for operand in d.inputs { flatten(operand, axes: axes, into: &flat, depth: depth - 1) }
    } else if d.primitive == .neg {
      flat.cost &+= shape(v).reduce(1, &*)
      flat.coefficient = -flat.coefficient
      flatten(d.inputs[0], axes: axes, into: &flat, depth: depth - 1)
    } else if case .broadcast(let target, let dims) = d.primitive,
      zip(shape(d.inputs[0]), dims).allSatisfy({ $0 == target[$1] })
    {
      // a broadcast without size-1 axes: its source varies along the mapped axes
      flatten(d.inputs[0], axes: dims.map { axes[$0] }, into: &flat, depth: depth - 1)
    } else {
      flat.factors.append(Factor(value: v, axes: axes))
    }
  }

  /// The pairs of partial products to multiply, by their positions in the shrinking list of
  /// them, the pair with the smallest product first; and the elements they write, with the
  /// scaling by the coefficient and the final broadcast when one is needed.
  private func cheapestOrder(_ flat: FlatProduct, _ shape: [Int]) -> ([(Int, Int)], Int) {
    var terms = flat.factors.map { Set($0.axes) }
    var order: [(Int, Int)] = []
    var cost = 0
    func size(_ axes: Set<Int>) -> Int { axes.reduce(1) { $0 &* shape[$1] } }
    while terms.count > 1 {
      var (i, j, s) = (0, 1, Int.max)
      for a in terms.indices {
        for b in terms.indices where b > a {
          let union = size(terms[a].union(terms[b]))
          if union < s { (i, j, s) = (a, b, union) }
        }
      }
      order.append((i, j))
      cost &+= s
      terms[i].formUnion(terms[j])
      terms.remove(at: j)
    }
    if flat.coefficient != 1 { cost &+= flat.factors.map { size(Set($0.axes)) }.min() ?? 0 }
    if terms.first?.count != shape.count { cost &+= shape.reduce(1, &*) }
    return (order, cost)
  }

  /// The factors multiplied pair by pair in `order`, the coefficient applied to the smallest
  /// factor, and the result broadcast to `shape`.
  private func emitProduct(_ flat: FlatProduct, _ order: [(Int, Int)], _ shape: [Int])
    throws(Diagnostic) -> Var
  {
    var terms = flat.factors
    func size(_ f: Factor) -> Int { f.axes.reduce(1) { $0 &* shape[$1] } }
    if flat.coefficient != 1, let k = terms.indices.min(by: { size(terms[$0]) < size(terms[$1]) }) {
      let v = terms[k].value
      terms[k].value =
        flat.coefficient == -1
        ? try emit(.neg, [v])
        : try emit(.mul, [try full(flat.coefficient, self.shape(v), builder.type(of: v).dtype), v])
    }
    for (i, j) in order {
      let axes = Set(terms[i].axes).union(terms[j].axes).sorted()
      let product = try emit(
        .mul, [try broadcast(terms[i], to: axes, shape), try broadcast(terms[j], to: axes, shape)])
      terms[i] = Factor(value: product, axes: axes)
      terms.remove(at: j)
    }
    return try broadcast(terms[0], to: Array(shape.indices), shape)
  }

  /// `factor` as a value over the result's `axes` (increasing).
  private func broadcast(_ factor: Factor, to axes: [Int], _ shape: [Int]) throws(Diagnostic)
    -> Var
  {
    guard factor.axes != axes else { return factor.value }
    let position = Dictionary(uniqueKeysWithValues: axes.enumerated().map { ($1, $0) })
    return try emit(
      .broadcast(shape: axes.map { shape[$0] }, dims: factor.axes.compactMap { position[$0] }),
      [factor.value])
  }
}
