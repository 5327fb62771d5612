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

/// `y = Π x` over `axes`, `ẏ = Σ ẋ · y / x`.
///
/// The quotient form is exact away from zeros but gives NaN where an element is 0 (JAX
/// computes the product of the other elements instead); nabla documents this limitation.
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
    let ratio = try b.div(try b.unreduce(output, b.type(of: x).shape, axes: axes), x)
    return try b.reduceSum(try b.mul(t, ratio), axes)
  }
}
