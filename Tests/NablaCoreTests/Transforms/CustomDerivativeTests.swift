import Foundation
import Testing

@testable import NablaCore

/// `custom_jvp` and `custom_vjp`: the user's rules are what every transform uses (a rule that
/// deliberately differs from the function's derivative shows in each), with JAX's semantics.
@Suite struct CustomDerivativeTests {
  @Test func aRuleMakesAGradientFinite() throws {
    let rule = "(p, t) -> (log(1 + exp(p[0])), t[0] .* (1 - 1 / (1 + exp(p[0]))))"
    let program = "f = custom_jvp(x -> log(1 + exp(x)), \(rule))\n"
    #expect(try Run(program + "grad(f)(100.)").tensor().doubles == [1])
    #expect(try Run(program + "grad(x -> log(1 + exp(x)))(100.)").tensor().doubles[0].isNaN)
    expectClose(try Run(program + "f(2.)").tensor(), [log(1 + exp(2))])
    expectClose(try Run(program + "vmap(grad(f))([0., 100.])").tensor(), [0.5, 1])
  }

  /// sin with the rule ẏ = 3 cos(x) ẋ: every transform gives 3 cos, and second derivatives
  /// differentiate the rule (−3 sin).
  @Test func everyTransformUsesTheJVPRule() {
    expectAssertsHold(
      """
      s = custom_jvp(x -> sin(x), (p, t) -> (sin(p[0]), 3 * cos(p[0]) .* t[0]))
      x = [0.5, -1.5, 2.]
      assert allclose(s(x), sin(x))
      assert allclose(grad(x -> sum(s(x)))(x), 3 * cos(x))
      assert allclose(jvp(s, (x,), (ones(3),))[1], 3 * cos(x))
      assert allclose(vjp(s, x)[1](ones(3))[0], 3 * cos(x))
      assert allclose(jacrev(s)(x), diag(3 * cos(x)))
      assert allclose(jacfwd(s)(x), diag(3 * cos(x)))
      assert allclose(hessian(x -> sum(s(x)))(x), diag(-3 * sin(x)))
      assert allclose(vmap(grad(s))(x), 3 * cos(x))
      assert allclose(grad(x -> sum(vmap(s)(x)))(x), 3 * cos(x))
      assert allclose(jacrev(vmap(s))(x), diag(3 * cos(x)))
      assert allclose(jacobian(s, sparse=True)(x), diag(3 * cos(x)))
      assert allclose(hessian(x -> sum(s(x)), sparse=True)(x), diag(-3 * sin(x)))
      assert allclose(grad(x -> fori_loop(0, 2, (i, c) -> s(c), x))(0.5), 9 * cos(sin(0.5)) * cos(0.5))
      """)
  }

  /// Several arguments and outputs; the rule's primal output is the primal under jvp (JAX).
  @Test func rulesTakeAndGiveTuples() {
    expectAssertsHold(
      """
      rule(p, t) = ((p[0] .* p[1], p[0] + p[1]), (2 * t[0], t[0] + 5 * t[1]))
      f = custom_jvp((a, b) -> (a .* b, a + b), rule)
      a = [1., 2.]; b = [3., -1.]
      J = jacrev(f, argnums=(0, 1))(a, b)
      assert allclose(J[0][0], 2 * eye(2)) and allclose(J[0][1], zeros(2, 2))
      assert allclose(J[1][0], eye(2)) and allclose(J[1][1], 5 * eye(2))
      assert allclose(jacfwd(f, argnums=1)(a, b)[1], 5 * eye(2))
      shifted = custom_jvp(x -> x, (p, t) -> (p[0] + 1, t[0]))
      assert jvp(shifted, (2.,), (1.,))[0] == 3 and shifted(2.) == 2
      """)
  }

  /// A correct rule passes gradcheck to second order; a rule may capture session values.
  @Test func aCorrectRuleMatchesFiniteDifferences() {
    expectAssertsHold(
      """
      W = [[1., 2.], [-0.5, 0.3]]
      f = custom_jvp(x -> tanh(W * x), (p, t) -> (tanh(W * p[0]), (1 - tanh(W * p[0])^2) .* (W * t[0])))
      assert gradcheck(f, [0.3, -0.2], order=2)
      """)
  }

