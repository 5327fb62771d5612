import Foundation
import Testing

@testable import NablaCore

/// `fori_loop`, `scan` and `while_loop` (unrolled while tracing) against closed forms, central
/// differences and their own definitions, and the errors for carries that change.
@Suite struct LoopTests {
  @Test func loopsComputeTheirDefinitions() {
    expectAssertsHold(
      """
      x = [0.5, -1.5, 2., 4.]
      assert fori_loop(0, 5, (i, c) -> c * 2, 1.) == 32
      assert fori_loop(2, 2, (i, c) -> c * 2, 1.) == 1
      assert fori_loop(5, 2, (i, c) -> c * 2, 1.) == 1
      assert allclose(fori_loop(0, 4, (i, c) -> c + x[i], 0.), sum(x))
      assert allclose(fori_loop(0, 4, (i, c) -> (c[0] + x[i], c[1] .* x[i]), (0., 1.))[1], prod(x))
      assert allclose(scan((c, v) -> (c + v, c + v), 0., x)[1], cumsum(x))
      M = reshape(arange(12), 4, 3)
      assert allclose(scan((c, v) -> (c + v, c + v), zeros(3), M)[1], cumsum(M, dim=0))
      assert allclose(scan((c, v) -> (c + v, c + v), 0., x, reverse=True)[1], flip(cumsum(flip(x))))
      assert allclose(scan((c, v) -> (c + v[0] .* v[1], None), 0., (x, x))[0], sum(x .* x))
      assert scan((c, v) -> (c + 1, c), 0., None, length=3)[1] == [0, 1, 2]
      assert scan((c, v) -> (c + 1, c), 0., zeros(0, 2))[1].shape == (0,)
      assert while_loop(c -> c[0] < 10, c -> (c[0] + 3, c[1] * 2), (0, 1.))[1] == 16
      """)
  }

  /// `c ← c·x` n times is xⁿ: its derivatives are n xⁿ⁻¹ and n(n−1) xⁿ⁻² in every mode.
  @Test func derivativesOfALoopAreThoseOfItsClosedForm() {
    expectAssertsHold(
      """
      p(x) = fori_loop(0, 5, (i, c) -> c .* x, ones_like(x))
      x = [0.5, -1.5, 2.]
      assert allclose(grad(x -> sum(p(x)))(x), 5 * x^4)
      assert allclose(jacfwd(p)(x), diag(5 * x^4))
      assert allclose(jacrev(p)(x), diag(5 * x^4))
      assert allclose(hessian(x -> sum(p(x)))(x), diag(20 * x^3))
      assert allclose(vmap(p)(x), x^5)
      assert allclose(vmap(grad(x -> sum(p(x))))(x), 5 * x^4)
      assert allclose(grad(xs -> scan((c, v) -> (c .* v, c), 1., xs)[0])(x), prod(x) / x)
      # a while_loop whose condition reads only a counter: five steps, x⁵
      w(x) = while_loop(c -> c[0] < 5, c -> (c[0] + 1, c[1] * x), (0, 1.))[1]
      assert grad(w)(2.) == 80 and allclose(vmap(w)(x), x^5)
      """)
  }

  /// Loops whose derivatives have no short closed form, against central differences, to
  /// second order in both modes.
  @Test func derivativesOfLoopsMatchFiniteDifferences() {
    expectAssertsHold(
      """
      f(x) = fori_loop(0, 4, (i, c) -> sin(c) .* x + 0.1 * i * c, x)
      g(x, w) = sum(scan((c, v) -> (tanh(w * c + v), c .* c), x[0:2], reshape(x, 3, 2))[1])
      assert gradcheck(f, [0.3, -0.7, 1.1], order=2)
      assert gradcheck(g, [0.3, -0.7, 1.1, 0.2, 0.5, -0.4], [[0.5, -0.2], [0.1, 0.9]], order=2)
      assert gradcheck(x -> scan((c, v) -> (c * v, sin(c)), 1., x, reverse=True)[1], [0.3, -0.7, 1.1])
      """)
  }

  @Test func aCarryThatChangesIsAnError() {
    #expect(
      errorText("fori_loop(0, 3, (i, c) -> [c, c], 1.)").contains(
        "the carry changed type in iteration 0: carry went in as f32[] and came out as f32[2]"))
    #expect(
      errorText("fori_loop(0, 3, (i, c) -> (c[0], c[1][0]), (1., [2., 3.]))").contains(
        "carry[1] went in as f32[2] and came out as f32[]"))
    #expect(
      errorText("fori_loop(0, 3, (i, c) -> (c, c), 1.)").contains(
        "the carry changed structure in iteration 0: it went in as * and came out as (*, *)"))
    #expect(
      errorText("fori_loop(0, 3, (i, c) -> c .* ones(2), 1.)").contains("came out as f32[2]"))
    #expect(
      errorText("scan((c, x) -> (c * x, c), 1., [[1, 2], [3, 4]])").contains(
        "'scan': the carry changed type in iteration 0"))
    #expect(errorText("scan((c, x) -> c, 1., [1, 2])").contains("f must return a pair (carry, y)"))
    #expect(
      errorText("scan((c, x) -> (c, x), 1., ([1, 2], [1, 2, 3]))").contains(
        "every tensor of xs must have the same leading size"))
    #expect(errorText("scan((c, x) -> (c, x), 1., None)").contains("length="))
    #expect(errorText("scan((c, x) -> (c, x), 1., [1, 2], length=3)").contains("length=3 differs"))
    #expect(
      errorText("x = [1., 2.]; grad(x -> while_loop(c -> c < 10, c -> c * x[0], 1.))(x)")
        .contains("the condition must be known while tracing"))
    #expect(
      errorText("fori_loop(0, 10001, (i, c) -> c, 1.)").contains(
        "10001 iterations is more than the 10000 a loop may have"))
  }
}
