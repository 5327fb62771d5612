import Foundation
import Testing

@testable import NablaCore

/// Every built-in against closed forms, in float32 and in float64.
@Suite struct BuiltinTests {
  static let xs = [0.5, -1.25, 2.0]
  static let ps = [0.5, 1.25, 2.0]  // positive
  static let us = [0.25, -0.5, 0.75]  // inside (−1, 1)

  /// The Euler–Mascheroni constant γ.
  static let eulerGamma = 0.5772156649015329

  static func map(_ f: (Double) -> Double, _ v: [Double]) -> [Double] { v.map(f) }

  static let elementwise: [BuiltinCase] = [
    .init("sin([0.5, -1.25, 2])", [3], map(sin, xs)),
    .init("cos([0.5, -1.25, 2])", [3], map(cos, xs)),
    .init("tan([0.5, -1.25, 2])", [3], map(tan, xs)),
    .init("asin([0.25, -0.5, 0.75])", [3], map(asin, us)),
    .init("acos([0.25, -0.5, 0.75])", [3], map(acos, us)),
    .init("atan([0.5, -1.25, 2])", [3], map(atan, xs)),
    .init("sinh([0.5, -1.25, 2])", [3], map(sinh, xs)),
    .init("cosh([0.5, -1.25, 2])", [3], map(cosh, xs)),
    .init("tanh([0.5, -1.25, 2])", [3], map(tanh, xs)),
    .init("asinh([0.5, -1.25, 2])", [3], map(asinh, xs)),
    .init("acosh([1.5, 2, 3])", [3], map(acosh, [1.5, 2, 3])),
    .init("atanh([0.25, -0.5, 0.75])", [3], map(atanh, us)),
    .init("exp([0.5, -1.25, 2])", [3], map(exp, xs)),
    .init("expm1([1e-5, -1.25, 2])", [3], map(expm1, [1e-5, -1.25, 2])),
    .init("log([0.5, 1.25, 2])", [3], map(log, ps)),
    .init("log1p([1e-5, 1.25, 2])", [3], map(log1p, [1e-5, 1.25, 2])),
    .init("log2([0.5, 1.25, 8])", [3], map(log2, [0.5, 1.25, 8])),
    .init("log10([0.5, 1.25, 1000])", [3], map(log10, [0.5, 1.25, 1000])),
    .init("sqrt([0.5, 1.25, 2])", [3], map(sqrt, ps)),
    .init("rsqrt([0.5, 1.25, 2])", [3], map({ 1 / sqrt($0) }, ps)),
    .init("cbrt([8, -27, 2])", [3], map(cbrt, [8, -27, 2])),
    .init("abs([0.5, -1.25, 2])", [3], [0.5, 1.25, 2]),
    .init("sign([0.5, -1.25, 0])", [3], [1, -1, 0]),
    .init("floor([0.5, -1.25, 2])", [3], [0, -2, 2]),
    .init("ceil([0.5, -1.25, 2])", [3], [1, -1, 2]),
    .init("round([0.5, 1.5, -2.5, 2.4])", [4], [0, 2, -2, 2]),
    .init("sigmoid([0.5, -1.25, 40])", [3], map({ 1 / (1 + exp(-$0)) }, [0.5, -1.25, 40])),
    .init("relu([0.5, -1.25, 2])", [3], [0.5, 0, 2]),
    .init(
      "softplus([0.5, -1.25, 50])", [3], map({ $0 > 30 ? $0 : log1p(exp($0)) }, [0.5, -1.25, 50])),
    .init("gelu([0.5, -1.25, 2])", [3], map({ 0.5 * $0 * (1 + erf($0 / sqrt(2))) }, xs)),
    .init(
      "gelu([0.5, -1.25, 2], approximate=\"tanh\")", [3],
      map({ 0.5 * $0 * (1 + tanh(sqrt(2 / Double.pi) * ($0 + 0.044715 * $0 * $0 * $0))) }, xs)),
    .init("silu([0.5, -1.25, 2])", [3], map({ $0 / (1 + exp(-$0)) }, xs)),
    .init("erf([0.5, -1.25, 2])", [3], map(erf, xs)),
    .init("erfc([0.5, -1.25, 5])", [3], map(erfc, [0.5, -1.25, 5])),
    // erf(0.5), erf(−0.25), erf(1)
    .init(
      "erfinv([0.5204998778130465, -0.2763263901682369, 0.8427007929497149])", [3], [0.5, -0.25, 1]),
    .init("lgamma([0.5, -1.25, 5])", [3], [log(Double.pi) / 2, log(abs(tgamma(-1.25))), log(24)]),
    // ψ(½) = −γ − 2 log 2, ψ(1) = −γ, ψ(2) = 1 − γ
    .init("digamma([0.5, 1, 2])", [3], [-eulerGamma - 2 * log(2), -eulerGamma, 1 - eulerGamma]),
    // ψ′(½) = π²/2, ψ′(1) = π²/6; ψ″(1) = −2ζ(3)
    .init("polygamma(1, [0.5, 1])", [2], [Double.pi * Double.pi / 2, Double.pi * Double.pi / 6]),
    .init("polygamma(2, 1)", [], [-2 * 1.2020569031595943]),
    .init("square([0.5, -1.25, 2])", [3], [0.25, 1.5625, 4]),
    .init("reciprocal([0.5, -1.25, 2])", [3], [2, -0.8, 0.5]),
    .init("pow([0.5, 1.25, 2], [2, 0.5, -1.5])", [3], [0.25, sqrt(1.25), pow(2, -1.5)]),
    .init("pow(-2, [2, 3])", [2], [4, -8]),
    .init("atan2([1, -1, 0], [1, 1, -1])", [3], [atan2(1, 1), atan2(-1, 1), atan2(0, -1)]),
    .init("minimum([1, 5, 3], [4, 2, 3])", [3], [1, 2, 3]),
    .init("maximum([1, 5, 3], 2.5)", [3], [2.5, 5, 3]),
    .init("clamp([-2, 0.5, 3], -1, 1)", [3], [-1, 0.5, 1]),
    .init("clamp([-2, 0.5, 3], max=1)", [3], [-2, 0.5, 1]),
    .init("where([1, 0, 2] > 1, 10, [7, 8, 9])", [3], [7, 8, 10]),
    .init("isnan([1, nan, inf])", [3], [0, 1, 0]),
    .init("isfinite([1, nan, -inf])", [3], [1, 0, 0]),
  ]

