/// `y = Σ x` over `axes`. Linear; the cotangent is broadcast back over the summed axes.
struct ReduceSum: ReductionRule, LinearUnaryRule {
  static let name = "reduce_sum"
  static let kind = ReductionKind.sum
  let axes: [Int]
  var primitive: Primitive { .reduceSum(axes: axes) }
  var linearity: Linearity { .all }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [try b.unreduce(ct, types[0].shape, axes: axes)]
  }
}

/// The tangent of a max or min reduction: the mean of the tangents at the positions that
/// attain it (JAX's `_reduce_chooser_jvp_rule`, which splits ties evenly).
private func chooserJVP(
  _ axes: [Int], _ x: Var, _ t: Var?, _ y: Var, _ b: GraphBuilder
) throws(Diagnostic) -> Var? {
  guard let t else { return nil }
  let shape = b.type(of: x).shape
  let location = try b.emit(.compare(.eq), [x, try b.unreduce(y, shape, axes: axes)])
  let count = try b.reduceSum(location, axes)
  return try b.div(try b.reduceSum(try b.mul(t, location), axes), count)
}

/// The maximum over `axes` (−∞ for an empty reduction; NaN if any element is NaN).
struct ReduceMax: ReductionRule {
  static let name = "reduce_max"
  static let kind = ReductionKind.max
  let axes: [Int]
  var primitive: Primitive { .reduceMax(axes: axes) }
  var linearity: Linearity { .none }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    try chooserJVP(axes, primals[0], tangents[0], output, b)
  }
}

/// The minimum over `axes` (+∞ for an empty reduction; NaN if any element is NaN).
struct ReduceMin: ReductionRule {
  static let name = "reduce_min"
  static let kind = ReductionKind.min
  let axes: [Int]
  var primitive: Primitive { .reduceMin(axes: axes) }
  var linearity: Linearity { .none }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    try chooserJVP(axes, primals[0], tangents[0], output, b)
  }
}

/// `∂/∂xᵢ Πⱼ xⱼ = Πⱼ≠ᵢ xⱼ`, the product of the other elements, exact at zeros as JAX's:
/// `y / xᵢ` where `xᵢ ≠ 0`; where `xᵢ = 0`, the product of the non-zero elements when `xᵢ` is
/// the only zero of its lane, else 0. (Divisions read `xᵢ` replaced by 1 where it is 0, so no
/// NaN reaches the chain rule.)
struct ReduceProd: ReductionRule {
  static let name = "reduce_prod"
  static let kind = ReductionKind.prod
  let axes: [Int]
  var primitive: Primitive { .reduceProd(axes: axes) }
  var linearity: Linearity { .none }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    guard let t = tangents[0] else { return nil }
    let x = primals[0]
    let shape = b.type(of: x).shape
    let isZero = try b.emit(.compare(.eq), [x, try b.zeros(b.type(of: x))])
    let one = try b.full(1, like: x)
    let safe = try b.emit(.select, [isZero, one, x])  // x with its zeros as ones
    let y = try b.unreduce(output, shape, axes: axes)
    let others = try b.div(y, safe)  // right where x ≠ 0
    let nonZeroProduct = try b.unreduce(
      try b.emit(.reduceProd(axes: axes), [safe]), shape, axes: axes)
    let zeros = try b.unreduce(try b.reduceSum(isZero, axes), shape, axes: axes)
    let onlyZero = try b.emit(.compare(.eq), [zeros, one])
    let atZero = try b.emit(.select, [onlyZero, nonZeroProduct, try b.zeros(b.type(of: x))])
    let derivative = try b.emit(.select, [isZero, atZero, others])
    return try b.reduceSum(try b.mul(t, derivative), axes)
  }
}
