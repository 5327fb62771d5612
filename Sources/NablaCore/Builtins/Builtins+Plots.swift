extension Builtins {
  static let plots: [Builtin] = [
    Builtin(
      "plot",
      [
        .required("f"), .optional("a"), .optional("b"), .optional("order", .int(1)),
        .optional("samples"), .optional("ylim"),
      ],
      summary:
        "draws f and f′ on [a, b] (order=0: f alone; order=2: f″ too), sampled in one batched evaluation; plot((f, g), a, b) several functions; plot(x, y) and plot(y) data; ylim=(lo, hi)",
      example: "plot(sin, 0, 2*pi)"
    ) { t, a in .figure(try t.plot(a)) },
    Builtin(
      "heatmap", [.required("M")],
      summary:
        "M's values on a colour scale centred at 0 (a Jacobian, a Hessian), with row and column numbers; a large M in blocks",
      example: "heatmap(hessian(x -> x[0]^2 * x[1] - x[1]^3)([1, 2]))"
    ) { t, a in .figure(try t.matrixFigure(.heatmap, a)) },
    Builtin(
      "spy", [.required("M")],
      summary: "the pattern of M's non-zero entries, with their count and density, as MATLAB's spy",
      example: "spy(jacfwd(x -> x[1:] - x[:-1])(ones(6)))"
    ) { t, a in .figure(try t.matrixFigure(.spy, a)) },
  ]
}
