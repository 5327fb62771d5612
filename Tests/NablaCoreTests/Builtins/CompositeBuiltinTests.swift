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

  @Test func aShadowingBindingDoesNotChangeThem() throws {
    try expectValues(
      "abs = 3; maximum(x, y) = 0; log1p = sin; logaddexp(1, 2)", [log(exp(1) + exp(2))])
  }
}
