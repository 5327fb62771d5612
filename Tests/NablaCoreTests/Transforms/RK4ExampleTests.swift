import Foundation
import Testing

@testable import NablaCore

/// `docs/examples/rk4.nb` (Lotka–Volterra integrated by RK4 in a `fori_loop`) in float64
/// against JAX: the final state and its sensitivities to the initial state and to the
/// parameters.
@Suite struct RK4ExampleTests {
  static let root = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/")

  /// The example up to its cross-checks, which the file's own run covers.
  static func example() throws -> String {
    let text = try readText(root + "/docs/examples/rk4.nb")
    guard let end = text.range(of: "# Cross-checks") else { return text }
    return String(text[..<end.lowerBound])
  }

  @Test func finalStateAndSensitivitiesMatchJAX() throws {
    let program = try Self.example() + "concat((uT, reshape(J_u0, 4), reshape(J_p, 8)))"
    let run = Run(program, dtype: .f64)
    #expect(run.status == 0, "\(run.diagnostics)")
    // JAX 0.10.2, float64: the same RK4 in jax.lax.fori_loop (100 steps of 0.02),
    // integrate(u0, p), jax.jacfwd(integrate)(u0, p), jax.jacrev(integrate, argnums=1)(u0, p)
    let jax: [Double] = [
      6.248114820822287, 3.7850240763576113,
      -12.586444648696135, 1.6906528936480822, 7.525451234978844, -4.768743730554601,
      -14.448987842859749, 0.8453264468240407, 3.702842368583024, -18.83455946951839,
      15.795194637638016, -6.169395941634912, -0.1534871288823798, 7.525451234978844,
    ]
    expectClose(try run.tensor(), jax, shape: [14], rtol: 1e-11, atol: 1e-12)
  }

  /// The whole example, cross-checks included, runs in float32.
  @Test func exampleRuns() throws {
    let run = Run(try readText(Self.root + "/docs/examples/rk4.nb"))
    #expect(run.status == 0, "\(run.diagnostics)")
  }
}