  static let operators: [BuiltinCase] = [
    .init("[1, 2, 3] + 0.5", [3], [1.5, 2.5, 3.5]),
    .init("[[1], [2]] - [10, 20, 30]", [2, 3], [-9, -19, -29, -8, -18, -28]),
    .init("[1, 2] .* [3, 4]", [2], [3, 8]),
    .init("[1, 2] ./ [4, 8]", [2], [0.25, 0.25]),
    .init("[1, 2] / 4", [2], [0.25, 0.5]),
    // Python's floored remainder and quotient: the divisor's sign
    .init("[5.5, -5.5, 5.5, -5.5] % [2, 2, -2, -2]", [4], [1.5, 0.5, -0.5, -1.5]),
    .init("[5.5, -5.5, 5.5, -5.5] // [2, 2, -2, -2]", [4], [2, -3, -3, 2]),
    .init("(7 % 3, -7 % 3, 7 % -3, 7 // 2, -7 // 2)", [5], [1, 2, -2, 3, -4]),
    .init("grad(x -> x % 2)(5.5)", [], [1]),
    // the product's derivative is the product of the other elements, also at zeros (as JAX)
    .init("grad(prod)([2, 0, 3])", [3], [0, 6, 0]),
    .init("grad(prod)([2, 0, 0])", [3], [0, 0, 0]),
    .init("hessian(prod)([2, 0, 3])", [3, 3], [0, 3, 0, 3, 0, 2, 0, 2, 0]),
    .init("jacrev(x -> prod(x, dim=1))([[1, 0], [2, 3]])", [2, 2, 2], [0, 1, 0, 0, 0, 0, 3, 2]),
    // stop_gradient: the identity whose derivative is 0, through every transform
    .init("stop_gradient([1, 2])", [2], [1, 2]),
    .init("grad(x -> sum(stop_gradient(x) .* x))([1, 2])", [2], [1, 2]),
    .init("hessian(x -> sum(stop_gradient(x) .* x^2))([1, 2])", [2, 2], [2, 0, 0, 4]),
    .init("jacfwd(x -> x + stop_gradient(sin(x)))([1, 2])", [2, 2], [1, 0, 0, 1]),
    // Python's conditional expression and logical words: elementwise on tensors, only the
    // branch taken when the condition is known (so a recursion ends)
    .init("x = [-1, 2, 0]; x if x > 0 else 0", [3], [0, 2, 0]),
    .init("fact(n) = 1 if n == 0 else n * fact(n - 1); fact(10)", [], [3_628_800]),
    .init(
      "x = [-1, 2, 0]; stack(((x > 0) and (x < 2), (x < 0) or (x > 1), not (x == 0)))", [3, 3],
      [0, 0, 0, 1, 1, 0, 1, 1, 0]),
    .init("grad(x -> sum(x^2 if x > 0 else -x))([-3, 2])", [2], [-1, 4]),
    .init("1 if 3 > 2 and not 1 > 2 else 0", [], [1]),
    .init("grad(y -> 5.5 % y)(2)", [], [-2]),
    .init("-[1, 2]^2", [2], [-1, -4]),
    .init("2^3^2", [], [512]),
    .init("[1, 2] ** -1", [2], [1, 0.5]),
    .init("[1, 2, 3] == [1, 0, 3]", [3], [1, 0, 1]),
    .init("[1, 2, 3] != 2", [3], [1, 0, 1]),
    .init("[1, 2, 3] < 2", [3], [1, 0, 0]),
    .init("[1, 2, 3] <= 2", [3], [1, 1, 0]),
    .init("[1, 2, 3] > 2", [3], [0, 0, 1]),
    .init("[1, 2, 3] >= 2", [3], [0, 1, 1]),
    .init("[[1, 2], [3, 4]] * [5, 6]", [2], [17, 39]),
    .init("[1, 2] @ [[1, 2], [3, 4]]", [2], [7, 10]),
    .init("[1, 2, 3] * [4, 5, 6]", [], [32]),
    .init("[[1, 2], [3, 4]] * [[5, 6], [7, 8]]", [2, 2], [19, 22, 43, 50]),
    .init("2 * [[1, 2], [3, 4]]", [2, 2], [2, 4, 6, 8]),
    .init("ones(2, 2, 3) * ones(3, 4)", [2, 2, 4], Array(repeating: 3, count: 16)),
    .init("[[1, 2], [3, 4]]'", [2, 2], [1, 3, 2, 4]),
    .init("[[1, 2], [3, 4]].T", [2, 2], [1, 3, 2, 4]),
    .init("x = arange(12); reshape(x, 3, 4)[1:, ::2]", [2, 2], [4, 6, 8, 10]),
    .init("reshape(arange(12), 3, 4)[-1]", [4], [8, 9, 10, 11]),
    .init("reshape(arange(12), 3, 4)[:, 0]", [3], [0, 4, 8]),
    .init("arange(6)[::-2]", [3], [5, 3, 1]),
    .init("arange(6)[4:1:-1]", [3], [4, 3, 2]),
    .init("arange(3)[None]", [1, 3], [0, 1, 2]),
    .init("arange(3)[:, None]", [3, 1], [0, 1, 2]),
    .init("arange(5)[10:]", [0], []),
  ]

