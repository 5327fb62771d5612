/// Where a statement's non-finite result (NaN or ±∞) came from, as ``NonFiniteSearch`` finds
/// it: the first equation on the way to the result that made a non-finite value out of
/// finite operands, and, when the result is NaN but that value was ±∞, the first equation
/// after it that made NaN out of operands without NaN (`0 · ∞` in a chain rule).
public struct NonFiniteOrigin: Sendable {
  /// One equation's first offending element.
  public struct Event: Sendable {
    public var equation: Equation
    /// The element's position in the output (row-major indices; empty for a 0-d value).
    public var index: [Int]
    /// The offending element of the output.
    public var value: Double
    public var dtype: DType
    /// The operands at that element, when the equation is elementwise (operands of the
    /// output's shape); `nil` otherwise.
    public var operands: [Double]?
    /// The operands' types (for an equation that is not elementwise).
    public var operandTypes: [TensorType]
    /// The largest magnitude in each operand (for an equation that is not elementwise).
    public var operandMagnitudes: [Double]
    /// For an equation a derivative rule emitted: the operands of the operation it
    /// differentiates at the same element (`sqrt`'s `x` for `0.5 / √x`), when the graph still
    /// computes that operation on values of the same shape.
    public var primalOperands: [Double]?
  }

  /// The first equation that made a non-finite value from finite operands.
  public var origin: Event
  /// The first equation after ``origin`` that made NaN from operands without NaN, when the
  /// result holds NaN and ``origin`` made ±∞.
  public var nan: Event?
}
