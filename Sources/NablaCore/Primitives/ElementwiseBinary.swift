import CKernels
import RealModule

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `z = x + y`; linear: `ż = ẋ + ẏ`, and the cotangent flows to both operands.
struct Add: ElementwiseBinaryRule {
  static let name = "add"
  static let vectorOperation: Int32? = Int32(NABLA_ADD)
  var primitive: Primitive { .add }
  var linearity: Linearity { .all }
  var verb: String { "add" }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x + y }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    (nil, nil)
  }
  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    try b.addOptional(tangents[0], tangents[1])
  }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [known[0] == nil ? ct : nil, known[1] == nil ? ct : nil]
  }
}

/// `z = x − y`; linear: `ż = ẋ − ẏ`; cotangents `z̄` and `−z̄`.
struct Sub: ElementwiseBinaryRule {
  static let name = "sub"
  static let vectorOperation: Int32? = Int32(NABLA_SUB)
  var primitive: Primitive { .sub }
  var linearity: Linearity { .all }
  var verb: String { "subtract" }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x - y }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    (nil, nil)
  }
  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    guard let ty = tangents[1] else { return tangents[0] }
    guard let tx = tangents[0] else { return try b.neg(ty) }
    return try b.sub(tx, ty)
  }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [known[0] == nil ? ct : nil, known[1] == nil ? try b.neg(ct) : nil]
  }
}

/// `z = x · y`, `ż = ẋ y + x ẏ`; linear in either operand when the other is known, with
/// cotangent `z̄ · other`.
struct Mul: ElementwiseBinaryRule {
  static let name = "mul"
  static let vectorOperation: Int32? = Int32(NABLA_MUL)
  var primitive: Primitive { .mul }
  var linearity: Linearity { .separately([0, 1]) }
  var verb: String { "multiply" }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x * y }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    (y, x)
  }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    if let y = known[1] { return [try b.mul(ct, y), nil] }
    if let x = known[0] { return [nil, try b.mul(x, ct)] }
    throw Diagnostic(.internalError("mul of two linear operands cannot be transposed"), at: nil)
  }
}

/// `z = x / y` (IEEE: division by zero gives ±∞ or NaN), `ż = (ẋ − z ẏ) / y`; linear in the
/// numerator, with cotangent `z̄ / y`.
struct Div: ElementwiseBinaryRule {
  static let name = "div"
  static let vectorOperation: Int32? = Int32(NABLA_DIV)
  var primitive: Primitive { .div }
  var linearity: Linearity { .separately([0]) }
  var verb: String { "divide" }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x / y }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    let r = try b.div(try b.full(1, like: y), y)
    return (r, needed[1] ? try b.neg(try b.mul(z, r)) : nil)
  }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    guard let y = known[1], known[0] == nil else {
      throw Diagnostic(.internalError("div is linear only in its numerator"), at: nil)
    }
    return [try b.div(ct, y), nil]
  }
}

/// `z = xʸ` with C's `pow` semantics (a negative base with an integer exponent is real);
/// `∂z/∂x = y xʸ⁻¹`, `∂z/∂y = z log x` (taken as 0 where x = 0, as JAX does).
struct Pow: ElementwiseBinaryRule {
  static let name = "pow"
  var primitive: Primitive { .pow }
  var linearity: Linearity { .none }
  var verb: String { "raise to the power" }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T {
    if y == 2 { return x * x }
    return T(pow(Double(x), Double(y)))
  }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    var dx: Var?
    var dy: Var?
    if needed[0] {
      dx = try b.mul(y, try b.emit(.pow, [x, try b.sub(y, try b.full(1, like: y))]))
    }
    if needed[1] {
      let zero = try b.full(0, like: x)
      let isZero = try b.emit(.compare(.eq), [x, zero])
      let safe = try b.emit(.select, [isZero, try b.full(1, like: x), x])
      dy = try b.mul(z, try b.unary(.log, safe))
    }
    return (dx, dy)
  }
}