  static let reductions: [BuiltinCase] = [
    .init("sum([[1, 2], [3, 4]])", [], [10]),
    .init("sum([[1, 2], [3, 4]], dim=0)", [2], [4, 6]),
    .init("sum([[1, 2], [3, 4]], 1, keepdim=True)", [2, 1], [3, 7]),
    .init("sum(ones(2, 3, 4), dim=(0, 2))", [3], [8, 8, 8]),
    .init("mean([[1, 2], [3, 5]], axis=-1)", [2], [1.5, 4]),
    .init("prod([1, 2, 3, 4])", [], [24]),
    .init("max([[1, 5], [3, 2]])", [], [5]),
    .init("max([[1, 5], [3, 2]], dim=1)", [2], [5, 3]),
    .init("min([[1, 5], [3, 2]], dim=0)", [2], [1, 2]),
    .init("max([1, 5], [3, 2])", [2], [3, 5]),
    .init("norm([3, 4])", [], [5]),
    .init("norm([3, -4], 1)", [], [7]), .init("norm([3, -4], inf)", [], [4]),
    .init("norm([3, -4], -inf)", [], [3]), .init("norm([3, 0, -4], 0)", [], [2]),
    .init("norm([1, -2], 3)", [], [pow(9, 1.0 / 3)]),
    .init("norm([[3, -4], [1, 2]], ord=\"fro\", axis=1)", [2], [5, sqrt(5)]),
    .init("logsumexp([1, 2, 3])", [], [log(exp(1) + exp(2) + exp(3))]),
    .init("logsumexp([1000, 1000])", [], [1000 + log(2)]),
    .init("var([1, 2, 3, 4])", [], [5.0 / 3]),
    .init("var([1, 2, 3, 4], unbiased=False)", [], [1.25]),
    .init("std([1, 2, 3, 4])", [], [sqrt(5.0 / 3)]),
    .init("softmax([1, 2, 3])", [3], [1, 2, 3].map { exp($0) / (exp(1) + exp(2) + exp(3)) }),
    .init("log_softmax([1, 2, 3])", [3], [1, 2, 3].map { $0 - log(exp(1) + exp(2) + exp(3)) }),
    .init(
      "softmax([[1, 1], [0, 0]], dim=0)", [2, 2], [1, 1, 0, 0].map { exp($0) / (exp(1) + 1) }),
  ]

