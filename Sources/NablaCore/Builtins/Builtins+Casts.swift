extension Builtins {
  /// The dtype conversions: `astype(x, dtype)` and a function per dtype, as NumPy's
  /// `np.float32(x)` and PyTorch's `x.to(torch.int64)`.
  static let casts: [Builtin] = [
    Builtin(
      "astype", [.required("x"), .required("dtype")],
      summary:
        "x in another dtype: float32, float64, int64 (toward zero) or bool (x ≠ 0); also x.astype(dtype) and x.to(dtype)",
      example: "astype([1.7, -1.7], \"int64\")"
    ) { t, a in
      .traced(try t.cast(try a.tensor("x"), to: try a.elementType("dtype"), a.callRange))
    },
    castBuiltin("float32", ElementType(.float, .f32), example: "float32(arange(3))"),
    castBuiltin("float64", ElementType(.float, .f64), example: "float64(1) / 3"),
    castBuiltin("int64", .int64, example: "int64([2.5, -2.5, 7])"),
    castBuiltin("bool", .bool, example: "bool([0, 1, 2])"),
  ]

  /// `name(x)`: `x` as `type`.
  private static func castBuiltin(_ name: String, _ type: ElementType, example: String) -> Builtin {
    unaryBuiltin(
      name, summary: "x as \(type.name) (astype(x, \"\(type.name)\"))", example: example
    ) { t, x, r in try t.cast(x, to: type, r) }
  }

  /// The methods `x.name(…)` that are these functions with `x` first (PyTorch's and NumPy's
  /// spellings of a conversion), and the dtype a method names itself.
  static let castMethods: [String: (builtin: String, dtype: String?)] = [
    "astype": ("astype", nil), "to": ("astype", nil), "float": ("astype", "float32"),
    "double": ("astype", "float64"), "long": ("astype", "int64"), "int": ("astype", "int64"),
    "bool": ("astype", "bool"),
  ]
}

extension Tracer {
  /// `x` converted to `type` (a tensor, no longer a weak scalar): to an integer toward zero, where a value without one (NaN, an
  /// infinity, beyond ±2⁶³) becomes −2⁶³ as PyTorch gives on x86; to a truth value, `x ≠ 0`.
  /// The derivative through a conversion to an integer or truth value is zero (JAX's rule).
  func cast(_ x: Traced, to type: ElementType, _ range: SourceRange) throws(Diagnostic) -> Traced {
    switch type.kind {
    case .float:
      var t = try convert(x, to: type.storage, range)
      t.kind = .float
      t.isWeak = false
      return t
    case .boolean:
      var t = x
      if x.kind != .boolean {
        let zero = try scalar(0, x.type.dtype, weak: true)
        t = try elementwise(.compare(.ne), x, zero, range, range, range)
      }
      t.isWeak = false
      return t
    case .integer:
      var y = try convert(x, to: .f64, range)
      y.isWeak = false
      if x.kind != .float {
        y.kind = .integer
        return y
      }
      let zero = try scalar(0, .f64, weak: true)
      let truncated = try select(
        try elementwise(.compare(.lt), y, zero, range, range, range), try unary(.ceil, y, range),
        try unary(.floor, y, range), range)
      return try saturated(truncated, range)
    }
  }

  /// Whole numbers as int64: those without one (NaN, an infinity, beyond ±2⁶³) become −2⁶³,
  /// as x86 converts them.
  func saturated(_ y: Traced, _ range: SourceRange) throws(Diagnostic) -> Traced {
    let limit = try scalar(0x1p63, .f64, weak: true, kind: .float)
    let representable = try elementwise(
      .compare(.lt), try unary(.abs, y, range), limit, range, range, range)
    let indefinite = try scalar(-0x1p63, .f64, weak: true, kind: .integer)
    var r = try select(representable, y, indefinite, range)
    r.kind = .integer
    r.isWeak = false
    return r
  }
}
