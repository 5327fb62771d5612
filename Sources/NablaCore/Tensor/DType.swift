import RealModule

/// The floating-point element types nabla computes in.
public enum DType: String, Sendable, Hashable, CaseIterable {
  case f32
  case f64

  /// NumPy's and PyTorch's spelling: `float32`, `float64`.
  public var longName: String { self == .f32 ? "float32" : "float64" }

  public var byteSize: Int { self == .f32 ? 4 : 8 }

  /// Parses `f32`, `float32`, `f64`, `float64`, `double`.
  public init?(name: String) {
    switch name.lowercased() {
    case "f32", "float32", "float", "torch.float32": self = .f32
    case "f64", "float64", "double", "torch.float64": self = .f64
    default: return nil
    }
  }

  /// The promoted type of a binary operation: float64 wins, as in PyTorch and NumPy.
  public static func promoted(_ a: DType, _ b: DType) -> DType {
    a == .f64 || b == .f64 ? .f64 : .f32
  }
}

/// The element types a kernel can be written for once, generically.
public protocol TensorScalar: BinaryFloatingPoint, Real, Sendable {
  static var dtype: DType { get }
  /// `tanh x` as the kernels compute it (vectorisable for float32).
  static func tanhKernel(_ x: Self) -> Self
}

extension Float: TensorScalar {
  public static var dtype: DType { .f32 }
  @inline(__always) public static func tanhKernel(_ x: Float) -> Float { FastMath.tanh(x) }
}

extension Double: TensorScalar {
  public static var dtype: DType { .f64 }
  @inline(__always) public static func tanhKernel(_ x: Double) -> Double { Double.tanh(x) }
}