  static let linearAlgebra: [BuiltinCase] = [
    .init("matmul([[1, 2], [3, 4]], [1, 1])", [2], [3, 7]),
    .init("dot([1, 2, 3], [4, 5, 6])", [], [32]),
    .init("outer([1, 2], [3, 4, 5])", [2, 3], [3, 4, 5, 6, 8, 10]),
    .init("transpose(reshape(arange(6), 2, 3))", [3, 2], [0, 3, 1, 4, 2, 5]),
    .init("shape(transpose(ones(2, 3, 4), 0, 2))", [3], [4, 3, 2]),
    .init("trace([[1, 2], [3, 4]])", [], [5]),
    .init("diag([1, 2])", [2, 2], [1, 0, 0, 2]),
    .init("diag([[1, 2, 3], [4, 5, 6]])", [2], [1, 5]),
    .init("inv([[4, 7], [2, 6]])", [2, 2], [0.6, -0.7, -0.2, 0.4], float32Tolerance: 1e-5),
    .init("det([[4, 7], [2, 6]])", [], [10], float32Tolerance: 1e-5),
    .init("det([[0, 1], [1, 0]])", [], [-1]),
    .init("solve([[3, 1], [1, 2]], [9, 8])", [2], [2, 3], float32Tolerance: 1e-5),
    .init(
      "solve([[3, 1], [1, 2]], [[9, 3], [8, 1]])", [2, 2], [2, 1, 3, 0], float32Tolerance: 1e-5),
    .init(
      "kron([[1, 2], [3, 4]], [[0, 1], [1, 0]])", [4, 4],
      [0, 1, 0, 2, 1, 0, 2, 0, 0, 3, 0, 4, 3, 0, 4, 0]),
    .init("kron([1, 2], [1, 10])", [4], [1, 10, 2, 20]),
    .init("linear([1, 2], [[1, 0], [0, 1], [1, 1]], [0, 0, 1])", [3], [1, 2, 4]),
    // decompositions, worked by hand (L Lᵀ, eigenpairs, Householder steps, AᵀA)
    .init("cholesky([[4, 2], [2, 3]])", [2, 2], [2, 0, 1, sqrt(2)]),
    .init("cholesky([[4, 2], [0, 3]])", [2, 2], [2, 0, 0.5, sqrt(2.75)]),  // of (A + Aᵀ)/2
    .init("isnan(cholesky([[1, 2], [2, 1]]))", [2, 2], [1, 1, 1, 1]),
    .init("eigh([[2, 1], [1, 2]])[0]", [2], [1, 3]),
    .init("eigh([[2, 1], [1, 2]])[1]", [2, 2], [sqrt(0.5), sqrt(0.5), -sqrt(0.5), sqrt(0.5)]),
    .init(
      "eigvalsh([[2, 0, 0], [0, 1, 0], [5, 0, 3]])", [3], [2.5 - sqrt(6.5), 1, 2.5 + sqrt(6.5)]),
    .init("qr([[3, 1], [4, 2]])[0]", [2, 2], [-0.6, -0.8, -0.8, 0.6]),
    .init("qr([[3, 1], [4, 2]], mode=\"r\")", [2, 2], [-5, -2.2, 0, 0.4], float32Tolerance: 1e-5),
    .init("svd([[3, 0], [4, 5]])[1]", [2], [3 * sqrt(5), sqrt(5)]),
    .init("svdvals([[0, 2], [0, 0], [0, 0]])", [2], [2, 0]),
    .init("pinv([[1, 2], [2, 4]])", [2, 2], [0.04, 0.08, 0.08, 0.16], float32Tolerance: 1e-5),
    // x = (5/6, 3/2), residual b − A x = (1/6, −1/3, 1/6), rank 2
    .init(
      "lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 4])[0]", [2], [5 / 6, 1.5], float32Tolerance: 1e-5),
    .init(
      "lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 4])[1]", [1], [1.0 / 6], float32Tolerance: 1e-5),
    .init("lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 4])[2]", [], [2]),
    .init("lstsq([[1, 2], [2, 4]], [[1, 0], [0, 1]])[2]", [], [1]),
    .init("solve_triangular([[2, 1], [0, 4]], [4, 8])", [2], [1, 2]),
    .init("solve_triangular([[2, 9], [1, 4]], [4, 6], lower=True)", [2], [2, 1]),
    .init("cholesky_solve([2, 3], [[2, 0], [1, 1]])", [2], [-0.5, 2], float32Tolerance: 1e-5),
    .init(
      "cholesky_solve([2, 3], [[2, 1], [0, 1]], upper=True)", [2], [-0.5, 2], float32Tolerance: 1e-5
    ),
    .init("adjugate([[1, 2], [3, 4]])", [2, 2], [4, -2, -3, 1], float32Tolerance: 1e-5),
    .init(
      "adjugate([[1, 2, 3], [4, 5, 6], [7, 8, 9]])", [3, 3], [-3, 6, -3, 6, -12, 6, -3, 6, -3],
      float32Tolerance: 1e-5),
    .init("adjugate(ones(3, 3))", [3, 3], Array(repeating: 0, count: 9)),
    .init("matrix_norm([[3, 0], [4, 5]])", [], [sqrt(50)]),
    .init("matrix_norm([[3, 0], [4, 5]], \"nuc\")", [], [4 * sqrt(5)]),
    .init("matrix_norm([[3, 0], [4, 5]], 2)", [], [3 * sqrt(5)]),
    .init("matrix_norm([[3, 0], [4, 5]], ord=-2)", [], [sqrt(5)]),
  ]

