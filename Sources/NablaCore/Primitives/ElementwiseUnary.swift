import RealModule

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `−x`.
struct Neg: ElementwiseUnaryRule {
  static let name = "neg"
  func apply<T: TensorScalar>(_ x: T) -> T { -x }
}

/// `eˣ`.
struct Exp: ElementwiseUnaryRule {
  static let name = "exp"
  func apply<T: TensorScalar>(_ x: T) -> T { T.exp(x) }
}

/// Natural logarithm; `log 0 = −∞`, negative input gives NaN.
struct Log: ElementwiseUnaryRule {
  static let name = "log"
  func apply<T: TensorScalar>(_ x: T) -> T { T.log(x) }
}

/// `sin x`.
struct Sin: ElementwiseUnaryRule {
  static let name = "sin"
  func apply<T: TensorScalar>(_ x: T) -> T { T.sin(x) }
}

/// `cos x`.
struct Cos: ElementwiseUnaryRule {
  static let name = "cos"
  func apply<T: TensorScalar>(_ x: T) -> T { T.cos(x) }
}

/// `tan x`.
struct Tan: ElementwiseUnaryRule {
  static let name = "tan"
  func apply<T: TensorScalar>(_ x: T) -> T { T.tan(x) }
}

/// `asin x`, defined on [−1, 1].
struct Asin: ElementwiseUnaryRule {
  static let name = "asin"
  func apply<T: TensorScalar>(_ x: T) -> T { T.asin(x) }
}

/// `acos x`, defined on [−1, 1].
struct Acos: ElementwiseUnaryRule {
  static let name = "acos"
  func apply<T: TensorScalar>(_ x: T) -> T { T.acos(x) }
}

/// `atan x`.
struct Atan: ElementwiseUnaryRule {
  static let name = "atan"
  func apply<T: TensorScalar>(_ x: T) -> T { T.atan(x) }
}

/// `sinh x = (eˣ − e⁻ˣ) / 2`.
struct Sinh: ElementwiseUnaryRule {
  static let name = "sinh"
  func apply<T: TensorScalar>(_ x: T) -> T { T.sinh(x) }
}

/// `cosh x = (eˣ + e⁻ˣ) / 2`.
struct Cosh: ElementwiseUnaryRule {
  static let name = "cosh"
  func apply<T: TensorScalar>(_ x: T) -> T { T.cosh(x) }
}

/// `tanh x = sinh x / cosh x`.
struct Tanh: ElementwiseUnaryRule {
  static let name = "tanh"
  func apply<T: TensorScalar>(_ x: T) -> T { T.tanh(x) }
}

/// `asinh x = log(x + √(x² + 1))`.
struct Asinh: ElementwiseUnaryRule {
  static let name = "asinh"
  func apply<T: TensorScalar>(_ x: T) -> T { T.asinh(x) }
}

/// `acosh x = log(x + √(x² − 1))`, defined for x ≥ 1.
struct Acosh: ElementwiseUnaryRule {
  static let name = "acosh"
  func apply<T: TensorScalar>(_ x: T) -> T { T.acosh(x) }
}

/// `atanh x = ½ log((1 + x) / (1 − x))`, defined on (−1, 1).
struct Atanh: ElementwiseUnaryRule {
  static let name = "atanh"
  func apply<T: TensorScalar>(_ x: T) -> T { T.atanh(x) }
}

/// `eˣ − 1`, accurate near 0 where `exp(x) − 1` cancels.
struct Expm1: ElementwiseUnaryRule {
  static let name = "expm1"
  func apply<T: TensorScalar>(_ x: T) -> T { T.expMinusOne(x) }
}

/// `log(1 + x)`, accurate near 0.
struct Log1p: ElementwiseUnaryRule {
  static let name = "log1p"
  func apply<T: TensorScalar>(_ x: T) -> T { T.log(onePlus: x) }
}

/// `√x`.
struct Sqrt: ElementwiseUnaryRule {
  static let name = "sqrt"
  func apply<T: TensorScalar>(_ x: T) -> T { x.squareRoot() }
}

/// `1 / √x`.
struct Rsqrt: ElementwiseUnaryRule {
  static let name = "rsqrt"
  func apply<T: TensorScalar>(_ x: T) -> T { 1 / x.squareRoot() }
}

/// `∛x`, real for negative x.
struct Cbrt: ElementwiseUnaryRule {
  static let name = "cbrt"
  func apply<T: TensorScalar>(_ x: T) -> T { T(cbrt(Double(x))) }
}

/// `|x|`.
struct Abs: ElementwiseUnaryRule {
  static let name = "abs"
  func apply<T: TensorScalar>(_ x: T) -> T { Swift.abs(x) }
}

/// −1, 0 or 1 by the sign of x; NaN stays NaN.
struct Sign: ElementwiseUnaryRule {
  static let name = "sign"
  func apply<T: TensorScalar>(_ x: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : x) }
}

/// The largest integer ≤ x.
struct Floor: ElementwiseUnaryRule {
  static let name = "floor"
  func apply<T: TensorScalar>(_ x: T) -> T { x.rounded(.down) }
}

/// The smallest integer ≥ x.
struct Ceil: ElementwiseUnaryRule {
  static let name = "ceil"
  func apply<T: TensorScalar>(_ x: T) -> T { x.rounded(.up) }
}

/// The nearest integer, halves to even (as PyTorch and NumPy).
struct Round: ElementwiseUnaryRule {
  static let name = "round"
  func apply<T: TensorScalar>(_ x: T) -> T { x.rounded(.toNearestOrEven) }
}

/// The error function `erf x = 2/√π ∫₀ˣ e^(−t²) dt`.
struct Erf: ElementwiseUnaryRule {
  static let name = "erf"
  func apply<T: TensorScalar>(_ x: T) -> T { T.erf(x) }
}

/// The logistic sigmoid `σ(x) = 1 / (1 + e⁻ˣ)`, evaluated without overflow for either sign.
struct Logistic: ElementwiseUnaryRule {
  static let name = "logistic"
  func apply<T: TensorScalar>(_ x: T) -> T {
    if x >= 0 { return 1 / (1 + T.exp(-x)) }
    let e = T.exp(x)
    return e / (1 + e)
  }
}
