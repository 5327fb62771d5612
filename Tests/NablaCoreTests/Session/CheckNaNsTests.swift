import Testing

@testable import NablaCore

/// `--check-nans` (`:nans on`): a statement whose result is NaN or ±∞ made from finite values
/// fails, at the span of the first operation that made one, with the values there and a help.
@Suite struct CheckNaNsTests {
  static func checked(_ program: String, dtype: DType = .f32) -> Run {
    Run(program, dtype: dtype) { $0.checkNaNs = true }
  }

  /// Each case: the program, what it prints without the check, and the rendered error with it.
  static let cases: [(String, String, String)] = [
    (
      "grad(x -> sqrt(x))(0.0)", "tensor(inf)\n",
      """
      <test>:1:11: error: the derivative of sqrt at 0 is inf
      1 | grad(x -> sqrt(x))(0.0)
        |           ^^^^^^^
        |           `- in the derivative of sqrt: 0.5 / 0 = inf
        = help: the derivative of sqrt is not finite at these points; keep them out of sqrt, not only out of the result (where differentiates both branches, and 0 * inf = nan): where(x > 0, sqrt(where(x > 0, x, 1)), 0)

      """
    ),
    (
      "grad(x -> sum(sqrt(x)))([0., 1.])", "tensor([   inf, 0.5000])\n",
      """
      <test>:1:15: error: the derivative of sqrt at 0 is inf
      1 | grad(x -> sum(sqrt(x)))([0., 1.])
        |               ^^^^^^^
        |               `- in the derivative of sqrt, element [0]: 0.5 / 0 = inf
        = help: the derivative of sqrt is not finite at these points; keep them out of sqrt, not only out of the result (where differentiates both branches, and 0 * inf = nan): where(x > 0, sqrt(where(x > 0, x, 1)), 0)

      """
    ),
    // the classic: where's mask gives the discarded branch a cotangent of 0, and 0 * inf = nan
    (
      "grad(x -> where(x > 0, sqrt(x), 0))(0.)", "tensor(nan)\n",
      """
      <test>:1:24: error: the derivative of sqrt at 0 is inf, then 0 * inf = nan in the chain rule of sqrt
      1 | grad(x -> where(x > 0, sqrt(x), 0))(0.)
        |                        ^^^^^^^
        |                        `- in the derivative of sqrt: 0.5 / 0 = inf
        = help: the derivative of sqrt is not finite at these points; keep them out of sqrt, not only out of the result (where differentiates both branches, and 0 * inf = nan): where(x > 0, sqrt(where(x > 0, x, 1)), 0)

      """
    ),
    (
      "x = [1., 0.]; log(x)", "tensor([0., -inf])\n",
      """
      <test>:1:15: error: log(0) is -inf
      1 | x = [1., 0.]; log(x)
        |               ^^^^^^
        |               `- element [1]
        = help: keep the argument of log in its domain, or mask it inside log as well as outside, so the gradient stays finite too: where(x > 0, log(where(x > 0, x, 1)), 0)

      """
    ),
    (
      "grad(x -> log(x))(0.)", "tensor(inf)\n",
      """
      <test>:1:11: error: the derivative of log at 0 is inf
      1 | grad(x -> log(x))(0.)
        |           ^^^^^^
        |           `- in the derivative of log: 1 / 0 = inf
        = help: the derivative of log is not finite at these points; keep them out of log, not only out of the result (where differentiates both branches, and 0 * inf = nan): where(x > 0, log(where(x > 0, x, 1)), 0)

      """
    ),
    (
      "x = [2., 0.]; y = 1 / x; sum(y)", "tensor(inf)\n",
      """
      <test>:1:21: error: division by zero: 1 / 0 = inf
      1 | x = [2., 0.]; y = 1 / x; sum(y)
        |                     ^
        |                     `- element [1]
        = help: guard the divisor, inside the division too, so the gradient stays finite: where(y != 0, x / where(y != 0, y, 1), 0)

      """
    ),
    (
      "exp(100.)", "tensor(inf)\n",
      """
      <test>:1:1: error: overflow in exp: exp(100) = inf in f32
      1 | exp(100.)
        | ^^^^^^^^^
        = help: compute it in a stable form: logsumexp(x) for log(sum(exp(x))), softmax(x) for exp(x) / sum(exp(x)), or exp(x - max(x)), or compute in f64 (--dtype f64)

      """
    ),
    (
      "x = [1e30, 1e30]; sum(x .* x)", "tensor(inf)\n",
      """
      <test>:1:19: error: overflow in dot_general of f32[2] and f32[2]: inf in f32
      1 | x = [1e30, 1e30]; sum(x .* x)
        |                   ^^^^^^^^^^^
        |                   `- largest magnitudes 1e+30, 1e+30
        = help: the value is beyond the largest f32 (3.4e+38): rescale the inputs, or compute in f64 (--dtype f64)

      """
    ),
  ]

