/// A graph held by a primitive (a custom derivative's function and rules), run or emitted
/// where the primitive is.
extension Graph {
  /// Runs the graph on concrete inputs, equation by equation with each primitive's kernel.
  func evaluated(_ inputs: [Tensor]) -> [Tensor] {
    var values = [Tensor?](repeating: nil, count: types.count)
    for (v, t) in zip(self.inputs, inputs) { values[v.id] = t }
    for (v, t) in constants { values[v.id] = t }
    func value(_ v: Var) -> Tensor {
      values[v.id] ?? Tensor(repeating: 0, shape: types[v.id].shape, dtype: types[v.id].dtype)
    }
    for eq in equations {
      values[eq.output.id] = eq.primitive.rule.evaluate(eq.inputs.map(value))
    }
    return outputs.map(value)
  }

  /// Emits the graph's equations into `b` with `inputs` (values of `b`) for its inputs, keeping
  /// each equation's provenance; its outputs.
  func inlined(into b: GraphBuilder, _ inputs: [Var]) throws(Diagnostic) -> [Var] {
    var walk = try GraphWalk(self, into: b, inputs: inputs)
    try walk.reemit { eq, operands throws(Diagnostic) in
      try b.emit(eq.primitive, operands, provenance: eq.provenance)
    }
    return try walk.outputs()
  }

  /// Whether forward mode cannot differentiate the graph: it calls a `custom_vjp` function.
  var refusesForwardMode: Bool {
    equations.contains { eq in
      if case .customVJP = eq.primitive { return true }
      if case .customVJPTangent = eq.primitive { return true }
      return false
    }
  }

  /// The types of the graph's inputs.
  var inputTypes: [TensorType] { inputs.map(type(of:)) }
}

extension Primitive {
  /// For a call of a function with custom derivative rules: the function's graph (its first
  /// inputs are the call's first operands) and which of its outputs the call gives.
  var heldFunction: (Graph, Int)? {
    if case .customJVP(let call, let k) = self { return (call.function, k) }
    if case .customVJP(let call, let k) = self { return (call.function, k) }
    return nil
  }
}

/// What the calls of functions with custom rules share (``CustomJVPCall``, ``CustomVJPCall``).
public protocol CustomCall: AnyObject, Sendable {
  /// The user's function: the argument leaves and its captures in, the result's leaves out.
  var function: Graph { get }
  /// What the user called it, for the graph printer.
  var name: String { get }
}

extension CustomJVPCall: CustomCall {}
extension CustomVJPCall: CustomCall {}

/// A rule whose JVP gives the primal output too: a custom derivative, whose user's rule
/// computes both (JAX takes the primal from the rule as well).
protocol CustomDerivativeRule: PrimitiveRule {
  associatedtype Call: CustomCall
  /// The user's function and rules, traced for one call.
  var call: Call { get }
  /// Output ``output`` of the function's graph is the equation's value.
  var output: Int { get }
  /// The types of the equation's operands, those the held graphs were traced for.
  var operandTypes: [TensorType] { get }
  /// `(primal, tangent)` of the output from the operands and their tangents (`nil`: zero).
  /// `linearizing` is set when the JVP is the first half of reverse mode (a `custom_vjp`
  /// function allows only that).
  func jvpWithPrimal(_ primals: [Var], _ tangents: [Var?], linearizing: Bool, _ b: GraphBuilder)
    throws(Diagnostic) -> (primal: Var, tangent: Var?)
}

extension CustomDerivativeRule {
  public var isElementwise: Bool { false }
  public var verb: String { "call" }
  public var linearity: Linearity { .none }
  public var parameterText: String { "[\(call.name) output=\(output)]" }

  /// The user's function, whose inputs are the equation's first operands.
  var function: Graph { call.function }

  public func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    guard inputs == operandTypes else {
      throw ruleError(
        primitive.kind.rawValue,
        "operands \(inputs.map(\.description)) differ from the traced \(operandTypes.map(\.description))"
      )
    }
    guard output >= 0, output < function.outputs.count else {
      throw ruleError(primitive.kind.rawValue, "no output \(output)")
    }
    return function.type(of: function.outputs[output])
  }

  /// The function's graph run on the operands it takes.
  public func evaluate(_ inputs: [Tensor]) -> Tensor {
    function.evaluated(Array(inputs.prefix(function.inputs.count)))[output]
  }

  public func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    try jvpWithPrimal(primals, tangents, linearizing: false, b).tangent
  }

  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    nil
  }

  /// Sparsity detection does not look inside the user's graphs: every element may depend on
  /// every operand element.
  public func dependencies(
    _ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits
  ) throws(DenseDependence) -> DependencySets {
    var united = DependencySetsBuilder(limits: limits, capacity: 1)
    for operand in operands {
      for i in 0..<operand.sets.count { try united.collect(operand.sets[i]) }
    }
    try united.appendCollected()
    var out = DependencySetsBuilder(limits: limits, capacity: output.count)
    for _ in 0..<output.count { try out.append(united.sets[0]) }
    return out.sets
  }
}

/// The error of forward mode through a `custom_vjp` function (JAX's words).
func customVJPForwardModeError() -> Diagnostic {
  Diagnostic(
    .invalidArgument(
      "custom_vjp", "can't apply forward-mode autodiff (jvp) to a custom_vjp function",
      help:
        "custom_vjp defines reverse mode only; define forward mode with custom_jvp, which gives reverse mode too"
    ), at: nil)
}

/// The error of differentiating a custom rule's function with respect to a value it captured.
func customCaptureError(_ name: String) -> Diagnostic {
  Diagnostic(
    .invalidArgument(
      name,
      "the function is differentiated with respect to a value it captures, which its rule does not cover",
      help: "pass the value as an argument of the function, so the rule gives its derivative"),
    at: nil)
}