  static let shapes: [BuiltinCase] = [
    .init("reshape(arange(6), 3, -1)", [3, 2], [0, 1, 2, 3, 4, 5]),
    .init("reshape(arange(6), (2, 3))[1]", [3], [3, 4, 5]),
    .init("flatten([[1, 2], [3, 4]])", [4], [1, 2, 3, 4]),
    .init("shape(squeeze(ones(1, 3, 1)))", [1], [3]),
    .init("shape(squeeze(ones(1, 3, 1), 0))", [2], [3, 1]),
    .init("unsqueeze([1, 2], 1)", [2, 1], [1, 2]),
    .init("shape(movedim(ones(2, 3, 4), 0, -1))", [3], [3, 4, 2]),
    .init("shape(permute(ones(2, 3, 4), 2, 0, 1))", [3], [4, 2, 3]),
    .init("concat(([1, 2], [3]))", [3], [1, 2, 3]),
    .init("concat((ones(1, 2), zeros(1, 2)), dim=0)", [2, 2], [1, 1, 0, 0]),
    .init("stack(([1, 2], [3, 4]), dim=1)", [2, 2], [1, 3, 2, 4]),
    .init("broadcast_to([1, 2], 2, 2)", [2, 2], [1, 2, 1, 2]),
    .init("numel(ones(2, 3))", [], [6]),
    .init("[numel(ones(2, 3)), ones(4, 5).shape[1]]", [2], [6, 5]),
  ]

