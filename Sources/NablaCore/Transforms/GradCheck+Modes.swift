/// The two checks of one derivative level: forward mode (JVPs along random directions) and
/// reverse mode (the VJP of a random cotangent), each against central differences.
extension GradCheck {
  /// A disagreement and how far outside its tolerance it lies.
  private struct Candidate {
    var excess: Double
    var failure: GradCheckFailure
  }

  /// The worse of the two.
  private static func worse(_ a: Candidate?, _ b: Candidate) -> Candidate {
    guard let a, a.excess >= b.excess else { return b }
    return a
  }

  /// Forward mode: for each differentiated input `x_i`, `∂g/∂x_i · t_i` (nabla's JVP, the
  /// other tangents zero) against `D_{t_i} g₆₄(x)`, element by element over every output.
  func forward(_ p: Point, path: [Mode]) throws(Diagnostic) -> GradCheckFailure? {
    guard let jvp = p.jvpGraph else { return nil }
    let s = p.subject
    let plan = ExecutionPlan(try Simplifier.simplify(jvp, options: options))
    let outputCount = s.graph.outputs.count
    var worst: Candidate?
    for i in s.differentiatedInputs {
      guard let direction = p.direction(i) else { continue }
      let outputs = try interpreter.run(plan, inputs: s.point + p.tangentInputs(only: i))
      let analytic = outputs.dropFirst(outputCount).map(\.doubles)
      let numeric = try p.centralDifference(i, along: direction)
      for (k, (a, n)) in zip(analytic, numeric).enumerated() {
        for (e, (x, y)) in zip(a, n).enumerated() {
          let tolerance = p.atol + p.rtol * abs(y)
          guard !Self.agrees(x, y, tolerance) else { continue }
          let failure = GradCheckFailure(
            modes: path, input: s.name(ofInput: i),
            place: .jvpElement(e, output: s.name(ofOutput: k)), analytic: x, numeric: y,
            tolerance: tolerance)
          worst = Self.worse(
            worst, Candidate(excess: Self.excess(x, y, tolerance), failure: failure))
        }
      }
    }
    return worst?.failure
  }

  /// Reverse mode: for a random cotangent `u`, nabla's VJP `(∂g/∂x_i)ᵀ u` for each
  /// differentiated input: element `j` against `⟨u, D_{e_j} g₆₄(x)⟩` for an input of at most
  /// ``directLimit`` elements, else `⟨VJP, t_i⟩` against `⟨u, D_{t_i} g₆₄(x)⟩`.
  func reverse(_ p: Point, path: [Mode]) throws(Diagnostic) -> GradCheckFailure? {
    guard let vjp = p.vjpGraph else { return nil }
    let s = p.subject
    let plan = ExecutionPlan(try Simplifier.simplify(vjp, options: options))
    let outputs = try interpreter.run(plan, inputs: s.point + p.cotangents)
    let vjps = outputs.dropFirst(s.graph.outputs.count).map(\.doubles)
    let u = p.cotangents.map(\.doubles)
    var worst: Candidate?
    for (i, analytic) in zip(s.differentiatedInputs, vjps) {
      let name = s.name(ofInput: i)
      if analytic.count <= Self.directLimit {
        for (j, a) in analytic.enumerated() {
          let n = Self.dot(u, try p.centralDifference(i, element: j))
          let tolerance = p.atol + p.rtol * abs(n)
          guard !Self.agrees(a, n, tolerance) else { continue }
          let failure = GradCheckFailure(
            modes: path, input: name, place: .vjpElement(j), analytic: a, numeric: n,
            tolerance: tolerance)
          worst = Self.worse(
            worst, Candidate(excess: Self.excess(a, n, tolerance), failure: failure))
        }
      } else {
        guard let t = p.direction(i) else { continue }
        let jt = try p.centralDifference(i, along: t)
        let a = Self.dot([analytic], [t])
        let n = Self.dot(u, jt)
        var scale = 0.0
        for (uk, jk) in zip(u, jt) {
          for (x, y) in zip(uk, jk) { scale += abs(x * y) }
        }
        let tolerance = p.atol + p.rtol * scale
        guard !Self.agrees(a, n, tolerance) else { continue }
        let failure = GradCheckFailure(
          modes: path, input: name, place: .innerProduct, analytic: a, numeric: n,
          tolerance: tolerance)
        worst = Self.worse(worst, Candidate(excess: Self.excess(a, n, tolerance), failure: failure))
      }
    }
    return worst?.failure
  }
}
