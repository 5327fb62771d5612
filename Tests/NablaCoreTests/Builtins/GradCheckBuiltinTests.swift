import Foundation
import Testing

@testable import NablaCore

/// The `gradcheck` built-in: `True` on every differentiable built-in to second order in both
/// dtypes; a diagnostic at the call, naming mode, order, argument, element, both values and
/// the tolerance, when a derivative rule is wrong; a diagnostic for every bad keyword.
@Suite struct GradCheckBuiltinTests {
  /// Points inside each function's domain, away from kinks and jumps.
  static let programs: [String] =
    [
      // elementwise, one argument
      "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "asinh", "exp", "expm1", "erf",
      "sigmoid", "neg", "square", "reciprocal", "abs", "sign", "floor", "ceil", "round", "relu",
      "softplus", "gelu", "silu", "isnan", "isfinite", "cbrt",
    ].map { "gradcheck(\($0), [0.3, -1.2, 1.7], order=2)" }
    + [
      "asin", "acos", "atanh",
    ].map { "gradcheck(\($0), [0.25, -0.5, 0.75], order=2)" }
    + [
      "log", "log1p", "log2", "log10", "sqrt", "rsqrt",
    ].map { "gradcheck(\($0), [0.5, 1.25, 2], order=2)" } + [
      "gradcheck(acosh, [1.5, 2, 3], order=2)",
      "gradcheck(erfc, [0.3, -1.2, 1.7], order=2)",
      "gradcheck(erfinv, [0.25, -0.5, 0.75], order=2)",
      "gradcheck(lgamma, [0.5, 1.25, -1.5], order=2)",
      "gradcheck(digamma, [0.5, 1.25, -1.5], order=2)",
      "gradcheck(x -> polygamma(2, x), [0.5, 1.25, 2], order=2)",
      "gradcheck(x -> gelu(x, approximate=\"tanh\"), [0.3, -1.2, 1.7], order=2)",
      // two arguments and operators
      "gradcheck(pow, [0.5, 1.25, 2], [2, 0.5, -1.5], order=2)",
      "gradcheck(atan2, [1, -1, 0.5], [1, 2, -1], order=2)",
      "gradcheck(maximum, [1, 5, 3], [4, 2, 3.5], order=2)",
      "gradcheck(minimum, [1, 5, 3], [4, 2, 3.5], order=2)",
      "gradcheck(x -> clamp(x, -1, 1), [-2, 0.5, 3], order=2)",
      "gradcheck((a, b) -> where([1, 0, 2] > 1, a, b), [1, 2, 3], [4, 5, 6], order=2)",
      "gradcheck((a, b) -> a + b .* a - b ./ a, [1, 2, 3], [4, 5, 6], order=2)",
      "gradcheck((a, b) -> a / 2 - -b ^ 3 + a ** 0.5, [1, 2, 3], [0.4, 0.5, 0.6], order=2)",
      // reductions
      "gradcheck(x -> sum(x^2), [[1, 2], [3, 4]], order=2)",
      "gradcheck(x -> sum(x, dim=0, keepdim=True), [[1, 2], [3, 4]], order=2)",
      "gradcheck(x -> mean(x, axis=-1), [[1, 2], [3, 5]], order=2)",
      "gradcheck(prod, [1, 2, 3, 4], order=2)",
      "gradcheck(max, [[1, 5], [3, 2]], order=2)",
      "gradcheck(x -> min(x, dim=0), [[1, 5], [3, 2]], order=2)",
      "gradcheck(norm, [3, 4], order=2)",
      "gradcheck(x -> norm(x, 3, dim=1), [[3, -4], [1, 2]], order=2)",
      "gradcheck(x -> norm(x, 1) + norm(x, inf), [3, -4, 1], order=2)",
      "gradcheck(logsumexp, [1, 2, 3], order=2)",
      "gradcheck(var, [1, 2, 3, 5], order=2)",
      "gradcheck(x -> std(x, unbiased=False), [1, 2, 3, 5], order=2)",
      "gradcheck(softmax, [[1, 2, 3], [0, -1, 1]], order=2)",
      "gradcheck(x -> log_softmax(x, dim=0), [[1, 2, 3], [0, -1, 1]], order=2)",
      // linear algebra
      "gradcheck(matmul, [[1, 2], [3, 4]], [0.5, -1], order=2)",
      "gradcheck((a, b) -> a * b, [[1, 2], [3, 4]], [[1, 0.5], [-1, 2]], order=2)",
      "gradcheck(dot, [1, 2, 3], [4, 5, 6], order=2)",
      "gradcheck(outer, [1, 2], [3, 4, 5], order=2)",
      "gradcheck(x -> transpose(x) * x, [[1, 2, 3], [4, 5, 6]], order=2)",
      "gradcheck(trace, [[1, 2], [3, 4]], order=2)",
      "gradcheck(x -> (diag(x), diag(outer(x, x))), [1, 2], order=2)",
      "gradcheck(inv, [[4, 7], [2, 6]], order=2)",
      "gradcheck(det, [[4, 7], [2, 6]], order=2)",
      "gradcheck(solve, [[3, 1], [1, 2]], [[9, 3], [8, 1]], order=2)",
      "gradcheck(kron, [[1, 2], [3, 4]], [[0, 1], [1, 0.5]], order=2)",
      "gradcheck(linear, [1, 2], [[1, 0], [0, 1], [1, 1]], [0, 0, 1], order=2)",
      // shapes and indexing
      "gradcheck(x -> reshape(x, 3, -1) * [1, 2], arange(6), order=2)",
      "gradcheck(x -> flatten(x) .* arange(4), [[1, 2], [3, 4]], order=2)",
      "gradcheck(x -> squeeze(unsqueeze(x, 0)) ^ 2, [1, 2], order=2)",
      "gradcheck(x -> movedim(x, 0, -1) ^ 2, reshape(arange(6), 1, 2, 3), order=2)",
      "gradcheck(x -> permute(x, 2, 0, 1) ^ 2, reshape(arange(6), 1, 2, 3), order=2)",
      "gradcheck((a, b) -> concat((a, b)) ^ 2, [1, 2], [3], order=2)",
      "gradcheck((a, b) -> stack((a, b), dim=1) ^ 2, [1, 2], [3, 4], order=2)",
      "gradcheck(x -> broadcast_to(x, 3, 2) ^ 2, [1, 2], order=2)",
      "gradcheck(x -> x[1:, ::-1] ^ 2 + x[0, None] ^ 3, reshape(arange(6), 2, 3), order=2)",
      // rearrangements
      "gradcheck(x -> roll(x, (1, -1), (0, 1)) ^ 2 .* reshape(arange(6), 2, 3), reshape(arange(6), 2, 3), order=2)",
      "gradcheck(x -> tile(x, (2, 1, 2)) ^ 2, [[1, 2]], order=2)",
      "gradcheck(x -> (repeat(x, (2, 0, 1)) ^ 2, repeat(x, 2) ^ 3), [1, 2, 3], order=2)",
      "gradcheck(x -> diagonal(x, -1) ^ 2, reshape(arange(12), 3, 4), order=2)",
      "gradcheck(x -> nan_to_num(x) ^ 2, [1, 2, 3], order=2)",
      "gradcheck(cumprod, [2, -1, 0.5, 3], order=2)",
      "gradcheck((a, b) -> einsum(\"ij,jk,k->i\", a, b, [1, 2]), [[1, 2], [3, 4]], [[0.5, 1], [2, -1]], order=2)",
      "gradcheck(x -> einsum(\"ii->\", x) ^ 2, [[1, 2], [3, 4]], order=2)",
    ]

