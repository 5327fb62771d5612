/// `custom_vjp_call`: output `output` of a function with a user's VJP rule. `y = f(x)`;
/// linearised for reverse mode, `(y, r) = fwd(x)` (inlined) and `ẏ = custom_lin(r, ẋ)`, which
/// transposes to `bwd(r, ȳ)`. Forward mode is an error, as in JAX.
struct CustomVJPRule: CustomDerivativeRule, OpaqueToStructure {
  let call: CustomVJPCall
  let output: Int
  var primitive: Primitive { .customVJP(call, output: output) }

  var operandTypes: [TensorType] { call.operandTypes }

  func jvpWithPrimal(_ primals: [Var], _ tangents: [Var?], linearizing: Bool, _ b: GraphBuilder)
    throws(Diagnostic) -> (primal: Var, tangent: Var?)
  {
    guard linearizing else { throw customVJPForwardModeError() }
    let m = call.argumentCount
    guard tangents[m...].allSatisfy({ $0 == nil }) else { throw customCaptureError("custom_vjp") }
    let captures = primals[m...]
    let fCaptures = call.functionCaptureCount
    let fwdCaptures = captures.dropFirst(fCaptures).prefix(call.forwardCaptureCount)
    let bwdCaptures = captures.suffix(call.backwardCaptureCount)
    let outs = try call.forward.inlined(into: b, Array(primals.prefix(m)) + fwdCaptures)
    let residuals = outs.suffix(call.residualCount)
    var operands = Array(residuals) + bwdCaptures
    for (x, t) in zip(primals.prefix(m), tangents.prefix(m)) {
      operands.append(try b.orZeros(t, like: x))
    }
    return (outs[output], try b.emit(.customVJPTangent(call, output: output), operands))
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder)
    throws(Diagnostic) -> Var
  {
    try b.emit(
      .customVJP(try call.batched(size: size, b.options), output: output),
      try b.allBatched(inputs, batched, size: size))
  }
}

extension CustomVJPCall {
  /// The call with `f`, `fwd` and `bwd` batched over every input.
  func batched(size: Int, _ options: GraphBuilder.Options) throws(Diagnostic) -> CustomVJPCall {
    let all = { (g: Graph) in Array(repeating: true, count: g.inputs.count) }
    return CustomVJPCall(
      function: try Batching.transform(
        function, batched: all(function), size: size, options: options),
      forward: try Batching.transform(forward, batched: all(forward), size: size, options: options),
      backward: try Batching.transform(
        backward, batched: all(backward), size: size, options: options),
      argumentCount: argumentCount, cotangentOutputs: cotangentOutputs, name: name)
  }
}
