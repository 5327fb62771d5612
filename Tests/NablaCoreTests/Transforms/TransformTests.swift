import Foundation
import Testing

@testable import NablaCore

/// Mathematical facts about the transforms (JAX's api_test.py style), in float64.
@Suite struct TransformTests {
  /// Runs a float64 program whose last statement is an `assert`, or whose value is compared.
  func check(_ program: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let run = Run(program, dtype: .f64, seed: 0)
    #expect(run.status == 0, "\(run.diagnostics)", sourceLocation: sourceLocation)
  }

  func value(_ program: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Tensor
  {
    try Run(program, dtype: .f64, seed: 0).tensor(sourceLocation: sourceLocation)
  }

  /// `jacrev` of a tall function (3 inputs, 40 outputs) runs forward mode unless modes are
  /// literal: the same Jacobian without a 40×40 basis in the graph.
  @Test func jacobianModeFollowsTheShape() throws {
    let program =
      "A = randn(40, 3); x = randn(3); jacrev(x -> softmax(A * x))(x) - jacfwd(x -> softmax(A * x))(x)"
    let chosen = Run(program, dtype: .f64, seed: 0) {
      $0.choosesJacobianMode = true; $0.graph = .text
    }
    let literal = Run(program, dtype: .f64, seed: 0) { $0.graph = .text }
    #expect(!chosen.diagnostics.contains("f64[40,40]"))
    #expect(literal.diagnostics.contains("f64[40,40]"))
    #expect(try chosen.tensor().doubles.allSatisfy { abs($0) < 1e-14 })
    #expect(try literal.tensor().doubles.allSatisfy { abs($0) < 1e-14 })
  }

  /// A Jacobian whose plan needs more than `--max-memory` runs over slices of its basis with
  /// the same numbers (and the same random draws), and is refused when even slices do not fit.
  @Test func jacobiansOverTheMemoryLimitRunInSlicesOfTheBasis() throws {
    // reverse mode over a 1500 × 1500 float64 basis: about 50 MB unsliced
    let program =
      "A = randn(1500, 4); J = jacrev(x -> softmax(A * x))(randn(4)); [sum(J .* J), randn()]"
    let whole = Run(program, dtype: .f64, seed: 0)
    let sliced = Run(program, dtype: .f64, seed: 0) { $0.memoryLimit = 12 << 20 }
    let refused = Run(program, dtype: .f64, seed: 0) { $0.memoryLimit = 64 << 10 }
    #expect(sliced.status == 0, "\(sliced.diagnostics)")
    #expect(try sliced.tensor().doubles == whole.tensor().doubles)
    #expect(refused.diagnostic?.message.id == "memoryLimitExceeded(bytes:limit:)")
    #expect(refused.diagnostic?.range != nil)
  }

  /// A `vmap` whose batch needs more than `--max-memory` runs over slices of the batch.
  @Test func vmapOverTheMemoryLimitRunsInSlicesOfTheBatch() throws {
    // 32 items of 300 × 300 float64 intermediates: about 23 MB per intermediate unsliced
    let program =
      "B = randn(300, 300); X = randn(32, 300); vmap(x -> sum(exp(-abs(outer(x, x) - B)), dim=1), in_dims=0, out_dims=1)(X)"
    let whole = Run(program, dtype: .f64, seed: 0)
    let sliced = Run(program, dtype: .f64, seed: 0) { $0.memoryLimit = 16 << 20 }
    #expect(sliced.status == 0, "\(sliced.diagnostics)")
    #expect(try sliced.tensor().shape == [300, 32])
    #expect(try sliced.tensor().doubles == whole.tensor().doubles)
  }

  @Test func hessianOfQuadraticFormIsASymmetrisedMatrix() {
    check(
      "A = randn(5, 5); x = randn(5); assert allclose(hessian(x -> x' * A * x)(x), A + A', atol=1e-12)"
    )
  }

  /// Functions mixing most built-ins, differentiated both ways.
  static let functions = [
    "x -> tanh(W * x + b)",
    "x -> softmax(W * x)",
    "x -> log_softmax(x .* b, 0)",
    "x -> [logsumexp(x), norm(x), mean(x^2), var(x), std(x), prod(x[:3])]",
    "x -> concat((sin(x[::2]), cos(x[1:3]), x[-1:] ^ 3))",
    "x -> reshape(outer(x, b), 25)[3:10]",
    "x -> inv(W + diag(x) + 5 * eye(5)) * b",
    "x -> [det(W + diag(x)), trace(W * diag(x))]",
    "x -> solve(W .* W + 5 * eye(5), x)",
    "x -> sigmoid(x) + softplus(x) + gelu(x) + silu(x) + erf(x) + exp(x) + log1p(x^2)",
    "x -> atan2(x, b) + pow(abs(x) + 1, b) + maximum(x, b) + minimum(x, 0.3) + where(x > 0, x, -2 * x)",
    "x -> sum(kron(reshape(x[:4], 2, 2), eye(2)) * W[:4, :4], dim=1)",
    "x -> movedim(broadcast_to(x, 2, 5) .* [[1], [2]], 0, 1)[2]",
    "x -> linear(x, W, b) ./ (1 + x^2)",
  ]

  @Test(arguments: functions) func jacfwdEqualsJacrev(_ f: String) {
    check(
      "W = randn(5, 5); b = randn(5); x = randn(5); f = \(f); assert allclose(jacfwd(f)(x), jacrev(f)(x), atol=1e-10)"
    )
  }

  @Test(arguments: functions) func jacobianMatchesFiniteDifferences(_ f: String) throws {
    // central differences in float64 along each basis direction
    let j = try value("W = randn(5, 5); b = randn(5); x = randn(5); f = \(f); jacrev(f)(x)")
    let n = 5
    let m = j.count / n
    var numeric: [Double] = []
    var columns: [[Double]] = []
    for i in 0..<n {
      let plus = try value(
        "W = randn(5, 5); b = randn(5); x = randn(5); f = \(f); f(x + 1e-6 * eye(5)[\(i)])"
      ).doubles
      let minus = try value(
        "W = randn(5, 5); b = randn(5); x = randn(5); f = \(f); f(x - 1e-6 * eye(5)[\(i)])"
      ).doubles
      columns.append(zip(plus, minus).map { ($0 - $1) / 2e-6 })
    }
    for row in 0..<m { for i in 0..<n { numeric.append(columns[i][row]) } }
    expectClose(j, numeric, rtol: 1e-5, atol: 1e-6)
  }

  @Test func gradEqualsVjpWithCotangentOne() {
    check(
      "x = randn(4); f = x -> sum(sin(x) .* x); assert allclose(grad(f)(x), vjp(f, x)[1](1)[0])")
  }

  @Test func vmapOfGradEqualsALoop() {
    check(
      """
      f = x -> sum(tanh(x)^2); X = randn(3, 4); G = vmap(grad(f))(X)
      assert allclose(G, stack((grad(f)(X[0]), grad(f)(X[1]), grad(f)(X[2]))))
      """)
  }

  @Test func hvpEqualsHessianTimesVector() {
    check(
      """
      f = x -> sum(x^3) * sum(sin(x)); x = randn(4); v = randn(4)
      assert allclose(hvp(f, (x,), (v,)), hessian(f)(x) * v)
      assert allclose(vhp(f, (x,), v), hessian(f)(x) * v)
      """)
  }

  @Test func derivativesOfSinCycle() throws {
    let t = try value(
      """
      x = [0.3, 1.1]; d1 = grad(x -> sum(sin(x)))
      concat((d1(x), grad(x -> sum(d1(x)))(x), vmap(grad(grad(grad(sin))))(x), vmap(grad(grad(grad(grad(sin)))))(x)))
      """)
    let x = [0.3, 1.1]
    expectClose(t, x.map(cos) + x.map { -sin($0) } + x.map { -cos($0) } + x.map(sin))
  }

  @Test func jvpEqualsJacobianTimesTangent() {
    check(
      "W = randn(3, 4); f = x -> tanh(W * x); x = randn(4); t = randn(4); assert allclose(jvp(f, (x,), (t,))[1], jacfwd(f)(x) * t)"
    )
  }

  @Test func linearizeAgreesWithJvp() {
    check(
      "f = x -> exp(x) .* x; x = randn(3); t = randn(3); y, fjvp = linearize(f, x); assert allclose(fjvp(t), jvp(f, (x,), (t,))[1])"
    )
  }

  @Test func nestedVmapMapsTwoAxes() {
    check("A = randn(3, 4); assert allclose(vmap(vmap(x -> x^2 + 1))(A), A^2 + 1)")
    check("A = randn(3, 4); assert allclose(vmap(x -> sum(x), in_dims=1)(A), sum(A, 0))")
    check(
      "A = randn(3, 4); b = randn(4); assert allclose(vmap((a, b) -> a .* b, in_dims=(0, None))(A, b), A .* b)"
    )
    check("A = randn(3, 4); assert allclose(vmap(x -> 2 * x, out_dims=1)(A), 2 * A')")
    check("A = randn(2, 3, 4); assert allclose(vmap(m -> m * [1, 1, 1, 1])(A), sum(A, 2))")
  }

  @Test func argnumsTupleGivesATuple() {
    check(
      """
      f = (a, b) -> sum(a .* sin(b)); a = randn(3); b = randn(3)
      ga, gb = grad(f, argnums=(0, 1))(a, b)
      assert allclose(ga, sin(b)); assert allclose(gb, a .* cos(b))
      (g1,) = grad(f, argnums=(1,))(a, b); assert allclose(g1, gb)
      """)
  }

  @Test func auxiliaryOutputsPassThrough() {
    check(
      """
      f = x -> (sum(x^2), x * 2); x = randn(3)
      g, aux = grad(f, has_aux=True)(x); assert allclose(g, 2 * x); assert allclose(aux, 2 * x)
      va, g2 = value_and_grad(f, has_aux=True)(x); assert allclose(va[0], sum(x^2)); assert allclose(g2, g)
      J, aux3 = jacrev(x -> (sin(x), x), has_aux=True)(x); assert allclose(J, diag(cos(x)))
      """)
  }

  @Test func gradWithRespectToATuple() {
    check(
      "f = p -> sum(p[0] * p[1]); A = randn(2, 3); v = randn(3); gA, gv = grad(f)((A, v)); assert allclose(gA, outer(ones(2), v)); assert allclose(gv, A' * ones(2))"
    )
  }

  @Test func vjpFunctionOutlivesItsStatement() {
    check(
      "x = randn(3); y, pull = vjp(x -> x^3, x)\nct = pull(ones(3))\nassert allclose(ct[0], 3 * x^2)\nassert allclose(vmap(pull)(eye(3))[0], diag(3 * x^2))"
    )
  }

  @Test func closuresCaptureValuesOfTheEnclosingTrace() {
    check("g(a) = grad(x -> sum(a .* x^2))([1, 2]); assert allclose(g([10, 100]), [20, 400])")
    check(
      "h(a) = jacrev(x -> grad(y -> sum(a * y^2))(x))(a); a = randn(3); assert allclose(h(a), diag(2 * a))"
    )
  }

  @Test func higherOrderMixedModes() {
    check(
      "f = x -> sum(exp(x) * x); x = randn(3); assert allclose(jacrev(jacrev(grad(f)))(x), jacfwd(jacfwd(grad(f)))(x))"
    )
    check(
      "f = x -> sin(x) * x; assert allclose(grad(grad(grad(f)))(0.7), -3 * sin(0.7) - 0.7 * cos(0.7))"
    )
  }

  /// Non-differentiable points follow JAX.
  @Test func kinksFollowJAX() throws {
    expectClose(try value("grad(x -> relu(x))(0)"), [0])
    expectClose(try value("grad(x -> abs(x))(0)"), [0])
    expectClose(
      try value("vmap(grad(x -> sign(x) + floor(x) + ceil(x) + round(x)))([0.5, 1.5, -2])"),
      [0, 0, 0])
    expectClose(
      try value("stack(grad((a, b) -> maximum(a, b), argnums=(0, 1))(1, 1))"), [0.5, 0.5])
    expectClose(try value("grad(x -> max(x))([1, 3, 3])"), [0, 0.5, 0.5])
    expectClose(try value("grad(x -> sum(x > 0))([1, -1])"), [0, 0])
  }

  @Test func integerArgumentsAreDifferentiatedAsTensors() throws {
    expectClose(try value("grad(x -> x^3)(2)"), [12])
  }

  @Test func transformsPrintAsFunctions() {
    let run = Run(
      "predict(W, b, x) = tanh(W*x + b); (jacrev(predict, argnums=2), vmap(grad(sin)), hessian(x -> x))"
    )
    #expect(
      run.values
        == "(<function jacrev(predict, argnums=2)>, <function vmap(grad(sin))>, <function hessian(lambda)>)\n"
    )
  }
}