/// `w = atan2(y, x)`, the angle of the point (x, y); `∂w/∂y = x / (x² + y²)`,
/// `∂w/∂x = −y / (x² + y²)`.
struct Atan2: ElementwiseBinaryRule {
  static let name = "atan2"
  var primitive: Primitive { .atan2 }
  var linearity: Linearity { .none }
  var verb: String { "take atan2 of" }
  func apply<T: TensorScalar>(_ y: T, _ x: T) -> T { T.atan2(y: y, x: x) }
  func partials(_ y: Var, _ x: Var, _ w: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    let r2 = try b.add(try b.mul(x, x), try b.mul(y, y))
    return (try b.div(x, r2), try b.neg(try b.div(y, r2)))
  }
}

/// The share of the derivative operand `x` gets in `max`/`min` (JAX's `_balanced_eq`): 1
/// where it alone is the result, ½ where both are (a tie), 0 where the other is.
private func balancedShare(_ x: Var, _ z: Var, _ other: Var, _ b: GraphBuilder) throws(Diagnostic)
  -> Var
{
  let isX = try b.emit(.compare(.eq), [x, z])
  let isOther = try b.emit(.compare(.eq), [other, z])
  let weight = try b.emit(.select, [isOther, try b.full(0.5, like: x), try b.full(1, like: x)])
  return try b.emit(.select, [isX, weight, try b.full(0, like: x)])
}

/// The larger of x and y; NaN if either is NaN (as `torch.maximum`). At a tie each operand
/// gets half the derivative, as in JAX.
struct Maximum: ElementwiseBinaryRule {
  static let name = "max"
  var primitive: Primitive { .max }
  var linearity: Linearity { .none }
  var verb: String { "take the maximum of" }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T {
    x.isNaN || y.isNaN ? T.nan : Swift.max(x, y)
  }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    (
      needed[0] ? try balancedShare(x, z, y, b) : nil,
      needed[1] ? try balancedShare(y, z, x, b) : nil
    )
  }
}

/// The smaller of x and y; NaN if either is NaN (as `torch.minimum`). At a tie each operand
/// gets half the derivative, as in JAX.
struct Minimum: ElementwiseBinaryRule {
  static let name = "min"
  var primitive: Primitive { .min }
  var linearity: Linearity { .none }
  var verb: String { "take the minimum of" }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T {
    x.isNaN || y.isNaN ? T.nan : Swift.min(x, y)
  }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    (
      needed[0] ? try balancedShare(x, z, y, b) : nil,
      needed[1] ? try balancedShare(y, z, x, b) : nil
    )
  }
}

/// 1 where `x ⋄ y` holds, else 0 (NaN compares unequal to everything). Piecewise constant:
/// zero derivative.
struct Compare: ElementwiseBinaryRule {
  static let name = "compare"
  let comparison: Primitive.Comparison
  var primitive: Primitive { .compare(comparison) }
  var linearity: Linearity { .none }
  var parameterText: String { "[\(comparison.rawValue)]" }
  var verb: String { "compare" }
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
  {
    (nil, nil)
  }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T {
    let holds =
      switch comparison {
      case .eq: x == y
      case .ne: x != y
      case .lt: x < y
      case .le: x <= y
      case .gt: x > y
      case .ge: x >= y
      }
    return holds ? 1 : 0
  }

  /// The fused loop with the comparison chosen once, not per element.
  func apply(
    _ operands: UnsafePointer<UnsafePointer<Float>>, _ out: UnsafeMutablePointer<Float>, _ n: Int
  ) { compared(operands[0], operands[1], out, n) }

  func apply(
    _ operands: UnsafePointer<UnsafePointer<Double>>, _ out: UnsafeMutablePointer<Double>,
    _ n: Int
  ) { compared(operands[0], operands[1], out, n) }

