extension Builtins {
  /// Loops with JAX's semantics, unrolled while tracing (``Tracer/foriLoop(_:_:_:_:_:)``):
  /// every transform sees one copy of the body per iteration.
  static let loops: [Builtin] = [
    Builtin(
      "fori_loop",
      [.required("lower"), .required("upper"), .required("body_fun"), .required("init_val")],
      summary:
        "body_fun(i, carry) applied for i from lower to upper - 1, starting from init_val (a tensor or a tuple of them); the final carry",
      example: "fori_loop(0, 5, (i, c) -> c * 2, 1.)"
    ) { t, a in
      try t.foriLoop(
        try a.int("lower"), try a.int("upper"), try a.function("body_fun"), a.value("init_val"), a)
    },
    Builtin(
      "scan",
      [
        .required("f"), .required("init"), .optional("xs"), .optional("length"),
        .optional("reverse", .bool(false)),
      ],
      summary:
        "(carry, y) = f(carry, x) for each x along xs's leading axis (or length times with xs=None); (final carry, the ys stacked)",
      example: "scan((c, x) -> (c + x, c + x), 0., [1, 2, 3])"
    ) { t, a in
      try t.scan(
        try a.function("f"), a.value("init"), a.value("xs"), length: try a.optionalInt("length"),
        reverse: try a.bool("reverse"), a)
    },
    Builtin(
      "while_loop", [.required("cond_fun"), .required("body_fun"), .required("init_val")],
      summary:
        "body_fun(carry) applied while cond_fun(carry) holds, starting from init_val; the condition must be known while tracing",
      example: "while_loop(c -> c < 100, c -> c * 3, 1.)"
    ) { t, a in
      try t.whileLoop(
        try a.function("cond_fun"), try a.function("body_fun"), a.value("init_val"), a)
    },
  ]
}
