extension Builtins {
  static let checks: [Builtin] = [
    Builtin(
      "allclose",
      [
        .required("a"), .required("b"), .optional("rtol", .none), .optional("atol", .none),
        .optional("equal_nan", .bool(false)),
      ],
      summary: "1 when |a − b| ≤ atol + rtol·|b| everywhere (rtol 1e-5, atol 1e-8), else 0",
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
      summary: "1 where |a − b| ≤ atol + rtol·|b|, else 0", example: "isclose([1, 2], [1, 3])"
    ) { t, a in .traced(try t.isClose(a)) },
    unaryBuiltin("any", summary: "1 if any element is non-zero, else 0", example: "any([0, 1])") {
      t, x, r in
      let nz = try t.elementwise(
        .compare(.ne), x, try t.scalar(0, x.type.dtype, weak: true), "compare", r, r, r)
      return try t.reduce(
        { .reduceMax(axes: $0) }, try t.orEmpty(nz, 0, r), Array(0..<x.type.rank), keepdim: false, r
      )
    },
    unaryBuiltin("all", summary: "1 if every element is non-zero, else 0", example: "all([0, 1])") {
      t, x, r in
      let nz = try t.elementwise(
        .compare(.ne), x, try t.scalar(0, x.type.dtype, weak: true), "compare", r, r, r)
      return try t.reduce(
        { .reduceMin(axes: $0) }, try t.orEmpty(nz, 1, r), Array(0..<x.type.rank), keepdim: false, r
      )
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
      .abs, try elementwise(.sub, x, y, "compare", r, a.range("a"), a.range("b")), r)
    let dtype = diff.type.dtype
    let tolerance = try elementwise(
      .add, try scalar(atol, dtype, weak: true), try scaled(try unary(.abs, y, r), rtol, r), "add",
      r, r, r)
    var close = try elementwise(.compare(.le), diff, tolerance, "compare", r, r, r)
    let exact = try elementwise(.compare(.eq), x, y, "compare", r, r, r)  // equal infinities
    close = try elementwise(.max, close, exact, "compare", r, r, r)
    if try a.bool("equal_nan") {
      let nx = try elementwise(.compare(.ne), x, x, "compare", r, r, r)
      let ny = try elementwise(.compare(.ne), y, y, "compare", r, r, r)
      close = try elementwise(
        .max, close, try elementwise(.mul, nx, ny, "multiply", r, r, r), "compare", r, r, r)
    }
    return close
  }

  /// An empty tensor replaced by one element of `value` (so `any`/`all` of nothing are defined).
  func orEmpty(_ x: Traced, _ value: Double, _ r: SourceRange) throws(Diagnostic) -> Traced {
    x.type.count == 0 ? try scalar(value, x.type.dtype) : x
  }
}