  /// A strided row with the comparison chosen once; contiguous operands as the fused loop.
  func applyRow<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ xStride: Int, _ y: UnsafePointer<T>, _ yStride: Int,
    _ out: UnsafeMutablePointer<T>, _ n: Int
  ) {
    if xStride == 1 && yStride == 1 { return compared(x, y, out, n) }
    switch comparison {
    case .eq: stridedRow(x, xStride, y, yStride, out, n) { $0 == $1 ? 1 : 0 }
    case .ne: stridedRow(x, xStride, y, yStride, out, n) { $0 != $1 ? 1 : 0 }
    case .lt: stridedRow(x, xStride, y, yStride, out, n) { $0 < $1 ? 1 : 0 }
    case .le: stridedRow(x, xStride, y, yStride, out, n) { $0 <= $1 ? 1 : 0 }
    case .gt: stridedRow(x, xStride, y, yStride, out, n) { $0 > $1 ? 1 : 0 }
    case .ge: stridedRow(x, xStride, y, yStride, out, n) { $0 >= $1 ? 1 : 0 }
    }
  }

  /// Written as plain indexed loops, which the compiler vectorises into compare-and-mask.
  @inline(__always)
  private func compared<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ y: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ n: Int
  ) {
    switch comparison {
    case .eq: for i in 0..<n { out[i] = x[i] == y[i] ? 1 : 0 }
    case .ne: for i in 0..<n { out[i] = x[i] != y[i] ? 1 : 0 }
    case .lt: for i in 0..<n { out[i] = x[i] < y[i] ? 1 : 0 }
    case .le: for i in 0..<n { out[i] = x[i] <= y[i] ? 1 : 0 }
    case .gt: for i in 0..<n { out[i] = x[i] > y[i] ? 1 : 0 }
    case .ge: for i in 0..<n { out[i] = x[i] >= y[i] ? 1 : 0 }
    }
  }
}

/// `select(c, a, b)`: `a` where `c ≠ 0`, else `b`; all three of equal shape. Linear in `a`
/// and `b` (the condition has no derivative): `ż = select(c, ȧ, ḃ)`, and the cotangent is
/// split by the condition.
struct Select: FusibleRule {
  var primitive: Primitive { .select }
  var parameterText: String { "" }
  var isElementwise: Bool { true }
  var linearity: Linearity { .jointly([1, 2]) }
  var verb: String { "select between" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    guard tangents[1] != nil || tangents[2] != nil else { return nil }
    let ta = try b.orZeros(tangents[1], like: output)
    let tb = try b.orZeros(tangents[2], like: output)
    return try b.emit(.select, [primals[0], ta, tb])
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    guard let c = known[0] else {
      throw Diagnostic(.internalError("select's condition cannot be linear"), at: nil)
    }
    let zero = try b.zeros(b.type(of: ct))
    return [
      nil, known[1] == nil ? try b.emit(.select, [c, ct, zero]) : nil,
      known[2] == nil ? try b.emit(.select, [c, zero, ct]) : nil,
    ]
  }

  func apply(
    _ operands: UnsafePointer<UnsafePointer<Float>>, _ out: UnsafeMutablePointer<Float>, _ n: Int
  ) { loop(operands, out, n) }

  func apply(
    _ operands: UnsafePointer<UnsafePointer<Double>>, _ out: UnsafeMutablePointer<Double>,
    _ n: Int
  ) { loop(operands, out, n) }

  @inline(__always)
  private func loop<T: TensorScalar>(
    _ operands: UnsafePointer<UnsafePointer<T>>, _ out: UnsafeMutablePointer<T>, _ n: Int
  ) {
    let (c, a, b) = (operands[0], operands[1], operands[2])
    for i in 0..<n { out[i] = c[i] != 0 ? a[i] : b[i] }
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 3, "select")
    guard inputs[0].shape == inputs[1].shape, inputs[1] == inputs[2] else {
      throw ruleError("select", "operands \(inputs) differ")
    }
    return inputs[1]
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let c = inputs[0].doubles
    switch (inputs[1].storage, inputs[2].storage) {
    case (.f32(let a), .f32(let b)):
      return Tensor(shape: inputs[1].shape, floats: c.indices.map { c[$0] != 0 ? a[$0] : b[$0] })
    default:
      let a = inputs[1].doubles
      let b = inputs[2].doubles
      return Tensor(shape: inputs[1].shape, doubles: c.indices.map { c[$0] != 0 ? a[$0] : b[$0] })
    }
  }
}