  @Test(arguments: programs) func passesOnEveryDifferentiableBuiltin(_ program: String) {
    for dtype in DType.allCases {
      let run = Run(program, dtype: dtype)
      #expect(run.status == 0, "\(dtype): \(run.diagnostics)")
      guard case .bool(true)? = run.value else {
        Issue.record("\(dtype): expected True, got \(String(describing: run.value))")
        continue
      }
    }
  }

  /// Several arguments, tuples in and out, captured values (held fixed), float64 arguments in
  /// a float32 session, integer arguments, `assert`.
  @Test(arguments: [
    "W = randn(3, 3); b = randn(3); f(x) = tanh(W*x + b); gradcheck(f, randn(3), order=2)",
    "f(W, b, x) = tanh(W*x + b); gradcheck(f, randn(3, 3), randn(3), randn(3), order=2)",
    "gradcheck(p -> (sum(p[0] .* p[1]), (p[0] ^ 2,)), ([1, 2], [3, 4]), order=2)",
    "gradcheck(x -> sum(x .* x), ones(3, dtype=\"float64\"), modes=\"rev\")",
    "gradcheck(x -> x ^ 3, 2, modes=(\"fwd\",), eps=1e-3, atol=1e-2, rtol=0)",
    "gradcheck(grad(x -> sum(sin(x) .* x)), [0.5, 1, 2], order=2)",
    "f(x) = sum(x^3); assert gradcheck(f, [1, 2])",
  ]) func passesOnComposedFunctions(_ program: String) {
    let run = Run(program, seed: 0)
    #expect(run.status == 0, "\(run.diagnostics)")
  }

