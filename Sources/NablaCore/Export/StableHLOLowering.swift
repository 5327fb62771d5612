/// How one primitive is written in StableHLO (``Primitive/stableHLO``).
enum StableHLOLowering: Sendable {
  /// An operand of an equation being lowered: its SSA name and type.
  struct Operand: Sendable {
    var name: String
    var type: TensorType
  }

  /// Writes the operation for `operands` with result type `output`; returns the result's name.
  typealias Write =
    @Sendable (inout StableHLOWriter, [Operand], TensorType) throws(Diagnostic) -> String

  /// A StableHLO elementwise operation of one operand: `stablehlo.tanh %x : tensor<3xf32>`.
  case unary(String)
  /// A CHLO operation of one operand, which XLA expands into StableHLO when it compiles
  /// (JAX emits the same): `chlo.erf_inv %x : tensor<3xf32> -> tensor<3xf32>`.
  case chloUnary(String)
  /// A StableHLO elementwise operation of two operands of equal type.
  case binary(String)
  /// Several operations, or one with attributes.
  case written(Write)
  /// No faithful StableHLO spelling: export stops with this reason.
  case refused(String)

  /// Writes the primitive's operations, or throws the refusal at `range`.
  func write(
    _ w: inout StableHLOWriter, _ operands: [Operand], _ output: TensorType, primitive: String,
    range: SourceRange?
  ) throws(Diagnostic) -> String {
    switch self {
    case .unary(let op):
      return w.emit("\(op) \(operands[0].name) : \(MLIRText.type(output))")
    case .chloUnary(let op):
      let t = MLIRText.type(output)
      return w.emit("\(op) \(operands[0].name) : \(MLIRText.type(operands[0].type)) -> \(t)")
    case .binary(let op):
      return w.emit("\(op) \(operands[0].name), \(operands[1].name) : \(MLIRText.type(output))")
    case .written(let write):
      return try write(&w, operands, output)
    case .refused(let reason):
      throw Diagnostic(
        .exportRefused(
          "'\(primitive)'", reason: reason,
          help: "export a statement without it, or evaluate this one in nabla"),
        at: range)
    }
  }
}
