import RealModule

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `x + y`.
struct Add: ElementwiseBinaryRule {
  static let name = "add"
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x + y }
}

/// `x − y`.
struct Sub: ElementwiseBinaryRule {
  static let name = "sub"
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x - y }
}

/// `x · y`.
struct Mul: ElementwiseBinaryRule {
  static let name = "mul"
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x * y }
}

/// `x / y` (IEEE: division by zero gives ±∞ or NaN).
struct Div: ElementwiseBinaryRule {
  static let name = "div"
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T { x / y }
}

/// `xʸ` with C's `pow` semantics: a negative base with an integer exponent is real.
struct Pow: ElementwiseBinaryRule {
  static let name = "pow"
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T {
    if y == 2 { return x * x }
    return T(pow(Double(x), Double(y)))
  }
}

/// `atan2(y, x)`, the angle of the point (x, y).
struct Atan2: ElementwiseBinaryRule {
  static let name = "atan2"
  func apply<T: TensorScalar>(_ y: T, _ x: T) -> T { T.atan2(y: y, x: x) }
}

/// The larger of x and y; NaN if either is NaN (as `torch.maximum`).
struct Maximum: ElementwiseBinaryRule {
  static let name = "max"
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T {
    x.isNaN || y.isNaN ? T.nan : Swift.max(x, y)
  }
}

/// The smaller of x and y; NaN if either is NaN (as `torch.minimum`).
struct Minimum: ElementwiseBinaryRule {
  static let name = "min"
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T {
    x.isNaN || y.isNaN ? T.nan : Swift.min(x, y)
  }
}

/// 1 where `x ⋄ y` holds, else 0 (NaN compares unequal to everything).
struct Compare: ElementwiseBinaryRule {
  static let name = "compare"
  let comparison: Primitive.Comparison
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
}

/// `select(c, a, b)`: `a` where `c ≠ 0`, else `b`; all three of equal shape.
struct Select: PrimitiveRule {
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
