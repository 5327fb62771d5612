extension Builtins {
  /// Functions with derivative rules written by the user (JAX's `custom_jvp` and `custom_vjp`),
  /// which every transform uses in place of differentiating the function's own operations.
  static let customDerivatives: [Builtin] = [
    Builtin(
      "custom_jvp", [.required("f"), .required("jvp")],
      summary:
        "f, differentiated by jvp((x…), (ẋ…)) -> (f(x…), J·ẋ) in every transform (reverse mode transposes the tangent it returns, which must be linear in ẋ)",
      example:
        "grad(custom_jvp(x -> log(1 + exp(x)), (p, t) -> (log(1 + exp(p[0])), t[0] * sigmoid(p[0]))))(100.)"
    ) { t, a in
      let f = try a.function("f")
      return .function(
        Function(name: f.name, body: .transformed(base: f, .customJVP(rule: try a.function("jvp"))))
      )
    },
    Builtin(
      "custom_vjp", [.required("f"), .required("fwd"), .required("bwd")],
      summary:
        "f, differentiated in reverse mode by fwd(x…) -> (f(x…), residuals) and bwd(residuals, ȳ) -> (x̄…); forward mode is an error",
      example: "grad(custom_vjp(x -> sin(x), x -> (sin(x), cos(x)), (c, g) -> (c * g,)))(0.)"
    ) { t, a in
      let f = try a.function("f")
      let transform = Transform.customVJP(
        forward: try a.function("fwd"), backward: try a.function("bwd"))
      return .function(Function(name: f.name, body: .transformed(base: f, transform)))
    },
  ]
}