  /// Its directions come from its own generator: the session's draws are unchanged.
  @Test func leavesTheSessionsRandomNumbersAlone() {
    let run = Run(
      "seed(0); a = randn(3); seed(0); gradcheck(sin, [1, 2]); b = randn(3); assert all(a == b)")
    #expect(run.status == 0, "\(run.diagnostics)")
  }

  // MARK: - A wrong derivative rule

  /// At `x = (π/4, π/4, 2)` the rule `sin′ = sin` is right where sin = cos and wrong at
  /// element 2, where nabla's value over the true one is `sin 2 / cos 2 = tan 2`.
  static let wrongSin = "x = [0.7853981633974483, 0.7853981633974483, 2]\n"

  static func runWithWrongRule(
    _ program: String, _ primitive: Primitive = .sin, derivative: Primitive = .sin,
    dtype: DType = .f32
  ) -> Run {
    Run(program, dtype: dtype) {
      $0.derivativeRules = WrongDerivativeRule.rules(primitive, derivative: derivative)
    }
  }

  /// The analytic and numeric values and the tolerance a failure message gives.
  static func values(_ diagnostics: String) throws -> (Double, Double, Double) {
    let pattern = #/is (\S+), central differences give (?:⟨u, J·t⟩ = )?(\S+) \(tolerance (\S+)\)/#
    let match = try #require(diagnostics.firstMatch(of: pattern))
    return (
      try #require(Double(match.1)), try #require(Double(match.2)), try #require(Double(match.3))
    )
  }

  @Test(arguments: [
    (
      "gradcheck(x -> sin(x), x)",
      "mode fwd, order 1: element 2 of the JVP of the output along 'x' (argument 0)"
    ),
    (
      "gradcheck(sin, x, modes=\"rev\")",
      "mode rev, order 1: element 2 of the VJP for 'x' (argument 0)"
    ),
    (
      "f(a, y) = a * sin(y); gradcheck(f, 2, x)",
      "element 2 of the JVP of the output along 'y' (argument 1)"
    ),
    (
      "gradcheck(p -> (p[0], sin(p[1])), (1, x))",
      "element 2 of the JVP of output[1] along 'p[1]' (argument 0)"
    ),
    ("gradcheck(vmap(sin), x, modes=\"rev\")", "element 2 of the VJP for 'x' (argument 0)"),
  ]) func wrongRuleFailsAtTheCall(_ program: String, _ expected: String) throws {
    for dtype in DType.allCases {
      let run = Self.runWithWrongRule(Self.wrongSin + program, dtype: dtype)
      #expect(run.status == 1)
      #expect(run.diagnostic?.message.id == "gradientCheckFailed(_:eps:)")
      // at the call: line 2, the column where 'gradcheck(' starts
      let call = try #require(program.range(of: "gradcheck("))
      let column = program.distance(from: program.startIndex, to: call.lowerBound) + 1
      let head = "<test>:2:\(column): error: 'gradcheck' failed in "
      #expect(run.diagnostics.hasPrefix(head), "\(run.diagnostics)")
      #expect(run.diagnostics.contains(expected), "\(run.diagnostics)")
      let (analytic, numeric, tolerance) = try Self.values(run.diagnostics)
      #expect(abs(analytic / numeric - tan(2)) < 1e-5, "\(run.diagnostics)")
      // the dtype's default tolerances: atol + rtol·|numeric|
      let t = GradCheck.defaultTolerance(dtype)
      #expect(abs(tolerance - (t + t * abs(numeric))) <= 1e-6 * tolerance, "\(run.diagnostics)")
    }
  }

  /// The tolerance keywords loosen the check: nabla's value is off by `|u·(sin 2 − cos 2)|`,
  /// under 1.4·|u|, which `atol=100` covers for any direction drawn.
  @Test func looserTolerancesAccept() {
    let run = Self.runWithWrongRule(Self.wrongSin + "gradcheck(sin, x, atol=100)")
    #expect(run.status == 0, "\(run.diagnostics)")
  }

  /// `cos′ = sin` leaves sin's first derivative right and its second wrong.
  @Test func wrongSecondDerivativeFailsAtOrderTwo() throws {
    let first = Self.runWithWrongRule("gradcheck(sin, [0.5, 1])", .cos, derivative: .sin)
    #expect(first.status == 0, "\(first.diagnostics)")
    let second = Self.runWithWrongRule("gradcheck(sin, [0.5, 1], order=2)", .cos, derivative: .sin)
    #expect(second.status == 1)
    #expect(second.diagnostics.contains("mode fwd of fwd, order 2:"), "\(second.diagnostics)")
    let (analytic, numeric, _) = try Self.values(second.diagnostics)
    #expect(abs(analytic / numeric + 1) < 1e-5, "\(second.diagnostics)")  // −sin vs sin
    let reverse = Self.runWithWrongRule(
      "gradcheck(sin, [0.5, 1], order=2, modes=\"rev\")", .cos, derivative: .sin)
    #expect(reverse.diagnostics.contains("mode rev of rev, order 2:"), "\(reverse.diagnostics)")
  }