  /// gradcheck compares a rule with central differences of the function (widened to float64
  /// through the custom call): a right one passes, a wrong one fails.
  @Test func gradcheckComparesTheRuleWithTheFunction() {
    let cube = "custom_vjp(x -> x^3, x -> (x^3, x), (r, g) -> (3 * r^2 * g,))"
    #expect(Run("assert gradcheck(\(cube), 2., modes=(\"rev\",))").status == 0)
    let wrong = "custom_jvp(x -> x^3, (p, t) -> (p[0]^3, 2 * p[0]^2 .* t[0]))"
    #expect(errorText("gradcheck(\(wrong), [2., 1.])").contains("'gradcheck' failed in mode fwd"))
  }

  /// sin with bwd ȳ ↦ 5 cos(x) ȳ: reverse mode gives 5 cos; forward mode is JAX's error, but
  /// forward over reverse (`hessian`) differentiates `bwd`, as in JAX.
  @Test func reverseModeUsesTheVJPRule() {
    expectAssertsHold(
      """
      s = custom_vjp(x -> sin(x), x -> (sin(x), cos(x)), (c, g) -> (5 * c .* g,))
      x = [0.5, -1.5, 2.]
      assert allclose(s(x), sin(x))
      assert allclose(grad(x -> sum(s(x)))(x), 5 * cos(x))
      assert allclose(jacrev(s)(x), diag(5 * cos(x)))
      assert allclose(jacobian(s)(x), diag(5 * cos(x)))
      assert allclose(vmap(grad(s))(x), 5 * cos(x))
      assert allclose(jacrev(vmap(s))(x), diag(5 * cos(x)))
      assert allclose(hessian(x -> sum(s(x)))(x), diag(-5 * sin(x)))
      m = custom_vjp((x, y) -> x .* y, (x, y) -> (x .* y, (x, y)), (r, g) -> (g .* r[1], None))
      assert grad(m, argnums=(0, 1))(2., 3.) == (3., 0.)
      # None for part of a tuple argument's cotangent, as JAX allows
      t = custom_vjp((a, b) -> a .* b[0], (a, b) -> (a .* b[0], b), (r, g) -> (g .* r[0], (g, None)))
      c = grad(t, argnums=(0, 1))(2., (3., 4.))
      assert c[0] == 3 and c[1][0] == 1 and c[1][1] == 0
      """)
    let s = "s = custom_vjp(x -> sin(x), x -> (sin(x), cos(x)), (c, g) -> (c .* g,))\n"
    let message = "can't apply forward-mode autodiff (jvp) to a custom_vjp function"
    #expect(errorText(s + "jvp(s, (1.,), (1.,))").contains(message))
    #expect(errorText(s + "jacfwd(s)([1., 2.])").contains(message))
  }

  /// `docs/examples/custom_jvp.nb` (rules that make gradients finite) runs, its asserts hold.
  @Test func exampleRuns() throws {
    let root = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/")
    let run = Run(try readText(root + "/docs/examples/custom_jvp.nb"))
    #expect(run.status == 0, "\(run.diagnostics)")
    #expect(run.values.contains("tensor([0.5000, 1.0000, 1.0000])"))
  }

  @Test func rulesThatDoNotFitAreErrors() {
    #expect(
      errorText("custom_jvp(x -> x, (p, t) -> (p[0], t))(1.)").contains(
        "the rule must return (output, tangent), both like f's output f32[], got (f32[], (f32[],))")
    )
    #expect(
      errorText("custom_vjp(x -> x, x -> x, (r, g) -> (g,))(1.)").contains(
        "fwd must return (output, residuals)"))
    #expect(
      errorText(
        "grad(custom_vjp((a, b) -> a, (a, b) -> (a, b), (r, g) -> (g, (g, g, g))), argnums=1)(2., (3., 4.))"
      ).contains(
        "bwd's cotangent 1 must be like argument 1 (f32[], f32[]), got (f32[], f32[], f32[])"))
    #expect(
      errorText("custom_vjp(x -> x, x -> (x, x), (r, g) -> g)(1.)").contains(
        "bwd must return a tuple of 1 cotangent"))
    #expect(
      errorText("grad(custom_vjp(x -> x, x -> (x, x), (r, g) -> (ones(2),)))(1.)").contains(
        "bwd's cotangent 0 must be like argument 0 f32[], got f32[2]"))
    #expect(
      errorText("grad(w -> custom_jvp(x -> w * x, (p, t) -> (w * p[0], w * t[0]))(2.))(3.)")
        .contains(
          "differentiated with respect to a value it captures"))
  }
}
