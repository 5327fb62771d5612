import Foundation
import Testing

@testable import NablaCore

/// Properties of generated programs (``ProgramGenerator``): `jacfwd == jacrev == central
/// differences`, `vmap == a loop`, float32 ≈ float64, and symmetric Hessians.
///
/// `swift test` runs a fixed seed; `scripts/property-test` runs more programs with other seeds
/// (`NABLA_PROPERTY_COUNT`, `NABLA_PROPERTY_SEED`).
@Suite struct RandomProgramTests {
  static let count =
    ProcessInfo.processInfo.environment["NABLA_PROPERTY_COUNT"].flatMap(Int.init)
    ?? 40
  static let seed =
    ProcessInfo.processInfo.environment["NABLA_PROPERTY_SEED"].flatMap(UInt64.init)
    ?? 2_026_113_0

  /// Program `k` of the run: its text and the expression reducing `f(x)` to a scalar.
  static func program(_ k: Int) -> (text: String, scalarized: String) {
    var gen = ProgramGenerator(seed: seed &+ UInt64(k) &* 7919)
    let prelude = gen.prelude()
    let (definition, scalarized) = gen.function()
    let x = gen.vectorLiteral(3)
    let rows = (0..<4).map { _ in gen.vectorLiteral(3) }.joined(separator: ", ")
    return (prelude + definition + "\nx = \(x)\nX = [\(rows)]\n", scalarized)
  }

  static func run(_ program: String, _ dtype: DType = .f64) -> Value? {
    Run(program, dtype: dtype).value
  }

  /// The tensors of a value, in order.
  static func tensors(_ v: Value?) -> [Tensor] {
    guard let v else { return [] }
    return Pytree(v).leaves.compactMap { if case .tensor(let t) = $0 { t } else { nil } }
  }

  static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * (1 + abs(b))
  }

  @Test(arguments: 0..<count) func generatedProgramsKeepTheirProperties(_ k: Int) throws {
    let (program, scalarized) = Self.program(k)
    func fail(_ what: String) {
      Issue.record("program \(k) (seed \(Self.seed)): \(what)\n\(program)")
    }
    let value = Run(program + "f(x)", dtype: .f64)
    guard value.status == 0 else { return fail("f(x) failed: \(value.diagnostics)") }
    let outputs = Self.tensors(value.value)

    // jacfwd == jacrev, both in the mode named
    let both = Self.tensors(Self.run(program + "(jacfwd(f)(x), jacrev(f)(x))"))
    guard both.count == 2 * outputs.count else {
      return fail("expected \(outputs.count) Jacobian blocks per mode, got \(both.count)")
    }
    let (forward, reverse) = (both[..<outputs.count], both[outputs.count...])
    for (f, r) in zip(forward, reverse) {
      guard f.shape == r.shape, zip(f.doubles, r.doubles).allSatisfy({ Self.close($0, $1, 1e-10) })
      else { return fail("jacfwd \(f.doubles) != jacrev \(r.doubles)") }
    }

    // == central differences
    let eps = 1e-6
    for e in 0..<3 {
      let plus = Self.tensors(Self.run(program + "f(x + \(eps) * eye(3)[\(e)])"))
      let minus = Self.tensors(Self.run(program + "f(x - \(eps) * eye(3)[\(e)])"))
      for (i, (p, m)) in zip(plus, minus).enumerated() {
        let block = forward[forward.startIndex + i].doubles
        for r in 0..<p.count {
          let numeric = (p.doubles[r] - m.doubles[r]) / (2 * eps)
          guard Self.close(block[r * 3 + e], numeric, 1e-5) else {
            return fail(
              "output \(i)[\(r)], d/dx[\(e)]: jacfwd \(block[r * 3 + e]), numerical \(numeric)")
          }
        }
      }
    }

    // vmap == a loop over the rows of X
    let mapped = Self.tensors(Self.run(program + "vmap(f)(X)"))
    for row in 0..<4 {
      let item = Self.tensors(Self.run(program + "f(X[\(row)])"))
      for (batched, single) in zip(mapped, item) {
        let n = single.count
        let slice = Array(batched.doubles[(row * n)..<((row + 1) * n)])
        guard batched.shape == [4] + single.shape,
          zip(slice, single.doubles).allSatisfy({ Self.close($0, $1, 1e-12) })
        else { return fail("vmap row \(row): \(slice) != \(single.doubles)") }
      }
    }

    // float32 ≈ float64, for the value and its Jacobian
    for expression in ["f(x)", "jacrev(f)(x)"] {
      let narrow = Self.tensors(Self.run(program + expression, .f32))
      let wide = Self.tensors(Self.run(program + expression))
      for (a, b) in zip(narrow, wide) {
        guard a.dtype == .f32, zip(a.doubles, b.doubles).allSatisfy({ Self.close($0, $1, 2e-4) })
        else { return fail("\(expression) in float32 \(a.doubles), float64 \(b.doubles)") }
      }
    }

    // Hessians are symmetric
    let hessian = Self.tensors(Self.run(program + "hessian(x -> \(scalarized))(x)"))
    guard let h = hessian.first, h.shape == [3, 3] else { return fail("no 3×3 Hessian") }
    for i in 0..<3 {
      for j in 0..<i where !Self.close(h.doubles[i * 3 + j], h.doubles[j * 3 + i], 1e-10) {
        return fail("Hessian not symmetric: \(h.doubles)")
      }
    }
  }
}
