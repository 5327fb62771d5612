/// `custom_lin`: the tangent of output `output` of a `custom_vjp` function, `ẏ = L(r) ẋ`, where
/// the user's `bwd(r, ·)` is `L(r)ᵀ`. Operands: the residuals `r`, `bwd`'s captures, then the
/// argument tangents `ẋ` (linear in those). Reverse mode transposes it to `bwd`'s graph; it
/// has no forward-mode rule (JAX's `custom_lin` neither).
struct CustomVJPTangentRule: CustomDerivativeRule, OpaqueToStructure {
  let call: CustomVJPCall
  let output: Int
  var primitive: Primitive { .customVJPTangent(call, output: output) }

  /// Where the argument tangents start among the operands.
  private var tangentStart: Int { call.residualCount + call.backwardCaptureCount }

  var linearity: Linearity {
    .jointly(Array(tangentStart..<(tangentStart + call.argumentCount)))
  }

  var operandTypes: [TensorType] { call.tangentOperandTypes }

  /// `ẏ[i] = ⟨bwd(r, eᵢ), ẋ⟩` for each element `i` of the output (one `bwd` per element: only
  /// tests run it, since reverse mode transposes it away and forward mode refuses it).
  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let residuals = Array(inputs.prefix(call.residualCount))
    let captures = Array(inputs[call.residualCount..<tangentStart])
    let tangents = Array(inputs.suffix(call.argumentCount))
    let outputTypes = call.function.outputs.map(call.function.type(of:))
    let type = outputTypes[output]
    var values: [Double] = []
    for i in 0..<type.count {
      let cotangents = outputTypes.enumerated().map { k, t in
        var basis = [Double](repeating: 0, count: t.count)
        if k == output { basis[i] = 1 }
        return Tensor(shape: t.shape, values: basis, dtype: t.dtype)
      }
      let outs = call.backward.evaluated(residuals + cotangents + captures)
      var sum = 0.0
      for (j, position) in call.cotangentOutputs.enumerated() {
        guard let position, j < tangents.count else { continue }
        for (a, b) in zip(outs[position].doubles, tangents[j].doubles) { sum += a * b }
      }
      values.append(sum)
    }
    return Tensor(shape: type.shape, values: values, dtype: type.dtype)
  }

  func jvpWithPrimal(_ primals: [Var], _ tangents: [Var?], linearizing: Bool, _ b: GraphBuilder)
    throws(Diagnostic) -> (primal: Var, tangent: Var?)
  {
    throw customVJPForwardModeError()
  }

  /// `x̄ = bwd(r, ȳ)`, with `ȳ` zero for the other outputs.
  func transpose(
    _ cotangent: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder
  ) throws(Diagnostic) -> [Var?] {
    var fixed: [Var] = []
    for v in known.prefix(tangentStart) {
      guard let v else {
        throw Diagnostic(
          .internalError("custom_lin is not linear in its residuals"), at: nil)
      }
      fixed.append(v)
    }
    var cotangents: [Var] = []
    for (k, y) in call.function.outputs.enumerated() {
      cotangents.append(k == output ? cotangent : try b.zeros(call.function.type(of: y)))
    }
    let residuals = Array(fixed.prefix(call.residualCount))
    let captures = Array(fixed.dropFirst(call.residualCount))
    let outs = try call.backward.inlined(into: b, residuals + cotangents + captures)
    let results = call.cotangentOutputs.map { $0.map { outs[$0] } }
    return Array(repeating: nil, count: tangentStart) + results
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder)
    throws(Diagnostic) -> Var
  {
    try b.emit(
      .customVJPTangent(try call.batched(size: size, b.options), output: output),
      try b.allBatched(inputs, batched, size: size))
  }
}
