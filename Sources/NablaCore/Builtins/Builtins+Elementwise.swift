extension Builtins {
  /// Functions that are one primitive.
  private static let primitiveUnary: [(String, Primitive, String)] = [
    ("sin", .sin, "sine"), ("cos", .cos, "cosine"), ("tan", .tan, "tangent"),
    ("asin", .asin, "inverse sine"), ("acos", .acos, "inverse cosine"),
    ("atan", .atan, "inverse tangent"),
    ("sinh", .sinh, "hyperbolic sine"), ("cosh", .cosh, "hyperbolic cosine"),
    ("tanh", .tanh, "hyperbolic tangent"), ("asinh", .asinh, "inverse hyperbolic sine"),
    ("acosh", .acosh, "inverse hyperbolic cosine"), ("atanh", .atanh, "inverse hyperbolic tangent"),
    ("exp", .exp, "eˣ"), ("expm1", .expm1, "eˣ − 1, accurate near 0"),
    ("log", .log, "natural logarithm"),
    ("log1p", .log1p, "log(1 + x), accurate near 0"), ("sqrt", .sqrt, "square root"),
    ("rsqrt", .rsqrt, "1/√x"), ("cbrt", .cbrt, "cube root"), ("abs", .abs, "absolute value"),
    ("sign", .sign, "−1, 0 or 1"), ("floor", .floor, "round down"), ("ceil", .ceil, "round up"),
    ("round", .round, "round to nearest, halves to even"), ("erf", .erf, "error function"),
    ("erfc", .erfc, "complementary error function 1 − erf x, accurate where it is small"),
    ("erfinv", .erfinv, "inverse error function, on [−1, 1]"),
    ("lgamma", .lgamma, "log |Γ(x)|"), ("digamma", .polygamma(order: 0), "ψ(x) = d/dx log Γ(x)"),
    ("sigmoid", .logistic, "1/(1 + e⁻ˣ)"), ("neg", .neg, "−x"),
    (
      "stop_gradient", .stopGradient,
      "x, held constant by every transform: its derivative is 0 (JAX's stop_gradient, PyTorch's detach)"
    ),
  ]

  static let elementwise: [Builtin] =
    primitiveUnary.map { name, p, summary in
      unaryBuiltin(name, summary: summary, example: "\(name)(0.5)") { t, x, r in
        try t.unary(p, x, r)
      }
    } + [
      Builtin(
        "polygamma", ["n", "x"], summary: "ψ⁽ⁿ⁾(x), the n-th derivative of digamma",
        example: "polygamma(1, 1)"
      ) { t, a in
        let n = try a.int("n")
        guard (0...SpecialFunctions.largestPolygammaOrder).contains(n) else {
          throw Diagnostic(
            .invalidArgument(
              "polygamma",
              "the order n must be from 0 to \(SpecialFunctions.largestPolygammaOrder), got \(n)"),
            at: a.range("n"))
        }
        return .traced(try t.unary(.polygamma(order: n), try a.tensor("x"), a.callRange))
      },
      unaryBuiltin("log2", summary: "base-2 logarithm", example: "log2(8)") { t, x, r in
        try t.scaled(try t.unary(.log, x, r), 1 / 0.6931471805599453, r)
      },
      unaryBuiltin("log10", summary: "base-10 logarithm", example: "log10(1000)") { t, x, r in
        try t.scaled(try t.unary(.log, x, r), 1 / 2.302585092994046, r)
      },
      unaryBuiltin("square", summary: "x²", example: "square(3)") { t, x, r in
        try t.elementwise(.mul, x, x, r, r, r)
      },
      unaryBuiltin("reciprocal", summary: "1/x", example: "reciprocal(4)") { t, x, r in
        try t.elementwise(.div, try t.scalar(1, x.type.dtype, weak: true), x, r, r, r)
      },
      unaryBuiltin(
        "relu", summary: "max(x, 0); its derivative at 0 is 0, as in JAX and PyTorch",
        example: "relu([-1, 2])"
      ) {
        t, x, r in
        // select(x ≤ 0, 0, x) rather than max(x, 0): max splits a tie's derivative in half.
        let zero = try t.scalar(0, x.type.dtype, weak: true)
        let nonPositive = try t.elementwise(.compare(.le), x, zero, r, r, r)
        return try t.select(nonPositive, zero, x, r)
      },
      unaryBuiltin(
        "softplus", summary: "log(1 + eˣ), computed without overflow", example: "softplus(0)"
      ) {
        t, x, r in
        // log(1 + eˣ) = log1p(e^−|x|) + max(x, 0)
        let e = try t.unary(.exp, try t.unary(.neg, try t.unary(.abs, x, r), r), r)
        let zero = try t.scalar(0, x.type.dtype, weak: true)
        return try t.elementwise(
          .add, try t.unary(.log1p, e, r), try t.elementwise(.max, x, zero, r, r, r), r, r, r)
      },
      Builtin(
        "gelu", [.required("x"), .optional("approximate", .string("none"))],
        summary: "x·Φ(x); approximate=\"tanh\" for the tanh form", example: "gelu(1)"
      ) { t, a in
        let x = try a.tensor("x")
        let r = a.callRange
        let half = try t.scalar(0.5, x.type.dtype, weak: true)
        let one = try t.scalar(1, x.type.dtype, weak: true)
        let inner: Traced
        switch try a.string("approximate") {
        case "none":  // ½x(1 + erf(x/√2))
          inner = try t.unary(.erf, try t.scaled(x, 0.7071067811865476, r), r)
        case "tanh":  // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
          let cube = try t.elementwise(
            .mul, try t.elementwise(.mul, x, x, r, r, r), x, r, r, r)
          let sum = try t.elementwise(.add, x, try t.scaled(cube, 0.044715, r), r, r, r)
          inner = try t.unary(.tanh, try t.scaled(sum, 0.7978845608028654, r), r)
        case let other:
          throw Diagnostic(
            .invalidArgument("gelu", "approximate must be \"none\" or \"tanh\", got \"\(other)\""),
            at: a.range("approximate"))
        }
        let factor = try t.elementwise(.add, one, inner, r, r, r)
        return .traced(
          try t.elementwise(
            .mul, try t.elementwise(.mul, half, x, r, r, r), factor, r, r, r
          ))
      },
      unaryBuiltin("silu", summary: "x·σ(x)", example: "silu(1)") { t, x, r in
        try t.elementwise(.mul, x, try t.unary(.logistic, x, r), r, r, r)
      },
      unaryBuiltin("isnan", summary: "true where x is NaN", example: "isnan(nan)") { t, x, r in
        try t.elementwise(.compare(.ne), x, x, r, r, r)
      },
      unaryBuiltin(
        "isfinite", summary: "true where x is finite", example: "isfinite([1, inf])"
      ) { t, x, r in
        let inf = try t.scalar(.infinity, x.type.dtype, weak: true)
        return try t.elementwise(.compare(.lt), try t.unary(.abs, x, r), inf, r, r, r)
      },
      binaryBuiltin("pow", "a", "b", summary: "aᵇ", example: "pow(2, [1, 2, 3])") {
        t, x, y, r, ra, rb in
        try t.power(x, y, r, ra, rb)
      },
      binaryBuiltin(
        "atan2", "a", "b", summary: "the angle of the point (b, a)", example: "atan2(1, 1)"
      ) {
        t, x, y, r, ra, rb in try t.elementwise(.atan2, x, y, r, ra, rb)
      },
      binaryBuiltin(
        "maximum", "a", "b", summary: "elementwise maximum", example: "maximum([1, 5], 3)"
      ) {
        t, x, y, r, ra, rb in try t.elementwise(.max, x, y, r, ra, rb)
      },
      binaryBuiltin(
        "minimum", "a", "b", summary: "elementwise minimum", example: "minimum([1, 5], 3)"
      ) {
        t, x, y, r, ra, rb in try t.elementwise(.min, x, y, r, ra, rb)
      },
      Builtin(
        "clamp", [.required("x"), .optional("min"), .optional("max")],
        aliases: ["lo": "min", "hi": "max"],
        summary: "x limited to [min, max]", example: "clamp([-2, 0, 2], -1, 1)"
      ) { t, a in
        var x = try a.tensor("x")
        let r = a.callRange
        if !a.isNone("min") {
          x = try t.elementwise(.max, x, try a.tensor("min"), r, r, a.range("min"))
        }
        if !a.isNone("max") {
          x = try t.elementwise(.min, x, try a.tensor("max"), r, r, a.range("max"))
        }
        return .traced(x)
      },
      Builtin(
        "where", [.required("condition"), .required("a"), .required("b")],
        summary: "a where condition is non-zero, else b", example: "where([1, 0], 10, 20)"
      ) { t, a in
        .traced(
          try t.select(try a.tensor("condition"), try a.tensor("a"), try a.tensor("b"), a.callRange)
        )
      },
    ]

  /// A built-in of two broadcast tensor arguments.
  static func binaryBuiltin(
    _ name: String, _ first: String, _ second: String, summary: String, example: String,
    _ make:
      @escaping @Sendable (Tracer, Traced, Traced, SourceRange, SourceRange, SourceRange) throws ->
      Traced
  ) -> Builtin {
    Builtin(name, [.required(first), .required(second)], summary: summary, example: example) {
      t, a in
      .traced(
        try make(
          t, try a.tensor(first), try a.tensor(second), a.callRange, a.range(first), a.range(second)
        ))
    }
  }
}

extension Tracer {
  /// `c · x` for a real constant c.
  func scaled(_ x: Traced, _ c: Double, _ range: SourceRange) throws(Diagnostic) -> Traced {
    try elementwise(
      .mul, x, try scalar(c, x.type.dtype, weak: true), range, range, range)
  }
}
