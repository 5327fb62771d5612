extension Builtins {
  private static let reductionParameters: [Parameter] = [
    .required("x"), .optional("dim"), .optional("keepdim", .bool(false)),
  ]
  private static let reductionAliases = ["axis": "dim", "keepdims": "keepdim"]

  /// A reduction built-in: `make(tracer, x, axes, keepdim, range)`.
  private static func reduction(
    _ name: String, summary: String, example: String,
    _ make: @escaping @Sendable (Tracer, Traced, [Int], Bool, SourceRange) throws -> Traced
  ) -> Builtin {
    Builtin(
      name, reductionParameters, aliases: reductionAliases, summary: summary, example: example
    ) { t, a in
      let x = try a.tensor("x")
      let axes = try t.axes(try a.optionalInts("dim"), rank: x.type.rank, a.range("dim"))
      return .traced(try make(t, x, axes, try a.bool("keepdim"), a.callRange))
    }
  }

  /// `max`/`min`: a reduction, or with a tensor second argument the elementwise version.
  private static func extremum(
    _ name: String, _ make: @escaping @Sendable ([Int]) -> Primitive, _ pairwise: Primitive
  )
    -> Builtin
  {
    Builtin(
      name, reductionParameters, aliases: reductionAliases,
      summary: "the \(name)imum over dim (all elements by default); \(name)(a, b) is elementwise",
      example: "\(name)([3, 1, 2])"
    ) { t, a in
      let x = try a.tensor("x")
      switch a.value("dim") {
      case .traced, .tensor:
        return .traced(
          try t.elementwise(
            pairwise, x, try a.tensor("dim"), a.callRange, a.range("x"), a.range("dim")))
      default: break
      }
      let axes = try t.axes(try a.optionalInts("dim"), rank: x.type.rank, a.range("dim"))
      guard axes.allSatisfy({ x.type.shape[$0] > 0 }) else {
        throw Diagnostic(.emptyReduction(name), at: a.callRange)
      }
      return .traced(try t.reduce(make, x, axes, keepdim: try a.bool("keepdim"), a.callRange))
    }
  }

  static let reductions: [Builtin] = [
    reduction(
      "sum", summary: "the sum over dim (all elements by default)", example: "sum([1, 2, 3])"
    ) {
      t, x, axes, keep, r in try t.reduce({ .reduceSum(axes: $0) }, x, axes, keepdim: keep, r)
    },
    reduction("mean", summary: "the mean over dim", example: "mean([1, 2, 3])") {
      t, x, axes, keep, r in
      try t.mean(x, axes, keepdim: keep, r)
    },
    reduction("prod", summary: "the product over dim", example: "prod([1, 2, 3])") {
      t, x, axes, keep, r in
      try t.reduce({ .reduceProd(axes: $0) }, x, axes, keepdim: keep, r)
    },
    extremum("max", { .reduceMax(axes: $0) }, .max),
    extremum("min", { .reduceMin(axes: $0) }, .min),
    Builtin(
      "norm",
      [
        .required("x"), .optional("p", .int(2)), .optional("dim"),
        .optional("keepdim", .bool(false)),
      ],
      aliases: ["ord": "p", "axis": "dim", "keepdims": "keepdim"],
      summary:
        "the p-norm (Σ|x|ᵖ)^(1/p) over dim (all elements by default); p = 2 (also \"fro\"), any real, inf (max |x|), -inf (min |x|), 0 (the count of non-zeros)",
      example: "norm([3, -4], 1)"
    ) { t, a in
      let x = try a.tensor("x")
      let axes = try t.axes(try a.optionalInts("dim"), rank: x.type.rank, a.range("dim"))
      let p: Double
      if case .string(let name) = a.value("p") {
        guard name == "fro" else {
          throw Diagnostic(
            .invalidArgument(
              "norm", "unknown norm \"\(name)\"",
              help: "norm takes p = \"fro\" or a number; matrix norms are matrix_norm(A, ord)"),
            at: a.range("p"))
        }
        p = 2
      } else {
        p = try a.double("p")
      }
      guard !p.isNaN else {
        throw Diagnostic(.invalidArgument("norm", "p must be a number, not nan"), at: a.range("p"))
      }
      return .traced(try t.norm(x, p: p, axes, keepdim: try a.bool("keepdim"), a.callRange))
    },
    reduction(
      "logsumexp", summary: "log Σ eˣ over dim, computed without overflow",
      example: "logsumexp([1, 2, 3])"
    ) { t, x, axes, keep, r in try t.logsumexp(x, axes, keepdim: keep, r) },
    variance(
      "var", summary: "the variance over dim; unbiased (n − 1) by default, as PyTorch", root: false),
    variance(
      "std", summary: "the standard deviation over dim; unbiased by default, as PyTorch", root: true
    ),
    Builtin(
      "softmax", [.required("x"), .optional("dim", .int(-1))], aliases: ["axis": "dim"],
      summary: "eˣ / Σ eˣ along dim (the last axis by default)", example: "softmax([1, 2, 3])"
    ) { t, a in
      let x = try a.tensor("x")
      let axis = try t.axis(try a.int("dim"), rank: max(x.type.rank, 1), a.range("dim"))
      let r = a.callRange
      let lse = try t.logsumexp(x, x.type.rank == 0 ? [] : [axis], keepdim: true, r)
      return .traced(try t.unary(.exp, try t.elementwise(.sub, x, lse, r, r, r), r))
    },
    Builtin(
      "log_softmax", [.required("x"), .optional("dim", .int(-1))], aliases: ["axis": "dim"],
      summary: "x − logsumexp(x) along dim (the last axis by default)",
      example: "log_softmax([1, 2, 3])"
    ) { t, a in
      let x = try a.tensor("x")
      let axis = try t.axis(try a.int("dim"), rank: max(x.type.rank, 1), a.range("dim"))
      let r = a.callRange
      let lse = try t.logsumexp(x, x.type.rank == 0 ? [] : [axis], keepdim: true, r)
      return .traced(try t.elementwise(.sub, x, lse, r, r, r))
    },
  ]

  private static func variance(_ name: String, summary: String, root: Bool) -> Builtin {
    Builtin(
      name,
      [
        .required("x"), .optional("dim"), .optional("unbiased", .bool(true)),
        .optional("keepdim", .bool(false)),
        .optional("correction"),
      ],
      aliases: reductionAliases, summary: summary, example: "\(name)([1, 2, 3, 4])"
    ) { t, a in
      let x = try a.tensor("x")
      let axes = try t.axes(try a.optionalInts("dim"), rank: x.type.rank, a.range("dim"))
      let correction = try a.optionalInt("correction") ?? (try a.bool("unbiased") ? 1 : 0)
      var v = try t.variance(
        x, axes, correction: correction, keepdim: try a.bool("keepdim"), a.callRange)
      if root { v = try t.unary(.sqrt, v, a.callRange) }
      return .traced(v)
    }
  }
}