  /// The failure the language reference shows is what nabla prints.
  @Test func documentedFailureIsWhatNablaPrints() throws {
    let root = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/")
    let page = try readText(root + "/docs/language.md")
    let start = try #require(page.range(of: "```\n> gradcheck(relu"))
    let block = page[start.upperBound...]
    let end = try #require(block.range(of: "\n```"))
    let lines = block[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
    let program = "gradcheck(relu" + (lines.first ?? "")
    let run = Run(String(program))
    let printed = run.diagnostics.replacingOccurrences(of: "<test>", with: "<program>")
    #expect(printed == lines.dropFirst().joined(separator: "\n") + "\n")
  }

  /// `:help gradcheck` and `:help transforms` show it, from the built-in table.
  @Test func helpShowsIt() {
    let text = Help.text(for: "gradcheck", in: Session())
    #expect(
      text.hasPrefix(
        "gradcheck(f, args…, order=1, modes=(\"fwd\", \"rev\"), eps=None, atol=None, rtol=None)\n"))
    #expect(text.contains("example: gradcheck((x, y) -> sin(x) .* y, [0.5, 1, 2], 3, order=2)"))
    #expect(Help.text(for: "transforms", in: Session()).contains("gradcheck(f, args…"))
  }

  // MARK: - Bad arguments

  @Test(arguments: [
    ("gradcheck(sin, 1, order=3)", "invalidArgument(_:_:help:)", "order must be 1 or 2, not 3"),
    ("gradcheck(sin, 1, order=0)", "invalidArgument(_:_:help:)", "order must be 1 or 2, not 0"),
    ("gradcheck(sin, 1, order=1.5)", "notAnInteger(_:in:)", "argument 'order'"),
    ("gradcheck(sin, 1, eps=0)", "invalidArgument(_:_:help:)", "eps must be a positive number"),
    ("gradcheck(sin, 1, eps=-1e-3)", "invalidArgument(_:_:help:)", "eps must be a positive number"),
    ("gradcheck(sin, 1, eps=nan)", "invalidArgument(_:_:help:)", "eps must be a positive number"),
    ("gradcheck(sin, 1, eps=inf)", "invalidArgument(_:_:help:)", "eps must be a positive number"),
    ("gradcheck(sin, 1, eps=ones(2))", "wrongType(_:expected:got:)", "argument 'eps'"),
    (
      "gradcheck(sin, 1, modes=\"sideways\")", "invalidArgument(_:_:help:)",
      "unknown mode \"sideways\""
    ),
    ("gradcheck(sin, 1, modes=())", "invalidArgument(_:_:help:)", "modes is empty"),
    ("gradcheck(sin, 1, modes=1)", "wrongType(_:expected:got:)", "argument 'modes'"),
    (
      "gradcheck(sin, 1, atol=-1)", "invalidArgument(_:_:help:)", "atol must be a number, 0 or more"
    ),
    (
      "gradcheck(sin, 1, rtol=nan)", "invalidArgument(_:_:help:)",
      "rtol must be a number, 0 or more"
    ),
    ("gradcheck(sin)", "invalidArgument(_:_:help:)", "needs the arguments to check f at"),
    ("gradcheck(sin, \"x\")", "needsTensors(_:got:)", "'gradcheck' differentiates tensors"),
    ("gradcheck(1, 2)", "notAFunction(_:help:)", "is not a function"),
    ("gradcheck(sin, 1, step=2)", "unknownKeyword(_:function:suggestion:)", "step"),
    ("gradcheck(x -> (x, \"a\"), 2)", "transformOutput(_:got:)", "gradcheck"),
    ("gradcheck(sin, 1, 2)", "argumentCount(_:expected:got:parameters:)", "sin"),
    (
      "grad(x -> gradcheck(sin, x))(1.0)", "notCallableHere(_:)",
      "'gradcheck' inside a transformed function"
    ),
    (
      "vmap(x -> gradcheck(sin, x))([1, 2])", "notCallableHere(_:)", "inside a transformed function"
    ),
  ]) func badArgumentsAreDiagnostics(_ program: String, _ id: String, _ text: String) {
    let run = Run(program)
    #expect(run.status != 0)
    #expect(run.diagnostic?.message.id == id, "\(run.diagnostics)")
    #expect(run.diagnostics.contains(text), "\(run.diagnostics)")
  }
}
