import Foundation
import Testing

@testable import NablaCore

/// The built-ins made of others (``Builtins/composites``, ``Builtins/arrays``; their values are
/// in ``BuiltinTests/composites``): derivatives against central differences (`gradcheck`),
/// and a session binding that shadows a name they use does not change them.
@Suite struct CompositeBuiltinTests {
  /// `program`'s values equal `expected` to 1e-12, relative.
  func expectValues(
    _ program: String, _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let got = try Run(program, dtype: .f64).tensor().doubles
    #expect(got.count == expected.count, "\(program): \(got)", sourceLocation: sourceLocation)
    for (x, e) in zip(got, expected) {
      #expect(
        abs(x - e) <= 1e-12 * max(1, abs(e)), "\(program): \(got)", sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: [
    "x -> logaddexp(x, 2 * x)", "x -> xlogy(x, x + 1)", "x -> logit(sigmoid(x) * 0.5 + 0.25)",
    "x -> hypot(x, 1 - x)", "x -> cumsum(x * x)", "x -> flip(sin(x))",
    "x -> tril(outer(x, x), diagonal=-1)", "x -> triu(outer(x, x))",
    "x -> matrix_power(outer(x, x) + eye(3), 3)", "x -> tensordot(outer(x, x), x, 1)",
    "x -> logdet(outer(x, x) + 2 * eye(3))", "x -> full_like(x, 2) * x",
  ])
  func derivativesAgreeWithCentralDifferences(_ function: String) throws {
    let run = Run("assert gradcheck(\(function), [0.3, 0.5, 0.7], order=2)", dtype: .f64)
    #expect(run.status == 0, "\(function): \(run.diagnostics)")
  }

  /// The diagonal of a separable function's Hessian costs what its gradient costs: no n × n
  /// value is computed (the basis's diagonal structure collapses the contraction).
  @Test func hessianDiagonalsOfSeparableFunctionsAreLinear() {
    let run = Run("x = linspace(0, 1, 3000); d = hessian_diag(x -> sum(sin(x) .* x))(x)") {
      $0.graph = .text
    }
    #expect(run.status == 0, "\(run.diagnostics)")
    #expect(!run.diagnostics.contains("3000,3000"), "\(run.diagnostics)")
  }

  /// Hutchinson's estimate of tr H = 18 for Σ x³ at (1, 2) (H = diag(6x)), within four standard
  /// errors, with a standard error that shrinks as 1/√samples.
  @Test func hutchinsonTraceIsAnUnbiasedEstimate() throws {
    for samples in [100, 10_000] {
      let run = Run(
        "seed(1); hutchinson_trace(x -> sum(x^3), [1, 2], samples=\(samples))", dtype: .f64)
      guard case .tuple(let pair)? = run.value, case .tensor(let e) = pair[0],
        case .tensor(let s) = pair[1]
      else {
        Issue.record("\(run.diagnostics)")
        continue
      }
      #expect(abs(e[flat: 0] - 18) <= 4 * s[flat: 0], "\(e) ± \(s)")
      #expect(s[flat: 0] < 60 / Double(samples).squareRoot(), "\(s)")
    }
  }

  @Test func aShadowingBindingDoesNotChangeThem() throws {
    try expectValues(
      "abs = 3; maximum(x, y) = 0; log1p = sin; logaddexp(1, 2)", [log(exp(1) + exp(2))])
  }
}