extension Tracer {
  /// The number of elements a reduction over `axes` combines.
  func reducedCount(_ x: Traced, _ axes: [Int]) -> Int {
    axes.reduce(1) { $0 * x.type.shape[$1] }
  }

  func mean(_ x: Traced, _ axes: [Int], keepdim: Bool, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    let s = try reduce({ .reduceSum(axes: $0) }, x, axes, keepdim: keepdim, r)
    return try elementwise(
      .div, s, try scalar(Double(reducedCount(x, axes)), x.type.dtype, weak: true), r, r,
      r)
  }

  /// `Σ (x − mean)² / (n − correction)`.
  func variance(
    _ x: Traced, _ axes: [Int], correction: Int, keepdim: Bool, _ r: SourceRange
  ) throws(Diagnostic) -> Traced {
    let m = try mean(x, axes, keepdim: true, r)
    let d = try elementwise(.sub, x, m, r, r, r)
    let s = try reduce(
      { .reduceSum(axes: $0) }, try elementwise(.mul, d, d, r, r, r), axes,
      keepdim: keepdim, r)
    let n = Double(reducedCount(x, axes) - correction)
    return try elementwise(
      .div, s, try scalar(max(n, 0), x.type.dtype, weak: true), r, r, r)
  }

  /// `m + log Σ e^(x − m)` with `m` the maximum (0 where it is infinite), so nothing overflows.
  func logsumexp(_ x: Traced, _ axes: [Int], keepdim: Bool, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    guard !axes.isEmpty else { return x }
    let m = try reduce({ .reduceMax(axes: $0) }, x, axes, keepdim: true, r)
    let inf = try scalar(.infinity, x.type.dtype, weak: true)
    let finite = try elementwise(.compare(.lt), try unary(.abs, m, r), inf, r, r, r)
    let shift = try select(finite, m, try scalar(0, x.type.dtype, weak: true), r)
    let e = try unary(.exp, try elementwise(.sub, x, shift, r, r, r), r)
    let l = try unary(.log, try reduce({ .reduceSum(axes: $0) }, e, axes, keepdim: true, r), r)
    let out = try elementwise(.add, l, shift, r, r, r)
    if keepdim { return out }
    var shape = x.type.shape
    for a in axes.sorted(by: >) { shape.remove(at: a) }
    return try reshape(out, shape, r)
  }

  /// The p-norm over `axes`: `√(Σx²)` for p = 2, `max |x|` for ∞, `min |x|` for −∞, the count
  /// of non-zero elements for 0, and `(Σ|x|ᵖ)^(1/p)` otherwise (as `jnp.linalg.vector_norm`).
  func norm(_ value: Traced, p: Double, _ axes: [Int], keepdim: Bool, _ r: SourceRange)
    throws(Diagnostic) -> Traced
  {
    let x = try realValued(value, r)
    let dtype = x.type.dtype
    func sum(_ v: Traced) throws(Diagnostic) -> Traced {
      try reduce({ .reduceSum(axes: $0) }, v, axes, keepdim: keepdim, r)
    }
    switch p {
    case 2: return try unary(.sqrt, try sum(try elementwise(.mul, x, x, r, r, r)), r)
    case .infinity:
      return try reduce({ .reduceMax(axes: $0) }, try unary(.abs, x, r), axes, keepdim: keepdim, r)
    case -.infinity:
      return try reduce({ .reduceMin(axes: $0) }, try unary(.abs, x, r), axes, keepdim: keepdim, r)
    case 0:
      // the count of non-zeros, as a real number (torch.norm's)
      let zero = try scalar(0, dtype, weak: true)
      let count = try sum(try elementwise(.compare(.ne), x, zero, r, r, r))
      return try cast(count, to: ElementType(.float, dtype), r)
    case 1: return try sum(try unary(.abs, x, r))
    default:
      let powered = try elementwise(
        .pow, try unary(.abs, x, r), try scalar(p, dtype, weak: true), r, r, r)
      return try elementwise(.pow, try sum(powered), try scalar(1 / p, dtype, weak: true), r, r, r)
    }
  }
}
