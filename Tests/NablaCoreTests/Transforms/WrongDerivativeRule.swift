@testable import NablaCore

/// A deliberately wrong derivative rule for a one-operand primitive: its JVP is
/// `ẏ = d(x) · ẋ` for the elementwise primitive `d` given (`sin` for `cos` says
/// `cos′ = sin`, which is wrong by its sign). Everything else is the true rule's.
///
/// Tests install it through the derivative-rule hook (``GraphBuilder/Options``), which the
/// language cannot reach, to see `gradcheck` catch it.
struct WrongDerivativeRule: PrimitiveRule {
  let base: any PrimitiveRule
  let derivative: Primitive

  /// The rules of `Primitive.rule`, except that `primitive`'s derivative is `derivative`.
  static func rules(_ primitive: Primitive, derivative: Primitive)
    -> @Sendable (Primitive) -> any PrimitiveRule
  {
    { p in p == primitive ? WrongDerivativeRule(base: p.rule, derivative: derivative) : p.rule }
  }

  var primitive: Primitive { base.primitive }
  var isElementwise: Bool { base.isElementwise }
  var linearity: Linearity { base.linearity }
  var parameterText: String { base.parameterText }
  var verb: String { base.verb }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try base.outputType(inputs)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor { base.evaluate(inputs) }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents.first ?? nil, let x = primals.first else { return nil }
    return try b.emit(.mul, [try b.emit(derivative, [x]), t])
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder)
    throws(Diagnostic) -> Var
  {
    try base.batch(inputs, batched, size: size, b)
  }

  func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    base.uniform(values, inputs, output: output)
  }

  func diagonal(_ inputs: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  {
    try base.diagonal(inputs, shape: shape, context)
  }

  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try base.dependencies(operands, output: output, limits: limits)
  }
}
