/// A function with a user's reverse-mode rule (`custom_vjp(f, fwd, bwd)` applied to
/// arguments): the graphs of `f`, `fwd` and `bwd`, traced for the argument types of one call.
///
/// Its ``Primitive/customVJP(_:output:)`` equations take the argument leaves, then the values
/// `f`, `fwd` and `bwd` captured, in that order, and evaluate as `f`. Linearised for reverse
/// mode, an equation becomes `fwd`'s graph inlined (`(y, residuals) = fwd(x)`) and a
/// ``Primitive/customVJPTangent(_:output:)`` of the residuals and the argument tangents, whose
/// transpose is `bwd`'s graph inlined. Forward mode is an error, as in JAX.
public final class CustomVJPCall: Hashable, Sendable, CustomStringConvertible {
  /// Inputs: the argument leaves, then `f`'s captures; outputs: the result's leaves.
  public let function: Graph
  /// Inputs: the argument leaves, then `fwd`'s captures; outputs: the result's leaves, then
  /// the residuals' leaves.
  public let forward: Graph
  /// Inputs: the residuals' leaves, the result's cotangents, then `bwd`'s captures; outputs:
  /// the cotangents it gives (see ``cotangentOutputs``).
  public let backward: Graph
  public let argumentCount: Int
  /// For each argument leaf, the output of ``backward`` holding its cotangent, or `nil` where
  /// `bwd` returned `None` for its argument (a zero cotangent).
  public let cotangentOutputs: [Int?]
  /// What the user called it, for the graph printer.
  public let name: String

  public init(
    function: Graph, forward: Graph, backward: Graph, argumentCount: Int,
    cotangentOutputs: [Int?], name: String
  ) {
    self.function = function
    self.forward = forward
    self.backward = backward
    self.argumentCount = argumentCount
    self.cotangentOutputs = cotangentOutputs
    self.name = name
  }

  public var outputCount: Int { function.outputs.count }
  public var residualCount: Int { forward.outputs.count - outputCount }
  public var functionCaptureCount: Int { function.inputs.count - argumentCount }
  public var forwardCaptureCount: Int { forward.inputs.count - argumentCount }
  public var backwardCaptureCount: Int { backward.inputs.count - residualCount - outputCount }

  /// The types of a ``Primitive/customVJP(_:output:)`` equation's operands: arguments, then
  /// the captures of `f`, `fwd` and `bwd`.
  public var operandTypes: [TensorType] {
    function.inputs.map(function.type(of:))
      + forward.inputs.suffix(forwardCaptureCount).map(forward.type(of:))
      + backward.inputs.suffix(backwardCaptureCount).map(backward.type(of:))
  }

  /// The types of a ``Primitive/customVJPTangent(_:output:)`` equation's operands: the
  /// residuals, `bwd`'s captures, then the argument leaves' tangents.
  public var tangentOperandTypes: [TensorType] {
    forward.outputs.suffix(residualCount).map(forward.type(of:))
      + backward.inputs.suffix(backwardCaptureCount).map(backward.type(of:))
      + function.inputs.prefix(argumentCount).map(function.type(of:))
  }

  public static func == (a: CustomVJPCall, b: CustomVJPCall) -> Bool { a === b }
  public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
  public var description: String { name }
}
