/// A function with a user's forward-mode rule (`custom_jvp(f, rule)` applied to arguments):
/// `f`'s graph and the rule's graph, traced for the argument types of one call.
///
/// Its ``Primitive/customJVP(_:output:)`` equations take the argument leaves, then the values
/// `f` captured, then those the rule captured. They evaluate as `f`; their JVP is the rule's
/// graph inlined, `(y, ẏ) = rule(x, ẋ)`, so reverse mode transposes the rule's tangent output
/// (which must be linear in the tangents), as in JAX.
public final class CustomJVPCall: Hashable, Sendable, CustomStringConvertible {
  /// Inputs: the argument leaves, then `f`'s captures; outputs: the result's leaves.
  public let function: Graph
  /// Inputs: the argument leaves, their tangents, then the rule's captures; outputs: the
  /// result's leaves, then their tangents.
  public let rule: Graph
  public let argumentCount: Int
  /// What the user called it, for the graph printer.
  public let name: String

  public init(function: Graph, rule: Graph, argumentCount: Int, name: String) {
    self.function = function
    self.rule = rule
    self.argumentCount = argumentCount
    self.name = name
  }

  public var functionCaptureCount: Int { function.inputs.count - argumentCount }
  public var ruleCaptureCount: Int { rule.inputs.count - 2 * argumentCount }
  public var outputCount: Int { function.outputs.count }
  /// The operands of its equations: arguments, `f`'s captures, the rule's captures.
  public var operandCount: Int { function.inputs.count + ruleCaptureCount }

  /// The types its equations' operands must have.
  public var operandTypes: [TensorType] {
    function.inputs.map(function.type(of:))
      + rule.inputs.suffix(ruleCaptureCount).map(rule.type(of:))
  }

  public static func == (a: CustomJVPCall, b: CustomJVPCall) -> Bool { a === b }
  public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
  public var description: String { name }
}
