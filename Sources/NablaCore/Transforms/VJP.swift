/// Reverse mode as a graph transform: linearize, then transpose (autodidax Part 4).
///
/// The JVP graph is split into the equations that compute primal values (they depend on no
/// tangent) and the equations that are linear in the tangents. The primal part is copied; the
/// linear part is walked backwards, each equation's transpose rule turning the cotangent of its
/// output into cotangents of its linear operands, which are summed where values fan out.
public enum VJP {
  /// The inputs of the result are `g`'s inputs followed by a cotangent for each output with
  /// `hasCotangent`; its outputs are `g`'s outputs followed by the cotangents of the inputs
  /// with `wrt` (zeros where an input does not affect those outputs).
  public static func transform(
    _ g: Graph, wrt: [Bool], hasCotangent: [Bool]? = nil, options: GraphBuilder.Options = .init()
  ) throws(Diagnostic) -> Graph {
    let cotangentOutputs = hasCotangent ?? Array(repeating: true, count: g.outputs.count)
    let j = try JVP.transform(g, hasTangent: wrt, linearizing: true, options: options)
    let primalCount = g.inputs.count
    let tangentInputs = Array(j.inputs[primalCount...])

    // Values that depend on a tangent are linear in the tangents.
    var linear = Set(tangentInputs)
    for eq in j.equations where eq.inputs.contains(where: linear.contains) {
      linear.insert(eq.output)
    }

    let b = GraphBuilder(options)
    let primals = j.inputs.prefix(primalCount).map { b.input(j.type(of: $0)) }
    let tangentOutputs = Array(j.outputs[g.outputs.count...])
    var cotangent: [Var: Var] = [:]
    for (ẏ, has) in zip(tangentOutputs, cotangentOutputs) where has {
      let ct = b.input(j.type(of: ẏ))
      b.markTangent(ct)
      if linear.contains(ẏ) { cotangent[ẏ] = try b.addOptional(cotangent[ẏ], ct) }
    }
    // The tangent inputs stand for nothing: only linear equations read them, and those are
    // transposed below rather than copied.
    var walk = try GraphWalk(j, into: b, inputs: primals + tangentInputs.map { _ in nil })
    try walk.reemit(including: { !linear.contains($0.output) }) { eq, inputs throws(Diagnostic) in
      try b.emit(eq.primitive, inputs, provenance: eq.provenance)
    }
    for eq in j.equations.reversed() where linear.contains(eq.output) {
      guard let ct = cotangent[eq.output] else { continue }
      var operands: [Var?] = []
      for v in eq.inputs { operands.append(linear.contains(v) ? nil : try walk.value(v)) }
      let results: [Var?]
      do throws(Diagnostic) {
        // the transpose of a chain rule's equation is part of the same chain rule
        let rule = options.derivativeRules(eq.primitive)
        results = try b.attributing(eq.provenance.transposed) { () throws(Diagnostic) in
          try rule.transpose(ct, operands, eq.inputs.map(j.type(of:)), b)
        }
      } catch {
        throw error.located(at: eq.source)
      }
      for (input, r) in zip(eq.inputs, results) where linear.contains(input) {
        if let r { cotangent[input] = try b.addOptional(cotangent[input], r) }
      }
    }
    var outputs = try walk.values(Array(j.outputs.prefix(g.outputs.count)))
    for t in tangentInputs {
      if let c = cotangent[t] {
        outputs.append(c)
      } else {
        outputs.append(try b.zeros(j.type(of: t)))
      }
    }
    return b.finish(outputs: outputs)
  }
}
