import Testing

@testable import NablaCore

/// JAX's `check_grads`, for graphs: JVPs against central differences in Float64, VJPs by the
/// adjoint identity, recursively on the derivative graphs up to `order`.
enum GradientCheck {
  static let eps = 1e-6

  /// A deterministic generator of test directions (splitmix64).
  struct Directions {
    var state: UInt64
    mutating func next() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      z ^= z >> 31
      return Double(z >> 11) / Double(1 << 53) * 2 - 1
    }
    mutating func tensor(_ t: TensorType) -> Tensor {
      Tensor(shape: t.shape, values: (0..<t.count).map { _ in next() }, dtype: .f64)
    }
  }

  static func run(_ g: Graph, _ inputs: [Tensor]) throws -> [Tensor] {
    try Interpreter().run(g, inputs: inputs)
  }

  static func dot(_ a: [Tensor], _ b: [Tensor]) -> Double {
    zip(a, b).reduce(0) { s, p in s + zip(p.0.doubles, p.1.doubles).reduce(0) { $0 + $1.0 * $1.1 } }
  }

  static func axpy(_ x: [Tensor], _ t: [Tensor], _ s: Double) -> [Tensor] {
    zip(x, t).map { a, d in
      Tensor(shape: a.shape, values: zip(a.doubles, d.doubles).map { $0 + s * $1 }, dtype: .f64)
    }
  }

  /// Checks `g` at `x` (float64 graph): forward and reverse mode, then both again on the
  /// derivative graphs while `order > 1`. `path` names where a failure happened.
  static func check(
    _ g: Graph, at x: [Tensor], order: Int, path: String, tolerance: Double = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    var directions = Directions(state: 0x1234_5678)
    let all = Array(repeating: true, count: g.inputs.count)
    try Verifier.verify(g)

    // JVP against central differences in one random direction.
    let t = g.inputs.map { directions.tensor(g.type(of: $0)) }
    let jvpGraph = try JVP.transform(g, hasTangent: all)
    try Verifier.verify(jvpGraph)
    let jvpOut = try run(jvpGraph, x + t)
    let analytic = Array(jvpOut[g.outputs.count...])
    let plus = try run(g, axpy(x, t, eps))
    let minus = try run(g, axpy(x, t, -eps))
    for (k, (a, (p, m))) in zip(analytic, zip(plus, minus)).enumerated() {
      let numeric = zip(p.doubles, m.doubles).map { ($0 - $1) / (2 * eps) }
      for (i, (an, nu)) in zip(a.doubles, numeric).enumerated()
      where !(abs(an - nu) <= tolerance * (1 + abs(nu))) {
        Issue.record(
          "JVP mismatch in \(path), output \(k) element \(i): numerical \(nu), analytical \(an)\nnumerical \(numeric)\nanalytical \(a.doubles)",
          sourceLocation: sourceLocation)
        return
      }
    }

    // VJP by the adjoint identity ⟨u, J t⟩ = ⟨Jᵀ u, t⟩.
    let u = g.outputs.map { directions.tensor(g.type(of: $0)) }
    let vjpGraph = try VJP.transform(g, wrt: all)
    try Verifier.verify(vjpGraph)
    let vjpOut = try run(vjpGraph, x + u)
    let cotangents = Array(vjpOut[g.outputs.count...])
    let lhs = dot(u, analytic)
    let rhs = dot(cotangents, t)
    if !(abs(lhs - rhs) <= tolerance * (1 + abs(lhs))) {
      Issue.record(
        "VJP mismatch in \(path): ⟨u, J t⟩ = \(lhs) but ⟨Jᵀu, t⟩ = \(rhs)",
        sourceLocation: sourceLocation)
      return
    }

    guard order > 1 else { return }
    try check(
      jvpGraph, at: x + t, order: order - 1, path: "JVP of " + path, tolerance: tolerance * 10,
      sourceLocation: sourceLocation)
    try check(
      vjpGraph, at: x + u, order: order - 1, path: "VJP of " + path, tolerance: tolerance * 10,
      sourceLocation: sourceLocation)
  }
}
