/// A dense, row-major array of float32 or float64 values.
///
/// Tensors are values: copying one shares its storage until either copy is written
/// (Swift arrays are copy-on-write).
public struct Tensor: Sendable, Equatable {
  /// The elements, in the tensor's dtype.
  public enum Storage: Sendable, Equatable {
    case f32([Float])
    case f64([Double])
  }

  public var shape: [Int]
  public var storage: Storage
  /// What the elements are to the user (``ElementKind``): integers and truth values are held
  /// in float storage. Not part of equality.
  public var kind = ElementKind.float

  public static func == (a: Tensor, b: Tensor) -> Bool {
    a.shape == b.shape && a.storage == b.storage
  }

  public init(shape: [Int], storage: Storage) {
    self.shape = shape
    self.storage = storage
  }

  public init(shape: [Int], floats: [Float]) {
    self.init(shape: shape, storage: .f32(floats))
  }

  public init(shape: [Int], doubles: [Double]) {
    self.init(shape: shape, storage: .f64(doubles))
  }

  /// A tensor of `dtype` from Double values, rounding to float32 where needed.
  public init(shape: [Int], values: [Double], dtype: DType) {
    switch dtype {
    case .f32: self.init(shape: shape, storage: .f32(values.map { Float($0) }))
    case .f64: self.init(shape: shape, storage: .f64(values))
    }
  }

  /// A tensor of `type` from Double values (integers and truth values are kept as given).
  public init(shape: [Int], values: [Double], type: ElementType) {
    self.init(shape: shape, values: values, dtype: type.storage)
    kind = type.kind
  }

  /// A 0-d tensor.
  public init(scalar: Double, dtype: DType) {
    self.init(shape: [], values: [scalar], dtype: dtype)
  }

  /// A tensor with every element equal to `value`.
  public init(repeating value: Double, shape: [Int], dtype: DType) {
    let n = shape.reduce(1, *)
    switch dtype {
    case .f32: self.init(shape: shape, storage: .f32(Array(repeating: Float(value), count: n)))
    case .f64: self.init(shape: shape, storage: .f64(Array(repeating: value, count: n)))
    }
  }

  public var dtype: DType {
    switch storage {
    case .f32: .f32
    case .f64: .f64
    }
  }

  public var type: TensorType { TensorType(dtype, shape) }
  public var rank: Int { shape.count }

  public var count: Int {
    switch storage {
    case .f32(let a): a.count
    case .f64(let a): a.count
    }
  }

  /// The elements widened to Double (exact for both dtypes).
  public var doubles: [Double] {
    switch storage {
    case .f32(let a): a.map(Double.init)
    case .f64(let a): a
    }
  }

  /// One element, widened to Double.
  public subscript(flat index: Int) -> Double {
    switch storage {
    case .f32(let a): Double(a[index])
    case .f64(let a): a[index]
    }
  }

  /// The same elements in another dtype.
  public func converted(to dtype: DType) -> Tensor {
    switch (storage, dtype) {
    case (.f32, .f32), (.f64, .f64): self
    case (.f32(let a), .f64): Tensor(shape: shape, doubles: a.map(Double.init))
    case (.f64(let a), .f32): Tensor(shape: shape, floats: a.map { Float($0) })
    }
  }

  /// The same elements with another shape of equal element count.
  /// The elements' bit patterns.
  var bitPatterns: [UInt64] {
    switch storage {
    case .f32(let a): a.map { UInt64($0.bitPattern) }
    case .f64(let a): a.map(\.bitPattern)
    }
  }

  /// The address of the elements' storage: equal for tensors sharing one buffer (copies of
  /// the same value), different for tensors alive at the same time with different buffers.
  var storageIdentity: Int {
    switch storage {
    case .f32(let a): a.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    case .f64(let a): a.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    }
  }

  /// Whether every element is finite (no NaN, no infinity): the largest magnitude's bit
  /// pattern is below the exponent of all ones (a loop that vectorises, as `--check-nans`
  /// reads every result).
  public var isFinite: Bool {
    switch storage {
    case .f32(let a):
      a.withUnsafeBufferPointer { p in
        var largest: UInt32 = 0
        for x in p { largest = Swift.max(largest, x.bitPattern & 0x7FFF_FFFF) }
        return largest < 0x7F80_0000
      }
    case .f64(let a):
      a.withUnsafeBufferPointer { p in
        var largest: UInt64 = 0
        for x in p { largest = Swift.max(largest, x.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) }
        return largest < 0x7FF0_0000_0000_0000
      }
    }
  }

  /// The offset of the first element (widened to Double) that satisfies `predicate`.
  public func firstElement(where predicate: (Double) -> Bool) -> Int? {
    switch storage {
    case .f32(let a): a.firstIndex { predicate(Double($0)) }
    case .f64(let a): a.firstIndex(where: predicate)
    }
  }

  public func reshaped(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape, storage: storage)
  }
}