  static let checks: [BuiltinCase] = [
    .init("allclose([1, 2], [1, 2.000001])", [], [1]),
    .init("allclose([1, 2], [1, 2.1])", [], [0]),
    .init("allclose([1, 2], [1, 2.1], atol=0.2)", [], [1]),
    .init("allclose([nan], [nan], equal_nan=True)", [], [1]),
    .init("allclose([inf], [inf])", [], [1]),
    .init("isclose([1, 2], [1, 3])", [2], [1, 0]),
    .init("any([0, 0, 1])", [], [1]),
    .init("all([0, 1])", [], [0]),
  ]

  static let constructors: [BuiltinCase] = [
    .init("zeros(2, 2)", [2, 2], [0, 0, 0, 0]),
    .init("ones((3,))", [3], [1, 1, 1]),
    .init("full((2, 2), 7)", [2, 2], [7, 7, 7, 7]),
    .init("eye(2, 3)", [2, 3], [1, 0, 0, 0, 1, 0]),
    .init("arange(4)", [4], [0, 1, 2, 3]),
    .init("arange(1, 2, 0.25)", [4], [1, 1.25, 1.5, 1.75]),
    .init("linspace(0, 1, 5)", [5], [0, 0.25, 0.5, 0.75, 1]),
    .init("pi", [], [Double.pi]),
    .init("e", [], [M_E]),
  ]

  /// Built-ins made of others (``Builtins/composites``, ``Builtins/arrays``).
  static let composites: [BuiltinCase] = [
    .init("logaddexp([1, 1000], [2, 1000])", [2], [log(exp(1) + exp(2)), 1000 + log(2)]),
    .init("xlogy([0, 2, 5], [0, 3, 7])", [3], [0, 2 * log(3), 5 * log(7)]),
    .init("logit(0.25)", [], [log(0.25 / 0.75)]),
    .init("hypot([3, 5, 1e30, 0], [4, 12, 1e30, 0])", [4], [5, 13, 1e30 * 2.0.squareRoot(), 0]),
    .init("isinf([1, inf, -inf, nan])", [4], [0, 1, 1, 0]),
    .init("full_like([1, 2], 7) + zeros_like([1, 2]) + ones_like([1, 2])", [2], [8, 8]),
    .init("tril(reshape(arange(9), 3, 3), diagonal=-1)", [3, 3], [0, 0, 0, 3, 0, 0, 6, 7, 0]),
    .init("triu(reshape(arange(6), 2, 3), diagonal=1)", [2, 3], [0, 1, 2, 0, 0, 5]),
    .init("flip(reshape(arange(6), 2, 3))", [2, 3], [5, 4, 3, 2, 1, 0]),
    .init("flip(reshape(arange(6), 2, 3), 1)", [2, 3], [2, 1, 0, 5, 4, 3]),
    .init("cumsum(reshape(arange(6), 2, 3), dim=-1)", [2, 3], [0, 1, 3, 3, 7, 12]),
    .init("matrix_power([[1, 1], [1, 0]], 10)", [2, 2], [89, 55, 55, 34]),  // Fibonacci
    .init("matrix_power([[2, 0], [0, 4]], -2)", [2, 2], [0.25, 0, 0, 0.0625]),
    .init("matrix_power([[2, 1], [1, 2]], 0)", [2, 2], [1, 0, 0, 1]),
    // Σᵢⱼ a[i, j] b[j, i] = trace(a b) = 10 + 40
    .init(
      "tensordot(reshape(arange(6), 2, 3), reshape(arange(6), 3, 2), ((0, 1), (1, 0)))", [], [50]),
    .init("tensordot(ones(2, 3), ones(3, 4), 1)", [2, 4], Array(repeating: 3, count: 8)),
    .init("logdet([[2, 1], [1, 2]])", [], [log(3)]),
    .init("slogdet([[0, 2], [3, 0]])[1]", [], [log(6)]),
    .init("slogdet([[0, 2], [3, 0]])[0]", [], [-1]),
    .init("hessian_diag(x -> sum(x^3))([1, 2])", [2], [6, 12]),
    .init("hessian_trace(x -> sum(x^3))([1, 2])", [], [18]),
    // J = diag(cos x)·Σx + sin(x)·1ᵀ: J[i, i] = cos xᵢ Σx + sin xᵢ
    .init("jacobian_diag(x -> sin(x) * sum(x))([0, 1])", [2], [1, cos(1) + sin(1)]),
    // f = Σⱼ exp(x₀xⱼ): H₀₀ = (2 + 4x₀²)e^{x₀²} + Σⱼ≠₀ xⱼ² e^{x₀xⱼ}, Hⱼⱼ = x₀² e^{x₀xⱼ}
    .init(
      "hessian_diag(x -> sum(exp(x[0] * x)))([0.5, 1, 2])", [3],
      [3 * exp(0.25) + exp(0.5) + 4 * exp(1), 0.25 * exp(0.5), 0.25 * exp(1)]),
  ]

