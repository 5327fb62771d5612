/// `erfc x = 1 − erf x`, accurate where it is small (large x); `d erfc = −2/√π e^(−x²) dx`.
struct Erfc: ElementwiseUnaryRule {
  static let name = "erfc"
  var primitive: Primitive { .erfc }
  func apply<T: TensorScalar>(_ x: T) -> T { T.erfc(x) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.scale(try b.unary(.exp, try b.neg(try b.mul(x, x))), -1.1283791670955126)
  }
}

/// `y = erf⁻¹ x` on [−1, 1]; `dy = √π/2 e^(y²) dx`.
struct Erfinv: ElementwiseUnaryRule {
  static let name = "erfinv"
  var primitive: Primitive { .erfinv }
  func apply<T: TensorScalar>(_ x: T) -> T { T(SpecialFunctions.erfinv(Double(x))) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.scale(try b.unary(.exp, try b.mul(y, y)), 0.88622692545275801)
  }
}

/// `log |Γ(x)|`; `d log|Γ| = ψ(x) dx`.
struct Lgamma: ElementwiseUnaryRule {
  static let name = "lgamma"
  var primitive: Primitive { .lgamma }
  func apply<T: TensorScalar>(_ x: T) -> T { T(Double.logGamma(Double(x))) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.polygamma(order: 0), x)
  }
}

/// `ψ⁽ⁿ⁾(x)`, the digamma function for n = 0; `dψ⁽ⁿ⁾ = ψ⁽ⁿ⁺¹⁾(x) dx`.
struct Polygamma: ElementwiseUnaryRule {
  static let name = "polygamma"
  let order: Int
  var primitive: Primitive { .polygamma(order: order) }
  var parameterText: String { "[n=\(order)]" }
  func apply<T: TensorScalar>(_ x: T) -> T { T(SpecialFunctions.polygamma(order, Double(x))) }
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var? {
    try b.unary(.polygamma(order: order + 1), x)
  }
}