  @Test(arguments: cases)
  func theErrorNamesTheFirstOperationThatMadeANonFiniteValue(
    _ program: String, _ unchecked: String, _ rendered: String
  ) {
    let run = Self.checked(program)
    #expect(run.status == 1)
    #expect(run.diagnostic?.message.id == "nonFiniteValue(_:help:)")
    #expect(run.diagnostics == rendered)
    #expect(run.values.isEmpty)
  }

  /// Without the flag nothing is checked: the same values, no diagnostics.
  @Test(arguments: cases)
  func withoutTheFlagTheOutputIsUnchanged(
    _ program: String, _ unchecked: String, _ rendered: String
  ) {
    let run = Run(program)
    #expect(run.status == 0)
    #expect(run.values == unchecked)
    #expect(run.diagnostics.isEmpty)
  }

  /// Checked statements whose results are finite print what unchecked ones do.
  @Test(arguments: [
    "seed(0); W = randn(16, 16); b = randn(16); x = randn(16); tanh(W*x + b)",
    "hessian(x -> sum(exp(x) .* sin(x)))([0.5, 1.5])",
    "x = [0., 1.]; where(x > 0, log(x), 0)",  // a masked -inf is never reached
    "grad(x -> where(x > 0, sqrt(where(x > 0, x, 1)), 0))(0.)",  // the double-where pattern
    "exp(100.)",
  ])
  func finiteResultsAreUnchanged(_ program: String) {
    let dtype: DType = program == "exp(100.)" ? .f64 : .f32
    let checked = Self.checked(program, dtype: dtype)
    let unchecked = Run(program, dtype: dtype)
    #expect(checked.status == 0, "\(checked.diagnostics)")
    #expect(checked.values == unchecked.values)
  }

  /// NaN and ±∞ that were already in the inputs are carried, not blamed; an element made
  /// non-finite from finite operands is blamed even beside one that was carried.
  @Test func nonFiniteInputsAreNotBlamed() {
    #expect(Self.checked("x = [nan, 1.]; y = inf; x + y").status == 0)
    #expect(Self.checked("inf - inf").status == 0)
    let run = Self.checked("x = [nan, 0.]; log(x)")
    #expect(run.status == 1)
    #expect(run.diagnostics.hasPrefix("<test>:1:16: error: log(0) is -inf\n"))
    #expect(run.diagnostics.contains("`- element [1]\n"))
  }

  /// The statement fails as an error does: the script stops with status 1, and an
  /// assignment binds nothing (the session goes on, as the REPL does after any error).
  @Test func theStatementFailsAsAnErrorDoes() {
    let run = Self.checked("y = 1; y = log(0.); 2")
    #expect(run.status == 1)
    #expect(run.values.isEmpty)
    var options = SessionOptions()
    options.checkNaNs = true
    let session = Session(options: options)
    var values = ""
    session.output = { stream, text in if stream == .values { values += text } }
    #expect(session.run(SourceFile(name: "<test>", text: "y = 1")) == 0)
    #expect(session.run(SourceFile(name: "<test>", text: "y = log(0.)")) == 1)
    #expect(session.run(SourceFile(name: "<test>", text: "y")) == 0)
    #expect(values == "1\n")
  }

  /// A second derivative names its order; a NaN made at another span (here the product with
  /// jacfwd's basis) is a note there.
  @Test func higherDerivativesAndNotesElsewhere() {
    let second = Self.checked("grad(grad(x -> x^1.5))(0.)")
    #expect(
      second.diagnostics.hasPrefix("<test>:1:17: error: the second derivative of pow is inf\n"))
    #expect(second.diagnostics.contains("`- in the second derivative of pow: 0 ^ -0.5 = inf\n"))
    let jacobian = Self.checked("jacfwd(x -> sqrt(x))([0., 1.])")
    #expect(jacobian.diagnostics.contains("error: the derivative of sqrt at 0 is inf\n"))
    #expect(jacobian.diagnostics.contains("<test>:1:1: note: then 0 * inf = nan\n"))
  }
}
