/// The static type of a tensor: its shape and element type.
///
/// Printed as `f32[16,16]` (a scalar is `f32[]`), the spelling diagnostics and `--graph` use.
public struct TensorType: Sendable, Hashable, CustomStringConvertible {
  public var shape: [Int]
  public var dtype: DType

  public init(_ dtype: DType, _ shape: [Int]) {
    self.shape = shape
    self.dtype = dtype
  }

  public var rank: Int { shape.count }

  /// The element count (`Int.max` if it would overflow; every shape a plan runs with has been
  /// checked with ``Shape/elementCount(_:)``).
  public var count: Int { Shape.elementCount(shape) ?? .max }

  public var description: String {
    "\(dtype.rawValue)[\(shape.map(String.init).joined(separator: ","))]"
  }

  public func with(shape: [Int]) -> TensorType { TensorType(dtype, shape) }
  public func with(dtype: DType) -> TensorType { TensorType(dtype, shape) }
}
