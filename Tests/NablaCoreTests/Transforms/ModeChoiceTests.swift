import Testing

@testable import NablaCore

/// Jacobians run in the mode the cost model predicts cheaper, and `--explain` says which
/// modes were considered, at what predicted cost, and why one ran.
@Suite struct ModeChoiceTests {
  static let predict = """
    seed(0); D = 16; W = randn(D, D); b = randn(D); x = randn(D)
    predict(W, b, x) = tanh(W*x + b)
    """

  /// The explanation of `program` (a cost-chosen run, as by default).
  func explained(_ program: String, memoryLimit: Int? = nil) -> String {
    Run(program) {
      $0.explain = true
      $0.choosesJacobianMode = true
      if let memoryLimit { $0.memoryLimit = memoryLimit }
    }.diagnostics
  }

  /// W2 and W3 of the workloads: both modes costed; the optimiser reduces both to the same
  /// plan, so the mode asked for runs.
  @Test(arguments: ["jacfwd", "jacrev"]) func squareJacobiansShowBothModes(_ transform: String) {
    let text = explained(Self.predict + "\n\(transform)(predict, argnums=2)(W, b, x)")
    #expect(
      text.contains("explain: \(transform) at 3:1, Jacobian of f32[16] by f32[16]"), "\(text)")
    #expect(text.contains("reverse  16 VJPs"), "\(text)")
    #expect(text.contains("forward  16 JVPs"), "\(text)")
    let asked = transform == "jacfwd" ? "forward" : "reverse"
    #expect(text.contains("* \(asked)"), "\(text)")
    #expect(text.contains("ran \(asked) mode: equal predicted cost"), "\(text)")
  }

  /// A Hessian's outer Jacobian: 256 outputs against 16 inputs decides by counting.
  @Test func aLopsidedJacobianIsDecidedByItsBasis() {
    let text = explained(Self.predict + "\nhessian(predict, argnums=2)(W, b, x)")
    #expect(text.contains("ran forward mode: forward needs 4× fewer basis vectors"), "\(text)")
  }

  /// When the predicted costs differ, the cheaper mode runs, whichever was asked for, and
  /// the Jacobian is the same.
  @Test func theCheaperModeRuns() throws {
    let program = "seed(0); x = randn(16); V = randn(6, 16)\njacfwd(x -> tanh(V' * sin(x[0:6])))(x)"
    let text = explained(program)
    #expect(text.contains("ran reverse mode: predicted"), "\(text)")
    let chosen = try Run(program, dtype: .f64) { $0.choosesJacobianMode = true }.tensor()
    let literal = try Run(program, dtype: .f64).tensor()
    expectClose(chosen, literal.doubles, rtol: 1e-12, atol: 1e-12)
  }

  @Test func literalModesSaySo() {
    let text = Run(Self.predict + "\njacfwd(predict, argnums=2)(W, b, x)") {
      $0.explain = true
    }.diagnostics
    #expect(text.contains("ran forward mode: --literal-modes"), "\(text)")
  }

  /// Over the memory limit, the explanation says the plan runs in slices, and how large.
  @Test func slicingUnderTheMemoryLimitIsExplained() {
    let text = explained(
      "x = linspace(0, 1, 1000); J = jacrev(x -> sum(tanh(outer(x, x)), dim=0)[0:10])(x)",
      memoryLimit: 40 << 20)
    #expect(text.contains("over --max-memory 40.0 MiB"), "\(text)")
    #expect(text.contains("run in slices"), "\(text)")
  }
}
