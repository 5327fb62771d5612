/// `custom_jvp_call`: output `output` of a function with a user's JVP rule.
/// `y = f(x)`; `(y, ẏ) = rule(x, ẋ)` (the rule's graph inlined, with zeros for the tangents
/// of arguments that have none).
struct CustomJVPRule: CustomDerivativeRule, OpaqueToStructure {
  let call: CustomJVPCall
  let output: Int
  var primitive: Primitive { .customJVP(call, output: output) }

  var operandTypes: [TensorType] { call.operandTypes }

  func jvpWithPrimal(_ primals: [Var], _ tangents: [Var?], linearizing: Bool, _ b: GraphBuilder)
    throws(Diagnostic) -> (primal: Var, tangent: Var?)
  {
    let m = call.argumentCount
    guard tangents[m...].allSatisfy({ $0 == nil }) else { throw customCaptureError("custom_jvp") }
    var ruleInputs = Array(primals.prefix(m))
    for (x, t) in zip(primals.prefix(m), tangents.prefix(m)) {
      ruleInputs.append(try b.orZeros(t, like: x))
    }
    ruleInputs += primals.suffix(call.ruleCaptureCount)
    let outs = try call.rule.inlined(into: b, ruleInputs)
    return (outs[output], outs[call.outputCount + output])
  }

  /// The function and the rule batched over every operand.
  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder)
    throws(Diagnostic) -> Var
  {
    let all = { (g: Graph) in Array(repeating: true, count: g.inputs.count) }
    let batchedCall = CustomJVPCall(
      function: try Batching.transform(
        call.function, batched: all(call.function), size: size, options: b.options),
      rule: try Batching.transform(
        call.rule, batched: all(call.rule), size: size, options: b.options),
      argumentCount: call.argumentCount, name: call.name)
    return try b.emit(
      .customJVP(batchedCall, output: output), try b.allBatched(inputs, batched, size: size))
  }
}
