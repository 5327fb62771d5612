import Foundation
import Testing

@testable import NablaCore

/// The factorizations: reconstructions on random batches in both dtypes, derivatives against
/// JAX, and the documented behaviour at degenerate and singular inputs.
@Suite struct DecompositionTests {
  /// Definitions of random batches: tall, wide and square matrices, and symmetric positive
  /// definite ones.
  static let inputs =
    "seed(3); T = randn(2, 5, 3); W = randn(2, 3, 5); A = randn(3, 4, 4); "
    + "S = (A + transpose(A, -1, -2)) / 2; P = A @ transpose(A, -1, -2) + 4 * eye(4); "

  /// Expressions that are zero (up to round-off) when a factorization reconstructs its input,
  /// has orthonormal or triangular factors, or orders its values.
  static let identities = [
    "qr(T)[0] @ qr(T)[1] - T", "qr(W)[0] @ qr(W)[1] - W",
    "transpose(qr(T)[0], -1, -2) @ qr(T)[0] - eye(3)", "tril(qr(W)[1], -1)",
    "cholesky(P) @ transpose(cholesky(P), -1, -2) - P", "triu(cholesky(P), 1)",
    "(eigh(A)[1] .* eigh(A)[0][:, None, :]) @ transpose(eigh(A)[1], -1, -2) - S",
    "transpose(eigh(S)[1], -1, -2) @ eigh(S)[1] - eye(4)",
    "minimum(eigvalsh(S)[:, 1:] - eigvalsh(S)[:, :-1], 0)",
    "(svd(T)[0] .* svd(T)[1][:, None, :]) @ svd(T)[2] - T",
    "(svd(W)[0] .* svd(W)[1][:, None, :]) @ svd(W)[2] - W",
    "svd(W)[2] @ transpose(svd(W)[2], -1, -2) - eye(3)",
    "minimum(svdvals(T)[:, :-1] - svdvals(T)[:, 1:], 0)",
    "T @ pinv(T) @ T - T", "pinv(W) @ W @ pinv(W) - pinv(W)",
    "adjugate(A) - det(A)[:, None, None] .* inv(A)",
  ]

  @Test(arguments: identities) func factorizationsReconstruct(_ identity: String) throws {
    for (dtype, tolerance) in [(DType.f64, 1e-12), (.f32, 2e-5)] {
      let t = try Run(Self.inputs + "max(abs(\(identity)))", dtype: dtype).tensor()
      #expect(t.doubles[0] <= tolerance, "\(identity) in \(dtype): \(t.doubles[0])")
    }
  }

  /// Sign conventions: eigenvectors and the columns of U have their largest entry positive.
  @Test func vectorsHaveTheDocumentedSigns() throws {
    for v in ["eigh(S)[1]", "svd(T)[0]", "svd(W)[0]"] {
      let t = try Run(
        Self.inputs + "sum(max(\(v), dim=-2) < max(-\(v), dim=-2))", dtype: .f64
      ).tensor()
      #expect(t.doubles == [0], "\(v)")
    }
  }

