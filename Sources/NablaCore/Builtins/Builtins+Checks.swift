extension Builtins {
  static let checks: [Builtin] = [
    Builtin(
      "formula", [.required("f"), .variadic("args"), .optional("latex", .bool(false))],
      summary:
        "the formula f computes, as nabla text (or LaTeX), for scalar arguments or arguments shaped like args (as a function value prints)",
      example: "formula(grad(x -> x^3))"
    ) { t, a in
      let f = try a.function("f")
      let arguments = a.isNone("args") ? [] : try a.tensors("args")
      let types = arguments.isEmpty ? nil : arguments.map(\.type)
      guard let text = FormulaPrinter.formula(of: f, argumentTypes: types, in: t.session) else {
        throw Diagnostic(
          .invalidArgument(
            "formula", "\(f.description) has no formula here",
            help:
              "formulas cover functions of one tensor result built from arithmetic, elementwise functions, matrix products, reductions, indexing and reshapes"
          ), at: a.range("f"))
      }
      guard try a.bool("latex") else { return .string(text) }
      guard let latex = LaTeXRenderer.render(text) else {
        throw Diagnostic(.internalError("the formula '\(text)' does not parse"), at: a.range("f"))
      }
      return .string(latex)
    },
    Builtin(
      "allclose",
      [
        .required("a"), .required("b"), .optional("rtol", .none), .optional("atol", .none),
        .optional("equal_nan", .bool(false)),
      ],
      summary: "true when |a − b| ≤ atol + rtol·|b| everywhere (rtol 1e-5, atol 1e-8)",
      example: "allclose([1, 2], [1, 2.000001])"
    ) { t, a in
      let close = try t.isClose(a)
      return .traced(
        try t.reduce(
          { .reduceMin(axes: $0) }, close, Array(0..<close.type.rank), keepdim: false, a.callRange))
    },
    Builtin(
      "isclose",
      [
        .required("a"), .required("b"), .optional("rtol", .none), .optional("atol", .none),
        .optional("equal_nan", .bool(false)),
      ],
      summary: "true where |a − b| ≤ atol + rtol·|b|", example: "isclose([1, 2], [1, 3])"
    ) { t, a in .traced(try t.isClose(a)) },
    unaryBuiltin("any", summary: "true if any element is non-zero", example: "any([0, 1])") {
      t, x, r in try t.nonZero(x, combinedBy: { .reduceMax(axes: $0) }, whenEmpty: 0, r)
    },
    unaryBuiltin("all", summary: "true if every element is non-zero", example: "all([0, 1])") {
      t, x, r in try t.nonZero(x, combinedBy: { .reduceMin(axes: $0) }, whenEmpty: 1, r)
    },
  ]
}

extension Tracer {
  /// `|a − b| ≤ atol + rtol·|b|`, with NaNs equal when `equal_nan`; tolerances default by dtype
  /// as in PyTorch (1e-5 and 1e-8).
  func isClose(_ a: Arguments) throws(Diagnostic) -> Traced {
    let x = try a.tensor("a")
    let y = try a.tensor("b")
    let r = a.callRange
    let rtol = a.isNone("rtol") ? 1e-5 : try a.double("rtol")
    let atol = a.isNone("atol") ? 1e-8 : try a.double("atol")
    let diff = try unary(
      .abs, try elementwise(.sub, x, y, r, a.range("a"), a.range("b")), r)
    let dtype = diff.type.dtype
    let tolerance = try elementwise(
      .add, try scalar(atol, dtype, weak: true), try scaled(try unary(.abs, y, r), rtol, r),
      r, r, r)
    var close = try elementwise(.compare(.le), diff, tolerance, r, r, r)
    let exact = try elementwise(.compare(.eq), x, y, r, r, r)  // equal infinities
    close = try elementwise(.max, close, exact, r, r, r)
    if try a.bool("equal_nan") {
      let nx = try elementwise(.compare(.ne), x, x, r, r, r)
      let ny = try elementwise(.compare(.ne), y, y, r, r, r)
      close = try elementwise(
        .max, close, try elementwise(.mul, nx, ny, r, r, r), r, r, r)
    }
    return close
  }

  /// `any` (max) or `all` (min) of `x ≠ 0` over every element; `whenEmpty` for no elements.
  func nonZero(
    _ x: Traced, combinedBy reduction: ([Int]) -> Primitive, whenEmpty: Double, _ r: SourceRange
  ) throws(Diagnostic) -> Traced {
    guard x.type.count > 0 else { return try scalar(whenEmpty, x.type.dtype, kind: .boolean) }
    let zero = try scalar(0, x.type.dtype, weak: true)
    let nz = try elementwise(.compare(.ne), x, zero, r, r, r)
    return try reduce(reduction, nz, Array(0..<x.type.rank), keepdim: false, r)
  }
}
