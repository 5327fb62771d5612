/// The help line of a non-finite origin: how to write the computation so it stays finite.
extension NonFiniteOrigin.Event {
  /// - an infinite derivative (`sqrt`, `log` at 0): mask the argument as well as the result
  ///   (the double-`where` pattern), since `where` differentiates both branches and the chain
  ///   rule multiplies the discarded one's infinite derivative by 0;
  /// - a division by zero: guard the divisor the same way;
  /// - an overflow: `exp` in a stable form (`logsumexp`, `softmax`), else rescale or use f64;
  /// - a value outside a function's domain: keep the argument in it, or mask it.
  var help: String {
    let f = operation
    let derivation = equation.provenance.derivation
    if let advice = Self.factorizationHelp(f, inDerivative: derivation != nil) { return advice }
    if derivation?.part == .derivative {
      return "the derivative of \(Self.name(f)) is not finite at these points; keep them out of "
        + "\(Self.name(f)), not only out of the result (where differentiates both branches, and "
        + "0 * inf = nan): " + Self.maskedExample(f)
    }
    if isDivisionByZero {
      return "guard the divisor, inside the division too, so the gradient stays finite: "
        + Self.maskedExample(.div)
    }
    if isOverflow {
      let largest = dtype == .f32 ? "3.4e+38" : "1.8e+308"
      let wider = dtype == .f32 ? ", or compute in f64 (--dtype f64)" : ""
      let exponential: Set<Primitive.Kind> = [.exp, .expm1, .sinh, .cosh]
      if derivation == nil, exponential.contains(f) {
        return "compute it in a stable form: logsumexp(x) for log(sum(exp(x))), softmax(x) for "
          + "exp(x) / sum(exp(x)), or exp(x - max(x))\(wider)"
      }
      return
        "the value is beyond the largest \(dtype.rawValue) (\(largest)): rescale the inputs\(wider)"
    }
    return "keep the argument of \(Self.name(f)) in its domain, or mask it inside "
      + "\(Self.name(f)) as well as outside, so the gradient stays finite too: "
      + Self.maskedExample(f)
  }

  /// Where a factorization (or its derivative) is not finite, the property of the matrix that
  /// is missing; `nil` for other operations.
  static func factorizationHelp(_ f: Primitive.Kind, inDerivative: Bool) -> String? {
    if f == .cholesky, !inDerivative {
      return "cholesky needs a matrix whose symmetric part (A + Aᵀ)/2 is positive definite; "
        + "it gives NaN for one that is not (as JAX)"
    }
    guard inDerivative else { return nil }
    if f == .eigh {
      return "equal eigenvalues make the eigenvectors' derivative infinite (it divides by "
        + "w_j − w_i, as JAX's); differentiate the eigenvalues alone (eigvalsh), or keep them apart"
    }
    if f == .svd {
      return "equal or zero singular values make the singular vectors' derivative infinite (it "
        + "divides by s_j² − s_i² and s_i, as JAX's); differentiate the singular values alone "
        + "(svdvals), or keep them apart and nonzero"
    }
    if f == .qr { return "the derivative of qr solves with R, so A must have full rank" }
    if f == .adjugate {
      return "the derivative of adjugate (the second derivative of det) divides by det A for "
        + "matrices larger than \(Adjugate.largestExactDerivative)×\(Adjugate.largestExactDerivative), "
        + "so it is not finite where one is singular"
    }
    return nil
  }

  /// The double-`where` pattern for `f`: the result masked, and the argument replaced by a
  /// safe value where it is masked, so neither `f` nor its derivative sees the bad points.
  static func maskedExample(_ f: Primitive.Kind) -> String {
    let name = Self.name(f)
    switch f {
    case .div: return "where(y != 0, x / where(y != 0, y, 1), 0)"
    case .pow: return "where(x > 0, where(x > 0, x, 1)^p, 0)"
    case .sqrt, .log, .rsqrt:
      return "where(x > 0, \(name)(where(x > 0, x, 1)), 0)"
    case .cbrt: return "where(x != 0, cbrt(where(x != 0, x, 1)), 0)"
    case .asin, .acos, .atanh:
      return "where(abs(x) < 1, \(name)(where(abs(x) < 1, x, 0)), 0)"
    case .acosh: return "where(x > 1, acosh(where(x > 1, x, 2)), 0)"
    case .log1p: return "where(x > -1, log1p(where(x > -1, x, 0)), 0)"
    case .neg, .exp, .sin, .cos, .tan, .atan, .sinh, .cosh, .tanh, .asinh, .expm1, .abs, .sign,
      .floor, .ceil, .round, .erf, .erfc, .erfinv, .lgamma, .polygamma, .logistic, .softplus,
      .stopGradient,
      .add, .sub, .mul, .atan2, .max, .min,
      .compare,
      .select, .convert, .broadcast, .reshape, .transpose, .slice, .pad, .reverse, .concatenate,
      .gather, .scatterAdd,
      .reduceSum, .reduceMax, .reduceMin, .reduceProd, .argsort, .argReduce, .takeAlongAxis,
      .scatterAddAlongAxis, .dotGeneral, .inverse, .determinant,
      .solve, .adjugate, .cholesky, .eigh, .qr, .svd, .pseudoInverse, .customJVP, .customVJP,
      .customVJPTangent:
      return "where(ok, \(name)(where(ok, x, safe)), 0)"
    }
  }
}