  /// Gradients of functions of the factors (sign-invariant ones of eigenvectors and singular
  /// vectors), from JAX 0.10.2 in float64 (`jax.grad` of the same functions of
  /// `jnp.linalg.cholesky`, `eigh`, `qr`, `svd(full_matrices=False)`, `pinv`, `lstsq`).
  static let jaxGradients: [(String, [Double])] = [
    (
      "grad(a -> sum(cholesky(a) .* reshape(arange(9), 3, 3)))(S3)",
      [
        -0.13115073607807146, 0.2083237261054091, 0.6325584364137533, 0.2083237261054091,
        1.1506227023148634, 2.0321647865270007, 0.6325584364137533, 2.0321647865270007,
        2.875202935635972,
      ]
    ),
    (
      "grad(a -> sum(eigh(a)[0] .* [1, 2, 3]) + sum(eigh(a)[1]^2 .* reshape(arange(9), 3, 3)))(S3)",
      [
        2.639663651251195, 0.44094152695070854, 0.40512406481651475, 0.44094152695070854,
        2.2567560190077067, 0.04598183651216105, 0.40512406481651475, 0.04598183651216105,
        1.103580329741095,
      ]
    ),
    (
      "grad(a -> sum(qr(a)[0] .* reshape(arange(12), 4, 3)) + sum(qr(a)[1] .* reshape(arange(9), 3, 3)))(B)",
      [
        -2.7235865074077097, 1.6035183008000782, 2.392363205836732, -5.868088078067456,
        5.590000676708968, 2.815797709689483, -3.26029306191076, 2.068455231197202,
        0.21393966612334214, -12.178216670262959, 11.035429101548967, 9.228141392928158,
      ]
    ),
    (
      "grad(a -> sum(qr(a)[0] .* reshape(arange(9), 3, 3)) + sum(qr(a)[1] .* reshape(arange(12), 3, 4)))(B')",
      [
        9.450092413420526, 6.88635383923477, -7.932552006428632, -8.98135783307147,
        -4.725046206710266, -4.561210908367282, 1.7302080257145291, 1.1365769502860534,
        -14.285649332422462, 2.7729694692545994, 8.607031942142319, 9.851061075356512,
      ]
    ),
    (
      "grad(a -> sum(svd(a)[1] .* [1, 2, 3]) + sum(svd(a)[0]^2 .* reshape(arange(12), 4, 3)) + sum(svd(a)[2]^2 .* reshape(arange(9), 3, 3)))(B)",
      [
        0.6004043656146221, 0.41800784876478825, -0.5039168184064584, -0.11949502278605867,
        -1.3197660248097263, 0.49142068879274664, 1.4919955302622856, 1.5195046616569499,
        0.6436563457945506, -1.8573958534560369, 2.886627600035877, 1.7529916091309432,
      ]
    ),
    (
      "grad(a -> sum(svd(a)[0]^2 .* reshape(arange(9), 3, 3)) + sum(svd(a)[2]^2 .* reshape(arange(12), 3, 4)))(B')",
      [
        0.05079431730427199, 0.03563580376320362, -0.05850654349182876, -0.0484008677977925,
        -0.44797964569120147, -0.3142893849351851, 0.5159974976547866, 0.42687065715078126,
        -0.22994315112476085, -0.1613213730404074, 0.2648559855887299, 0.21910813353249992,
      ]
    ),
    (
      "grad(a -> sum(pinv(a) .* reshape(arange(12), 3, 4)))(B)",
      [
        -0.10057730423146774, -1.3926790398459048, -1.3846434453733705, -0.17969593972810988,
        -1.206089037524257, -1.1800180149381003, 0.1145851375895092, 0.05909485230914818,
        -0.1095828702645027, -0.20579571279769146, -1.1568124706518648, -1.2995838173371181,
      ]
    ),
    (
      "grad(a -> sum(lstsq(a, [1, 2, 3, 4])[0]^2))(B)",
      [
        0.5164960797792051, -1.7648530694744626, -1.7090038939777348, 0.3526418251511245,
        -1.1504705715216543, -1.0982803396055565, -0.46949102962080413, 0.9007744651726908,
        0.6685331557216397, -0.20961465213735928, -0.8684277982735876, -1.2998975460324391,
      ]
    ),
    (
      "jacfwd(svdvals)([[3, 0], [4, 5]])",
      [
        0.223606797749979, 0.223606797749979, 0.6708203932499367, 0.6708203932499367,
        0.6708203932499367, -0.6708203932499367, -0.2236067977499789, 0.2236067977499789,
      ]
    ),
    (
      "hessian(a -> eigvalsh(a)[1])([[2, 1], [1, 3]])",
      [
        0.17888543819998307, 0.08944271909999156, 0.08944271909999156, -0.17888543819998307,
        0.08944271909999157, 0.0447213595499958, 0.0447213595499958, -0.08944271909999157,
        0.08944271909999157, 0.0447213595499958, 0.0447213595499958, -0.08944271909999157,
        -0.17888543819998304, -0.08944271909999157, -0.08944271909999157, 0.17888543819998304,
      ]
    ),
    // det at singular matrices (ranks 2 and 1 of 3): the adjugate and its derivative
    ("grad(det)([[1, 2, 3], [4, 5, 6], [7, 8, 9]])", [-3, 6, -3, 6, -12, 6, -3, 6, -3]),
    ("grad(det)([[1, 2], [2, 4]])", [4, -2, -2, 1]),
    ("hessian(det)([[1, 2], [2, 4]])", [0, 0, 0, 1, 0, 0, -1, 0, 0, -1, 0, 0, 1, 0, 0, 0]),
    (
      "hessian(det)([[1, 2, 3], [4, 5, 6], [7, 8, 9]])",
      [
        0, 0, 0, 0, 9, -8, 0, -6, 5, 0, 0, 0, -9, 0, 7, 6, 0, -4, 0, 0, 0, 8, -7, 0, -5, 4, 0, 0,
        -9, 8, 0, 0, 0, 0, 3, -2, 9, 0, -7, 0, 0, 0, -3, 0, 1, -8, 7, 0, 0, 0, 0, 2, -1, 0, 0, 6,
        -5, 0, -3, 2, 0, 0, 0, -6, 0, 4, 3, 0, -1, 0, 0, 0, 5, -4, 0, -2, 1, 0, 0, 0, 0,
      ]
    ),
    (
      "hessian(det)(ones(3, 3))",
      [
        0, 0, 0, 0, 1, -1, 0, -1, 1, 0, 0, 0, -1, 0, 1, 1, 0, -1, 0, 0, 0, 1, -1, 0, -1, 1, 0, 0,
        -1, 1, 0, 0, 0, 0, 1, -1, 1, 0, -1, 0, 0, 0, -1, 0, 1, -1, 1, 0, 0, 0, 0, 1, -1, 0, 0, 1,
        -1, 0, -1, 1, 0, 0, 0, -1, 0, 1, 1, 0, -1, 0, 0, 0, 1, -1, 0, -1, 1, 0, 0, 0, 0,
      ]
    ),
    // equal eigenvalues: the eigenvalues' derivative stays finite
    ("grad(a -> sum(eigh(a)[0] .* [1, 2]))(eye(2))", [1, 0, 0, 2]),
  ]