  static let rearrangements: [BuiltinCase] = [
    .init("roll([1, 2, 3, 4], 1)", [4], [4, 1, 2, 3]),
    .init("roll([[1, 2], [3, 4]], -1)", [2, 2], [2, 3, 4, 1]),
    .init("roll([[1, 2, 3], [4, 5, 6]], (1, -2), (0, 1))", [2, 3], [6, 4, 5, 3, 1, 2]),
    .init("tile([1, 2], 3)", [6], [1, 2, 1, 2, 1, 2]),
    .init("tile([[1, 2]], (2, 1, 2))", [2, 1, 4], [1, 2, 1, 2, 1, 2, 1, 2]),
    .init("repeat([1, 2], 2)", [4], [1, 1, 2, 2]),
    .init("repeat([1, 2, 3], [1, 0, 2])", [3], [1, 3, 3]),
    .init("reshape(arange(6), [3, 2])", [3, 2], [0, 1, 2, 3, 4, 5]),
    // one vector against a batch of matrices, and matrices b broadcast (NumPy 2's rule)
    .init("solve(stack((eye(2), 2 * eye(2))), [2, 4])", [2, 2], [2, 4, 1, 2]),
    .init(
      "solve(stack((eye(2), 2 * eye(2))), [[2, 4], [6, 8]])", [2, 2, 2], [2, 4, 6, 8, 1, 2, 3, 4]),
    .init("repeat([[1, 2], [3, 4]], (0, 2), dim=0)", [2, 2], [3, 4, 3, 4]),
    .init("repeat([[1, 2], [3, 4]], 2, axis=1)", [2, 4], [1, 1, 2, 2, 3, 3, 4, 4]),
    .init("diagonal([[1, 2], [3, 4]])", [2], [1, 4]),
    .init("diagonal(reshape(arange(12), 3, 4), 1)", [3], [1, 6, 11]),
    .init("diagonal(reshape(arange(12), 3, 4), -1)", [2], [4, 9]),
    .init("diagonal(reshape(arange(24), 2, 3, 4), 0, 1, 2)", [2, 3], [0, 5, 10, 12, 17, 22]),
    .init("diagonal(reshape(arange(6), 2, 3), 3)", [0], []),
    .init("nan_to_num([1, nan, inf, -inf], nan=2, posinf=9, neginf=-9)", [4], [1, 2, 9, -9]),
    .init("cumprod([1, 2, 3, 4])", [4], [1, 2, 6, 24]),
    .init("cumprod([[1, 2], [3, 4]], dim=1)", [2, 2], [1, 2, 3, 12]),
    .init("einsum(\"ij,jk->ik\", [[1, 2], [3, 4]], [[1, 0], [1, 1]])", [2, 2], [3, 2, 7, 4]),
    .init("einsum(\"ii\", [[1, 2], [3, 4]])", [], [5]),
    .init("einsum(\"ii->i\", [[1, 2], [3, 4]])", [2], [1, 4]),
    .init("einsum(\"i,j\", [1, 2], [3, 4, 5])", [2, 3], [3, 4, 5, 6, 8, 10]),
    .init("einsum(\"...ij->...ji\", reshape(arange(4), 1, 2, 2))", [1, 2, 2], [0, 2, 1, 3]),
    .init("einsum(\"bi,bi->b\", [[1, 2], [3, 4]], [[1, 1], [2, 0]])", [2], [3, 6]),
  ]

