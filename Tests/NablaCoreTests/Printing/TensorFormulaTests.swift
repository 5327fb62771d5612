import Testing

@testable import NablaCore

/// Functions of tensors print as formulas once their arguments' shapes are known
/// (`formula(f, args…)`): matrix products with their transposes, broadcasts NumPy's rules
/// express, reductions, indexing, linear algebra, the session's tensors by name, repeated
/// parts as local definitions; pasted back, the formula computes the same numbers.
@Suite struct TensorFormulaTests {
  static let setup = """
    seed(0); W = randn(4, 4); b = randn(4); x = randn(4); v = randn(4); M = randn(3, 4)
    A = W * W' + 4 * eye(4); S = randn(2, 4, 4)
    predict(W, b, x) = tanh(W*x + b)
    """

  /// The formula of `function` at `arguments`, as its lines.
  func formula(_ function: String, _ arguments: String) -> [String] {
    let run = Run(Self.setup + "\nformula(\(function), \(arguments))", dtype: .f64) {
      $0.choosesJacobianMode = true  // as printed by default
    }
    guard case .string(let text)? = run.value else {
      Issue.record("\(function): no formula: \(run.diagnostics)")
      return []
    }
    return text.split(separator: "\n").map(String.init)
  }

  /// The function and its formula evaluated at the same arguments agree to 1e-12.
  func expectRoundTrip(_ function: String, _ arguments: String) {
    let lines = formula(function, arguments)
    guard let lambda = lines.last else { return }
    let program =
      Self.setup + "\n" + lines.dropLast().joined(separator: "\n")
      + "\nf = \(function); g = \(lambda)\nmax(abs(f(\(arguments)) - g(\(arguments))))"
    let run = Run(program, dtype: .f64) { $0.choosesJacobianMode = true }
    guard let difference = try? run.tensor() else {
      Issue.record("\(function) = \(lines): \(run.diagnostics)")
      return
    }
    #expect(difference[flat: 0] <= 1e-12, "\(function) = \(lines.joined(separator: "; "))")
  }

  @Test func theTutorialsJacobianReadsAsAPersonWouldWriteIt() {
    #expect(
      formula("jacrev(predict, argnums=2)", "W, b, x")
        == ["(W, b, x) -> W .* reshape(1 - tanh(W * x + b)^2, 4, 1)"])
    #expect(
      formula("grad(x -> sum(predict(W, b, x)))", "x") == ["x -> W' * (1 - tanh(W * x + b)^2)"])
    // every spelling of the product gives the same formula
    for spelling in ["W @ x + b", "matmul(W, x) + b", "sum(W .* x, dim=1) + b", "linear(x, W, b)"] {
      #expect(formula("x -> \(spelling)", "x") == ["x -> W * x + b"], "\(spelling)")
    }
  }

  /// The Hessian names `tanh(W * x + b)` once instead of writing it twice.
  @Test func repeatedPartsBecomeLocalDefinitions() {
    let lines = formula("hessian(predict, argnums=2)", "W, b, x")
    #expect(lines.count == 2, "\(lines)")
    #expect(lines.first == "t(W, b, x) = tanh(W * x + b)", "\(lines)")
    #expect(lines.last?.components(separatedBy: "tanh").count == 1, "\(lines)")
    expectRoundTrip("hessian(predict, argnums=2)", "W, b, x")
  }

  /// `:formula f, a…` in the REPL is `formula(f, a…)`; a value that is no function is an error.
  @Test func formulaCommand() {
    let (repl, transcript) = replEngine()
    _ = repl.handle("W = [[1., 2], [3, 4]]; x = [1., 1]")
    transcript.all = ""
    _ = repl.handle(":formula grad(x -> sum(tanh(W * x))), x")
    #expect(transcript.all == "x -> W' * (1 - tanh(W * x)^2)\n")
    transcript.all = ""
    _ = repl.handle(":formula grad(x -> x^3)")
    #expect(transcript.all == "x -> 3 * x^2\n")
    transcript.all = ""
    _ = repl.handle(":formula W")
    #expect(transcript.all.contains("error:"), "\(transcript.all)")
  }

  @Test(arguments: [
    ("x -> predict(W, b, x)", "x"),
    ("jacrev(predict, argnums=2)", "W, b, x"),
    ("jacfwd(predict, argnums=0)", "W, b, x"),
    ("hessian(predict, argnums=2)", "W, b, x"),
    ("grad(x -> sum(predict(W, b, x)))", "x"),
    ("x -> W' * x", "x"),
    ("x -> x' * W", "x"),
    ("m -> m * W'", "M"),
    ("(m, a) -> m' * a", "M, M"),
    ("(a, c) -> dot(a, c) * a", "x, v"),
    ("x -> outer(x, sin(x))", "x"),
    ("x -> sum(outer(x, x), dim=0)", "x"),
    ("x -> sum(exp(x))", "x"),
    ("m -> max(m, dim=1) - min(m)", "M"),
    ("m -> prod(m, dim=0)", "M"),
    ("x -> x[1:3] .* x[0:2]", "x"),
    ("x -> x[::2]", "x"),
    ("m -> m[1:3, ::-1]", "M"),
    ("x -> concat((x, 2 * x), dim=0)", "x"),
    ("x -> where(x > 0, x, 0.1 * x)", "x"),
    ("x -> maximum(x, 0.5) + (x == 1)", "x"),
    ("m -> reshape(m, 4, 3)'", "M"),
    ("s -> permute(s, (2, 0, 1))", "S"),
    ("s -> s * S", "S"),
    ("a -> inv(a) + det(a)", "A"),
    ("a -> solve(a, v)", "A"),
    ("grad(a -> log(det(a)))", "A"),
    ("x -> x + ones(4)", "x"),
    ("x -> broadcast_to(x, (3, 4))", "x"),
    ("jacrev(x -> sin(x) * sum(x^2))", "x"),
    ("vmap(grad(x -> sum(tanh(W * x))))", "M"),
  ])
  func formulasRoundTrip(_ function: String, _ arguments: String) {
    expectRoundTrip(function, arguments)
  }

  /// Generated programs (``ProgramGenerator``): the formula of each scalarised function and of
  /// its gradient, where one prints, evaluates to the function's value; most print.
  @Test func generatedProgramsRoundTrip() {
    var printed = 0
    var total = 0
    for k in 0..<20 {
      let (program, scalarized) = RandomProgramTests.program(k)
      for function in ["x -> \(scalarized)", "grad(x -> \(scalarized))"] {
        total += 1
        let run = Run(program + "formula(\(function), x)", dtype: .f64) {
          $0.choosesJacobianMode = true
        }
        guard case .string(let text)? = run.value else { continue }
        printed += 1
        var lines = text.split(separator: "\n").map(String.init)
        let lambda = lines.removeLast()
        let check = Run(
          program + lines.joined(separator: "\n")
            + "\nF = \(function); G = \(lambda)\nmax(abs(F(x) - G(x)))", dtype: .f64)
        guard let difference = try? check.tensor() else {
          Issue.record("program \(k): \(function) = \(text): \(check.diagnostics)")
          continue
        }
        #expect(difference[flat: 0] <= 1e-10, "program \(k): \(function) = \(text)")
      }
    }
    #expect(printed * 4 >= total * 3, "\(printed) of \(total) functions have a formula")
  }
}
