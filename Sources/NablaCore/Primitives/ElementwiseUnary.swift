import CKernels
import RealModule

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `y = −x`; linear, its own transpose.
struct Neg: ElementwiseUnaryRule {
  static let name = "neg"
  var primitive: Primitive { .neg }
  var linearity: Linearity { .all }
  func apply<T: TensorScalar>(_ x: T) -> T { -x }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.full(-1, like: x)
  }
  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    try tangents[0].map { v throws(Diagnostic) in try b.neg(v) }
  }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [try b.neg(ct)]
  }
}

/// `y = eˣ`, `dy = y dx`.
struct Exp: ElementwiseUnaryRule {
  static let name = "exp"
  var primitive: Primitive { .exp }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_sexp_avx2(out, x, n) } } else { nil }
  func apply<T: TensorScalar>(_ x: T) -> T { T.exp(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? { y }
}

/// `y = log x`, `dy = dx / x`; `log 0 = −∞`, negative x gives NaN.
struct Log: ElementwiseUnaryRule {
  static let name = "log"
  var primitive: Primitive { .log }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_slog_avx2(out, x, n) } } else { nil }
  func apply<T: TensorScalar>(_ x: T) -> T { T.log(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.div(try b.full(1, like: x), x)
  }
}

/// `y = sin x`, `dy = cos x dx`.
struct Sin: ElementwiseUnaryRule {
  static let name = "sin"
  var primitive: Primitive { .sin }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_ssin_avx2(out, x, n) } } else { nil }
  func apply<T: TensorScalar>(_ x: T) -> T { T.sin(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.cos, x)
  }
}

/// `y = cos x`, `dy = −sin x dx`.
struct Cos: ElementwiseUnaryRule {
  static let name = "cos"
  var primitive: Primitive { .cos }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_scos_avx2(out, x, n) } } else { nil }
  func apply<T: TensorScalar>(_ x: T) -> T { T.cos(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.neg(try b.unary(.sin, x))
  }
}

