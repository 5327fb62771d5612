extension Builtins {
  /// `gradcheck(f, args…, order=1, modes=("fwd", "rev"), eps=None, atol=None, rtol=None)`:
  /// JAX's `check_grads` (``GradCheck``), `True` or an error.
  static let gradcheck = Builtin(
    "gradcheck",
    [
      .required("f"), .variadic("args", unpacksTuple: false), .optional("order", .int(1)),
      .optional("modes", .tuple([.string("fwd"), .string("rev")])), .optional("eps"),
      .optional("atol"), .optional("rtol"),
    ],
    summary:
      "True when f's derivatives at args agree with central differences in float64 (forward and reverse mode; order=2 also checks second derivatives), else an error naming the mode, argument and element",
    example: "gradcheck((x, y) -> sin(x) .* y, [0.5, 1, 2], 3, order=2)"
  ) { t, a in
    let settings = try a.gradCheckSettings()
    let transforms = FunctionTransforms(tracer: t, name: "gradcheck", range: a.callRange)
    return try transforms.gradcheck(try a.function("f"), a.tupleItems("args"), settings)
  }
}

extension Arguments {
  /// `order` (1 or 2), `modes` (`"fwd"`, `"rev"` or a tuple of them), `eps` (positive; 10⁻⁴
  /// by default) and `atol`, `rtol` (0 or more; by dtype by default).
  func gradCheckSettings() throws(Diagnostic) -> GradCheck.Settings {
    var settings = GradCheck.Settings()
    settings.order = try int("order")
    guard settings.order == 1 || settings.order == 2 else {
      throw Diagnostic(
        .invalidArgument(
          function, "order must be 1 or 2, not \(settings.order)",
          help: "order=1 checks first derivatives, order=2 also second derivatives"),
        at: range("order"))
    }
    settings.modes = try gradCheckModes()
    if !isNone("eps") {
      let eps = try double("eps")
      guard eps > 0, eps.isFinite else {
        throw Diagnostic(
          .invalidArgument(
            function, "eps must be a positive number, not \(eps)",
            help: "eps is the step of the central differences, 1e-4 by default"),
          at: range("eps"))
      }
      settings.eps = eps
    }
    settings.atol = try gradCheckTolerance("atol")
    settings.rtol = try gradCheckTolerance("rtol")
    return settings
  }

  /// `"fwd"`, `"rev"`, or a non-empty tuple of them.
  private func gradCheckModes() throws(Diagnostic) -> [GradCheck.Mode] {
    let items: [Value]
    if case .tuple(let list) = value("modes") { items = list } else { items = [value("modes")] }
    let help = "the modes are \"fwd\" (forward mode, JVPs) and \"rev\" (reverse mode, VJPs)"
    guard !items.isEmpty else {
      throw Diagnostic(.invalidArgument(function, "modes is empty", help: help), at: range("modes"))
    }
    var modes: [GradCheck.Mode] = []
    for item in items {
      guard case .string(let text) = item else {
        throw Diagnostic(
          .wrongType(
            "'\(function)' argument 'modes'", expected: "\"fwd\", \"rev\" or a tuple of them",
            got: item.typeDescription),
          at: range("modes"))
      }
      guard let mode = GradCheck.Mode(rawValue: text) else {
        throw Diagnostic(
          .invalidArgument(function, "unknown mode \"\(text)\"", help: help), at: range("modes"))
      }
      if !modes.contains(mode) { modes.append(mode) }
    }
    return modes
  }

  /// `atol` or `rtol`: `nil` for `None` (by dtype), else a finite number, 0 or more.
  private func gradCheckTolerance(_ name: String) throws(Diagnostic) -> Double? {
    guard !isNone(name) else { return nil }
    let x = try double(name)
    guard x >= 0, x.isFinite else {
      throw Diagnostic(
        .invalidArgument(
          function, "\(name) must be a number, 0 or more, not \(x)"),
        at: range(name))
    }
    return x
  }
}