  static let fixed =
    "S3 = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]; "
    + "B = [[1, 2, 0], [0.5, -1, 3], [2, 0.3, 1], [-1, 1, 1]]; "

  @Test(arguments: jaxGradients.map(\.0)) func derivativesMatchJAX(_ program: String) throws {
    let expected = Self.jaxGradients.first { $0.0 == program }?.1 ?? []
    let t = try Run(Self.fixed + program, dtype: .f64).tensor()
    expectClose(t, expected, rtol: 1e-10, atol: 1e-10)
  }

  /// Equal eigenvalues make the eigenvectors' derivative inf or NaN (JAX's is NaN).
  @Test func degenerateEigenvectorsHaveNonFiniteDerivatives() throws {
    let t = try Run("grad(a -> sum(eigh(a)[1]))(eye(2))", dtype: .f64).tensor()
    #expect(t.doubles.allSatisfy { !$0.isFinite })
  }

  /// vmap over a batch gives the batched factorization.
  @Test func vmapMatchesTheBatchedFactorization() throws {
    for f in ["eigvalsh", "cholesky", "pinv", "svdvals"] {
      let t = try Run(
        Self.inputs + "max(abs(vmap(\(f))(P) - \(f)(P)))", dtype: .f64
      ).tensor()
      #expect(t.doubles == [0], "\(f)")
    }
  }

  /// Above 8×8 the adjugate's derivative is the one of `det(A) A⁻¹`.
  @Test func largeAdjugatesDifferentiateAsDetTimesInverse() throws {
    let t = try Run(
      "seed(4); A = 2 * eye(33) + 0.01 * randn(33, 33); E = randn(33, 33); "
        + "max(abs(jvp(adjugate, (A,), (E,))[1] - jvp(a -> det(a) * inv(a), (A,), (E,))[1])) "
        + "/ max(abs(jvp(adjugate, (A,), (E,))[1]))",
      dtype: .f64
    ).tensor()
    #expect(t.doubles[0] < 1e-12)
  }

  /// Matrices are scaled before the rotations and reflections, so huge and tiny ones factor
  /// without overflow or underflow; a non-finite element makes the whole result NaN.
  @Test func extremeMagnitudesAndNaN() throws {
    let huge = try Run("svdvals(1e200 * [[3, 0], [4, 5]])", dtype: .f64).tensor()
    expectClose(huge, [3e200 * 5.0.squareRoot(), 1e200 * 5.0.squareRoot()], rtol: 1e-14, atol: 0)
    let tiny = try Run("eigvalsh(1e-300 * [[2, 1], [1, 2]])", dtype: .f64).tensor()
    expectClose(tiny, [1e-300, 3e-300], rtol: 1e-14, atol: 0)
    let r = try Run("qr(1e200 * [[3, 1], [4, 2]])[1]", dtype: .f64).tensor()
    expectClose(r, [-5e200, -2.2e200, 0, 0.4e200], rtol: 1e-14, atol: 1e186)
    for program in ["eigh([[nan, 1], [1, 2]])[1]", "svd([[inf, 1], [1, 2]])[0]", "pinv([[nan]])"] {
      let t = try Run(program, dtype: .f64).tensor()
      #expect(t.doubles.allSatisfy { $0.isNaN }, "\(program)")
    }
  }

