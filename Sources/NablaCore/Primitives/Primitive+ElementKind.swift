extension Primitive {
  /// How the ``ElementKind`` of a result follows from its operands', as PyTorch has it.
  public enum KindRule: Sendable {
    /// Real-valued (`sin`, `/`, the factorizations): integer and boolean operands are first
    /// made floats of the default dtype, as `torch.sin(torch.arange(3))` is float32.
    case float
    /// Truth values (the comparisons).
    case boolean
    /// The operands' kind (the tracer has promoted them to one): moving, selecting and
    /// rounding elements, `+`, `-`, `*` (of truth values: `and`), `max`.
    case operands
    /// The operands' kind, with truth values counted as integers: sums and products
    /// (`sum(x > 0)` is the number of positive elements, an int64 as in PyTorch).
    case counting
  }

  public var kindRule: KindRule {
    switch self {
    case .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh, .acosh,
      .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .erf, .logistic, .erfc, .erfinv, .lgamma,
      .polygamma, .div, .pow, .atan2, .inverse, .determinant, .solve, .adjugate, .cholesky, .eigh,
      .qr, .svd, .pseudoInverse, .customJVP, .customVJP, .customVJPTangent:
      .float
    case .compare: .boolean
    case .neg, .abs, .sign, .floor, .ceil, .round, .stopGradient, .add, .sub, .max, .min, .select,
      .convert, .broadcast, .reshape, .transpose, .slice, .pad, .reverse, .concatenate, .gather,
      .scatterAdd, .reduceMax, .reduceMin, .mul:
      .operands
    case .reduceSum, .reduceProd, .dotGeneral: .counting
    }
  }

  /// The operands that carry the result's elements: all but `select`'s condition.
  func dataOperands<T>(_ operands: [T]) -> ArraySlice<T> {
    if case .select = self { return operands.dropFirst() }
    return operands[...]
  }
}
