extension GradCheck {
  /// A subject at its point with what its checks share: the float64 graph and the central
  /// differences through it, the random directions and cotangents, the derivative graphs and
  /// the tolerances.
  struct Point {
    let subject: Subject
    /// A random direction for each differentiated input (`nil` for the others), in the
    /// input's dtype.
    let tangents: [Tensor?]
    /// A random cotangent for each output, in the output's dtype.
    let cotangents: [Tensor]
    /// `(x, t) ↦ (g(x), ∂g·t)`, with a tangent input for each differentiated input (when
    /// forward mode is checked).
    let jvpGraph: Graph?
    /// `(x, u) ↦ (g(x), ∂gᵀ·u)`, with an output for each differentiated input (when reverse
    /// mode is checked).
    let vjpGraph: Graph?
    let atol: Double
    let rtol: Double
    /// The central differences' step.
    let eps: Double
    private let widened: ExecutionPlan
    private let point64: [Tensor]
    private let interpreter: Interpreter

    init(_ s: Subject, _ checker: GradCheck) throws(Diagnostic) {
      try Self.checkMemory(s, limit: checker.options.memoryLimit)
      subject = s
      let g = s.graph
      var sampler = NormalSampler()
      tangents = zip(g.inputs, s.flags).map { v, d in
        d ? sampler.tensor(g.type(of: v)) : nil
      }
      cotangents = g.outputs.map { sampler.tensor(g.type(of: $0)) }
      let modes = checker.settings.modes
      jvpGraph =
        modes.contains(.fwd)
        ? try JVP.transform(g, hasTangent: s.flags, options: checker.options) : nil
      vjpGraph =
        modes.contains(.rev)
        ? try VJP.transform(g, wrt: s.flags, options: checker.options) : nil
      (atol, rtol) = checker.tolerances(GradCheck.precision(of: s))
      eps = checker.settings.eps
      widened = ExecutionPlan(try Widening.float64(g, options: checker.options))
      point64 = s.point.map { $0.converted(to: .f64) }
      interpreter = checker.interpreter
    }

    /// What a check holds besides the runs of its graphs (which the interpreter limits): the
    /// point in float64, the directions, a moved copy of an input, the cotangents, two
    /// evaluations and their difference and nabla's values, about `3·inputs + 5·outputs`
    /// elements of 8 bytes. More than the memory limit is an error, not a failed allocation.
    private static func checkMemory(_ s: Subject, limit: Int) throws(Diagnostic) {
      let g = s.graph
      var bytes = 0
      var overflow = false
      for (vars, copies) in [(g.inputs, 3), (g.outputs, 5)] {
        for v in vars {
          let (size, o1) = g.type(of: v).count.multipliedReportingOverflow(by: 8 * copies)
          let (total, o2) = bytes.addingReportingOverflow(size)
          overflow = overflow || o1 || o2
          bytes = total
        }
      }
      guard !overflow, bytes <= limit else {
        throw Diagnostic(
          .memoryLimitExceeded(bytes: overflow ? .max : bytes, limit: limit), at: nil)
      }
    }

    /// The random direction of input `i`, if it is differentiated.
    func direction(_ i: Int) -> [Double]? {
      tangents.indices.contains(i) ? tangents[i]?.doubles : nil
    }

    /// The JVP graph's tangent inputs: input `i`'s direction, zeros for the others.
    func tangentInputs(only i: Int) -> [Tensor] {
      tangents.indices.compactMap { j in
        tangents[j].map { j == i ? $0 : Tensor(repeating: 0, shape: $0.shape, dtype: $0.dtype) }
      }
    }

    // MARK: - Central differences

    /// `D_t g₆₄(x) = (g₆₄(x + ε t) − g₆₄(x − ε t)) / 2ε` for `t` on input `i` alone: one array
    /// per output.
    func centralDifference(_ i: Int, along direction: [Double]) throws(Diagnostic) -> [[Double]] {
      try centralDifference(i) { values, step in
        for (j, d) in zip(values.indices, direction) { values[j] += step * d }
      }
    }

    /// `D_{e_j} g₆₄(x)` for the basis vector of element `j` of input `i`.
    func centralDifference(_ i: Int, element j: Int) throws(Diagnostic) -> [[Double]] {
      try centralDifference(i) { values, step in
        if values.indices.contains(j) { values[j] += step }
      }
    }

    /// The central difference of `g₆₄` with input `i`'s values moved by `move(&values, ±ε)`.
    private func centralDifference(_ i: Int, _ move: (inout [Double], Double) -> Void)
      throws(Diagnostic) -> [[Double]]
    {
      let plus = try evaluate64(i) { move(&$0, eps) }
      let minus = try evaluate64(i) { move(&$0, -eps) }
      return zip(plus, minus).map { p, m in zip(p, m).map { ($0 - $1) / (2 * eps) } }
    }

    /// `g₆₄` at the point with input `i`'s values changed by `change`.
    private func evaluate64(_ i: Int, _ change: (inout [Double]) -> Void) throws(Diagnostic)
      -> [[Double]]
    {
      var inputs = point64
      if inputs.indices.contains(i) {
        var values = inputs[i].doubles
        change(&values)
        inputs[i] = Tensor(shape: inputs[i].shape, doubles: values)
      }
      return try interpreter.run(widened, inputs: inputs).map(\.doubles)
    }

    // MARK: - The derivative graphs as subjects (second order)

    /// The JVP graph at `(x, t)`, differentiated in `x` and `t`.
    func jvpSubject() throws(Diagnostic) -> Subject {
      guard let jvpGraph else {
        throw Diagnostic(.internalError("gradcheck: no JVP graph to check"), at: nil)
      }
      let s = subject
      let inputs = s.differentiatedInputs
      let outputs = s.graph.outputs.indices
      return Subject(
        graph: jvpGraph, point: s.point + tangents.compactMap { $0 },
        differentiated: s.flags + inputs.map { _ in true },
        inputNames: s.graph.inputs.indices.map(s.name(ofInput:))
          + inputs.map { "the tangent of \(s.name(ofInput: $0))" },
        outputNames: outputs.map(s.name(ofOutput:))
          + outputs.map { "the JVP of \(s.name(ofOutput: $0))" })
    }

    /// The VJP graph at `(x, u)`, differentiated in `x` and `u`.
    func vjpSubject() throws(Diagnostic) -> Subject {
      guard let vjpGraph else {
        throw Diagnostic(.internalError("gradcheck: no VJP graph to check"), at: nil)
      }
      let s = subject
      let outputs = s.graph.outputs.indices
      return Subject(
        graph: vjpGraph, point: s.point + cotangents,
        differentiated: s.flags + cotangents.map { _ in true },
        inputNames: s.graph.inputs.indices.map(s.name(ofInput:))
          + outputs.map { "the cotangent of \(s.name(ofOutput: $0))" },
        outputNames: outputs.map(s.name(ofOutput:))
          + s.differentiatedInputs.map { "the VJP for \(s.name(ofInput: $0))" })
    }
  }
}
