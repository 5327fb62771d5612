import Testing

@testable import NablaCore

/// `formula(…, latex=True)`: the formula in mathematical notation.
@Suite struct LaTeXTests {
  func latex(_ program: String) -> String {
    guard case .string(let s)? = Run(program, dtype: .f64).value else { return "" }
    return s
  }

  @Test func formulasReadAsMathematics() {
    #expect(
      latex("formula(grad(x -> x^2 * sin(x)), latex=True)")
        == #"x \mapsto x^{2} \, \cos\left(x\right) + 2 x \, \sin\left(x\right)"#)
    #expect(
      latex(
        "W = [[1., 2], [3, 4]]; x = [1., 1]; formula(grad(x -> sum(tanh(W * x))), x, latex=True)")
        == #"x \mapsto W^{\top} \, \left(1 - \tanh\left(W \, x\right)^{2}\right)"#)
    #expect(
      latex("formula(hessian(x -> exp(-x^2 / 2)), latex=True)")
        == #"t(x) = \exp\left(\frac{-x^{2}}{2}\right) \\"# + "\n"
        + #"x \mapsto x^{2} \, t\left(x\right) - t\left(x\right)"#)
    #expect(
      latex("formula(x -> sqrt(x) / abs(x), latex=True)")
        == #"x \mapsto \frac{\sqrt{x}}{\left|x\right|}"#)
    #expect(latex("formula(x -> (x / 3)^2, latex=True)").contains(#"\left(\frac{x}{3}\right)^{2}"#))
    #expect(latex("formula(x -> where(x > 0, x, 0), latex=True)").contains(#"\left[x > 0\right]"#))
  }

  /// Every elementwise built-in's first and second derivative renders with balanced braces
  /// and `\left`/`\right` pairs.
  @Test(arguments: [
    "sin", "tan", "exp", "log", "sqrt", "tanh", "asinh", "atan", "sigmoid", "erf", "abs", "acos",
  ])
  func everyFormulaRenders(_ name: String) {
    for function in ["grad(\(name))", "grad(grad(\(name)))"] {
      let text = latex("formula(\(function), latex=True)")
      #expect(text.hasPrefix("x \\mapsto ") || text.hasPrefix("t(x) = "), "\(function): \(text)")
      #expect(text.filter { $0 == "{" }.count == text.filter { $0 == "}" }.count, "\(text)")
      #expect(
        text.components(separatedBy: "\\left").count
          == text.components(separatedBy: "\\right").count,
        "\(text)")
    }
  }
}