/// `y = tan x`, `dy = (1 + y²) dx`.
struct Tan: ElementwiseUnaryRule {
  static let name = "tan"
  var primitive: Primitive { .tan }
  func apply<T: TensorScalar>(_ x: T) -> T { T.tan(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.add(try b.full(1, like: y), try b.mul(y, y))
  }
}

/// `y = asin x`, `dy = dx / √(1 − x²)`.
struct Asin: ElementwiseUnaryRule {
  static let name = "asin"
  var primitive: Primitive { .asin }
  func apply<T: TensorScalar>(_ x: T) -> T { T.asin(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.rsqrt, try b.sub(try b.full(1, like: x), try b.mul(x, x)))
  }
}

/// `y = acos x`, `dy = −dx / √(1 − x²)`.
struct Acos: ElementwiseUnaryRule {
  static let name = "acos"
  var primitive: Primitive { .acos }
  func apply<T: TensorScalar>(_ x: T) -> T { T.acos(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.neg(try b.unary(.rsqrt, try b.sub(try b.full(1, like: x), try b.mul(x, x))))
  }
}

/// `y = atan x`, `dy = dx / (1 + x²)`.
struct Atan: ElementwiseUnaryRule {
  static let name = "atan"
  var primitive: Primitive { .atan }
  func apply<T: TensorScalar>(_ x: T) -> T { T.atan(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    let one = try b.full(1, like: x)
    return try b.div(one, try b.add(one, try b.mul(x, x)))
  }
}

/// `y = sinh x`, `dy = cosh x dx`.
struct Sinh: ElementwiseUnaryRule {
  static let name = "sinh"
  var primitive: Primitive { .sinh }
  func apply<T: TensorScalar>(_ x: T) -> T { T.sinh(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.cosh, x)
  }
}

/// `y = cosh x`, `dy = sinh x dx`.
struct Cosh: ElementwiseUnaryRule {
  static let name = "cosh"
  var primitive: Primitive { .cosh }
  func apply<T: TensorScalar>(_ x: T) -> T { T.cosh(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.sinh, x)
  }
}

/// `y = tanh x`, `dy = (1 − y²) dx` (uses the output; no second `tanh`).
struct Tanh: ElementwiseUnaryRule {
  static let name = "tanh"
  var primitive: Primitive { .tanh }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_stanh_avx2(out, x, n) } } else { nil }
  @inline(__always) func apply<T: TensorScalar>(_ x: T) -> T { T.tanhKernel(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.sub(try b.full(1, like: y), try b.mul(y, y))
  }
}

/// `y = asinh x`, `dy = dx / √(x² + 1)`.
struct Asinh: ElementwiseUnaryRule {
  static let name = "asinh"
  var primitive: Primitive { .asinh }
  func apply<T: TensorScalar>(_ x: T) -> T { T.asinh(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.rsqrt, try b.add(try b.mul(x, x), try b.full(1, like: x)))
  }
}

/// `y = acosh x` (x ≥ 1), `dy = dx / √(x² − 1)`.
struct Acosh: ElementwiseUnaryRule {
  static let name = "acosh"
  var primitive: Primitive { .acosh }
  func apply<T: TensorScalar>(_ x: T) -> T { T.acosh(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.rsqrt, try b.sub(try b.mul(x, x), try b.full(1, like: x)))
  }
}

/// `y = atanh x` (|x| < 1), `dy = dx / (1 − x²)`.
struct Atanh: ElementwiseUnaryRule {
  static let name = "atanh"
  var primitive: Primitive { .atanh }
  func apply<T: TensorScalar>(_ x: T) -> T { T.atanh(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    let one = try b.full(1, like: x)
    return try b.div(one, try b.sub(one, try b.mul(x, x)))
  }
}

/// `y = eˣ − 1`, accurate near 0 where `exp(x) − 1` cancels; `dy = (y + 1) dx`.
struct Expm1: ElementwiseUnaryRule {
  static let name = "expm1"
  var primitive: Primitive { .expm1 }
  func apply<T: TensorScalar>(_ x: T) -> T { T.expMinusOne(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.add(y, try b.full(1, like: y))
  }
}

/// `y = log(1 + x)`, accurate near 0; `dy = dx / (1 + x)`.
struct Log1p: ElementwiseUnaryRule {
  static let name = "log1p"
  var primitive: Primitive { .log1p }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_slog1p_avx2(out, x, n) } } else { nil }
  func apply<T: TensorScalar>(_ x: T) -> T { T.log(onePlus: x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    let one = try b.full(1, like: x)
    return try b.div(one, try b.add(one, x))
  }
}

/// `y = √x`, `dy = dx / (2y)`.
struct Sqrt: ElementwiseUnaryRule {
  static let name = "sqrt"
  var primitive: Primitive { .sqrt }
  func apply<T: TensorScalar>(_ x: T) -> T { x.squareRoot() }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.div(try b.full(0.5, like: y), y)
  }
}

/// `y = 1/√x`, `dy = −y / (2x) dx`.
struct Rsqrt: ElementwiseUnaryRule {
  static let name = "rsqrt"
  var primitive: Primitive { .rsqrt }
  func apply<T: TensorScalar>(_ x: T) -> T { 1 / x.squareRoot() }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.div(try b.scale(y, -0.5), x)
  }
}

/// `y = ∛x`, real for negative x; `dy = dx / (3y²)` (infinite at 0, as in JAX).
struct Cbrt: ElementwiseUnaryRule {
  static let name = "cbrt"
  var primitive: Primitive { .cbrt }
  func apply<T: TensorScalar>(_ x: T) -> T { T(cbrt(Double(x))) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.div(try b.full(1, like: y), try b.scale(try b.mul(y, y), 3))
  }
}

/// `y = |x|`, `dy = sign(x) dx` (0 at x = 0, as JAX).
struct Abs: ElementwiseUnaryRule {
  static let name = "abs"
  var primitive: Primitive { .abs }
  func apply<T: TensorScalar>(_ x: T) -> T { Swift.abs(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.sign, x)
  }
}

/// −1, 0 or 1 by the sign of x; NaN stays NaN. Piecewise constant: zero derivative.
struct Sign: ElementwiseUnaryRule {
  static let name = "sign"
  var primitive: Primitive { .sign }
  func apply<T: TensorScalar>(_ x: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? { nil }
}

/// The largest integer ≤ x. Piecewise constant: zero derivative.
struct Floor: ElementwiseUnaryRule {
  static let name = "floor"
  var primitive: Primitive { .floor }
  func apply<T: TensorScalar>(_ x: T) -> T { x.rounded(.down) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? { nil }
}

/// The smallest integer ≥ x. Piecewise constant: zero derivative.
struct Ceil: ElementwiseUnaryRule {
  static let name = "ceil"
  var primitive: Primitive { .ceil }
  func apply<T: TensorScalar>(_ x: T) -> T { x.rounded(.up) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? { nil }
}

/// The nearest integer, halves to even (as PyTorch and NumPy). Zero derivative.
struct Round: ElementwiseUnaryRule {
  static let name = "round"
  var primitive: Primitive { .round }
  func apply<T: TensorScalar>(_ x: T) -> T { x.rounded(.toNearestOrEven) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? { nil }
}

/// `erf x = 2/√π ∫₀ˣ e^(−t²) dt`, `d erf x = 2/√π e^(−x²) dx`.
struct Erf: ElementwiseUnaryRule {
  static let name = "erf"
  var primitive: Primitive { .erf }
  func apply<T: TensorScalar>(_ x: T) -> T { T.erf(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.scale(try b.unary(.exp, try b.neg(try b.mul(x, x))), 1.1283791670955126)
  }
}

/// `σ(x) = 1 / (1 + e⁻ˣ)`, evaluated without overflow for either sign; `dσ = σ(1 − σ) dx`.
struct Logistic: ElementwiseUnaryRule {
  static let name = "logistic"
  var primitive: Primitive { .logistic }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_slogistic_avx2(out, x, n) } } else { nil }
  func apply<T: TensorScalar>(_ x: T) -> T {
    if x >= 0 { return 1 / (1 + T.exp(-x)) }
    let e = T.exp(x)
    return e / (1 + e)
  }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.mul(y, try b.sub(try b.full(1, like: y), y))
  }
}

/// `softplus x = log(1 + eˣ)`, evaluated as `max(x, 0) + log1p(e^−|x|)` without overflow;
/// `d softplus x = σ(x) dx`, so every derivative is the logistic function's (JAX's softplus
/// differentiates to the same).
struct Softplus: ElementwiseUnaryRule {
  static let name = "softplus"
  var primitive: Primitive { .softplus }
  static let vectorKernel: VectorUnaryKernel? =
    if hasVectorKernels { { out, x, n in nabla_ssoftplus_avx2(out, x, n) } } else { nil }
  func apply<T: TensorScalar>(_ x: T) -> T {
    Swift.max(x, 0) + T.log(onePlus: T.exp(-Swift.abs(x)))
  }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.logistic, x)
  }
}

/// `y = x`, with derivative 0: what is computed through it is held constant by every
/// transform (JAX's `stop_gradient`, PyTorch's `detach`).
struct StopGradient: ElementwiseUnaryRule {
  static let name = "stop_gradient"
  var primitive: Primitive { .stopGradient }
  func apply<T: TensorScalar>(_ x: T) -> T { x }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? { nil }
}