  /// The iterative kernels stop between sweeps once cancelled (Ctrl-C), leaving a result of
  /// the right shape that the interpreter discards.
  @Test func iterativeKernelsStopWhenCancelled() {
    let n = 200
    let a = Tensor(shape: [n, n], values: (0..<(n * n)).map { sin(Double($0)) }, dtype: .f64)
    let flag = CancellationFlag()
    flag.cancel()
    let start = ContinuousClock.now
    #expect(symmetricEigen(a, .vectors, polling: flag).shape == [n, n])
    #expect(singularValueDecomposition(a, .s, polling: flag).shape == [n])
    #expect(pseudoInverse(a, polling: flag).shape == [n, n])
    #expect(SymmetricEigen(a.doubles[...], n: n, polling: flag).values.count == n)
    #expect(JacobiSVD(a.doubles[...], rows: n, columns: n, polling: flag).s.count == n)
    #expect(ContinuousClock.now - start < .seconds(5))
  }

  /// `--check-nans` names what the factorization's matrix lacks.
  @Test func checkNaNsExplainsFactorizations() {
    let cases = [
      ("cholesky([[1, 2], [2, 1]])", "positive definite"),
      ("grad(a -> sum(eigh(a)[1]))(eye(2))", "equal eigenvalues"),
      ("grad(a -> sum(svd(a)[0]))(eye(2))", "equal or zero singular values"),
    ]
    for (program, cause) in cases {
      let run = Run(program) { $0.checkNaNs = true }
      #expect(run.status != 0 && run.diagnostics.contains(cause), "\(program): \(run.diagnostics)")
    }
  }

  @Test func misuseIsADiagnostic() throws {
    for program in [
      "cholesky([1, 2])", "eigh(ones(2, 3))", "qr([1, 2])", "qr(eye(2), mode=\"full\")",
      "svd(ones(2, 3), full_matrices=True)", "lstsq(eye(2), [1, 2, 3])",
      "matrix_norm(eye(2), 3)", "solve_triangular(ones(2, 3), [1, 2])",
    ] {
      let run = Run(program)
      #expect(run.diagnostic != nil, "\(program)")
    }
  }
}

extension DecompositionTests {
  /// Up to 8×8 the adjugate's derivative comes from the Faddeev–LeVerrier recurrence: at a
  /// regular matrix it equals the derivative of `det(A) A⁻¹`.
  @Test func smallAdjugatesDifferentiateAsDetTimesInverse() throws {
    let t = try Run(
      "seed(5); A = 2 * eye(6) + 0.3 * randn(6, 6); E = randn(6, 6); "
        + "max(abs(jvp(adjugate, (A,), (E,))[1] - jvp(a -> det(a) * inv(a), (A,), (E,))[1])) "
        + "/ max(abs(jvp(adjugate, (A,), (E,))[1]))",
      dtype: .f64
    ).tensor()
    #expect(t.doubles[0] < 1e-12)
  }

  /// det(I + tE) = 1 + t tr E + t² e₂(E) + t³ det E for 3×3 E: the third derivative along E at
  /// the identity (all singular values equal, where a derivative through the singular value
  /// decomposition is NaN) is 6 det E.
  @Test func thirdDerivativeOfDetAtTheIdentityIsSixDetE() throws {
    let e = "E = [[1., 2, 0], [0, 1, 3], [2, 0, 1]]\n"  // det E = 13
    let program =
      e
      + "d1(x) = jvp(det, (x,), (E,))[1]\nd2(x) = jvp(d1, (x,), (E,))[1]\n"
      + "jvp(d2, (eye(3),), (E,))[1]"
    let run = Run(program, dtype: .f64)
    #expect(run.status == 0, "\(run.diagnostics)")
    #expect(try run.tensor().doubles == [78])
  }
}