  /// Loops (``Builtins/loops``) and functions with custom derivative rules
  /// (``Builtins/customDerivatives``), on their values; `LoopTests` and
  /// `CustomDerivativeTests` differentiate them.
  static let loopsAndCustomRules: [BuiltinCase] = [
    .init("fori_loop(0, 5, (i, c) -> c * 2, 1.)", [], [32]),
    // Σ_{i<4} i² = 14, and 2⁴ for the tuple's other half
    .init("fori_loop(0, 4, (i, c) -> (c[0] + i^2, c[1] * 2), (0., 1.))[0]", [], [14]),
    .init("scan((c, x) -> (c + x, c + x), 0., [1, 2, 3, 4])[1]", [4], [1, 3, 6, 10]),
    .init("scan((c, x) -> (c + x, c), 0., [1, 2, 3, 4], reverse=True)[1]", [4], [9, 7, 4, 0]),
    // 3⁵ = 243 is the first power of 3 not below 100
    .init("while_loop(c -> c < 100, c -> c * 3, 1.)", [], [243]),
    .init(
      "custom_jvp(x -> log(1 + exp(x)), (p, t) -> (log(1 + exp(p[0])), t[0]))([0, 1])", [2],
      [log(2), log(1 + exp(1))]),
    .init(
      "custom_vjp(x -> sin(x), x -> (sin(x), cos(x)), (c, g) -> (c .* g,))([0.5, 2])", [2],
      [sin(0.5), sin(2)]),
  ]

  static let all =
    elementwise + operators + reductions + linearAlgebra + shapes + checks + constructors
    + composites + rearrangements + loopsAndCustomRules

  @Test(arguments: all) func float32MatchesClosedForm(_ c: BuiltinCase) throws {
    let t = try Run(c.program).tensor()
    // real results are float32; integers and truth values are held in float64
    #expect(t.dtype == (t.kind == .float ? .f32 : .f64) || t.kind == .boolean)
    expectClose(t, c.expected, shape: c.shape, rtol: c.float32Tolerance, atol: c.float32Tolerance)
  }

  @Test(arguments: all) func float64MatchesClosedForm(_ c: BuiltinCase) throws {
    let t = try Run(c.program, dtype: .f64).tensor()
    #expect(t.dtype == .f64)
    expectClose(t, c.expected, shape: c.shape, rtol: 1e-12, atol: 1e-12)
  }

  /// `set_default_dtype` changes the dtype of the statements after it, both ways.
  @Test func setDefaultDtypeChangesTheFollowingStatements() throws {
    #expect(try Run("set_default_dtype(float64); [1.5] + sqrt(2)").tensor().dtype == .f64)
    #expect(try Run("set_default_dtype(\"f32\"); ones(2)", dtype: .f64).tensor().dtype == .f32)
    let t = try Run("set_default_dtype(float64); sqrt(2)").tensor()
    #expect(t.doubles == [Double(2).squareRoot()])
  }

  @Test func everyBuiltinIsExercised() {
    let programs = Self.all.map(\.program).joined(separator: " ")
    // TransformTests and WorkloadTests cover the transforms.
    let transforms = Set(Builtins.transforms.map(\.name))
    let untested = Builtins.all.map(\.name).filter { !transforms.contains($0) }.filter { name in
      ![
        "seed", "randn", "rand", "load", "save", "shape", "neg", "set_default_dtype",
        // PrintOptionsTests, FormulaTests, CompositeBuiltinTests (a random estimate)
        "printoptions", "formula", "hutchinson_trace",
        "plot", "heatmap", "spy",  // Plotting/
        "todense",  // SparseBuiltinTests
        "astype", "float32", "float64", "int64", "bool",  // DTypeTests
      ]
      .contains(name)
        && !programs.contains(name + "(")
    }
    #expect(untested.isEmpty, "built-ins without a closed-form test: \(untested)")
  }
}
