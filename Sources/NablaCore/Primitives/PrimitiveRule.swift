/// Everything nabla knows about one primitive.
///
/// Today a rule gives the output type and the evaluation kernel; the transforms add their
/// per-primitive requirements (JVP, transpose for linear primitives, batching) here, with family
/// defaults in the protocol extensions below, so a new primitive only fills in its formulas.
public protocol PrimitiveRule: Sendable {
  /// The output type for operands of these types, or an (internal) error when they do not fit.
  /// User-facing shape errors are raised with source ranges before an equation is emitted.
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType
  /// Runs the primitive on concrete operands whose types ``outputType(_:)`` accepted.
  func evaluate(_ inputs: [Tensor]) -> Tensor
}

/// A mismatch a rule found in its operands; lowering should have prevented it.
func ruleError(_ primitive: String, _ detail: String) -> Diagnostic {
  Diagnostic(.primitiveTypeError(primitive: primitive, detail: detail), at: nil)
}

func expectArity(_ inputs: [TensorType], _ n: Int, _ name: String) throws(Diagnostic) {
  guard inputs.count == n else {
    throw ruleError(name, "expects \(n) operands, got \(inputs.count)")
  }
}

// MARK: - Elementwise unary family

/// `y = f(x)` element by element; the shape and dtype are the operand's.
protocol ElementwiseUnaryRule: PrimitiveRule {
  static var name: String { get }
  func apply<T: TensorScalar>(_ x: T) -> T
}

extension ElementwiseUnaryRule {
  public func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, Self.name)
    return inputs[0]
  }

  public func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    switch x.storage {
    case .f32(let a): return Tensor(shape: x.shape, floats: a.map { apply($0) })
    case .f64(let a): return Tensor(shape: x.shape, doubles: a.map { apply($0) })
    }
  }
}

// MARK: - Elementwise binary family

/// `z = f(x, y)` element by element on operands of equal shape and dtype.
protocol ElementwiseBinaryRule: PrimitiveRule {
  static var name: String { get }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T
}

extension ElementwiseBinaryRule {
  public func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 2, Self.name)
    guard inputs[0] == inputs[1] else {
      throw ruleError(Self.name, "operands \(inputs[0]) and \(inputs[1]) differ")
    }
    return inputs[0]
  }

  public func evaluate(_ inputs: [Tensor]) -> Tensor {
    let (x, y) = (inputs[0], inputs[1])
    switch (x.storage, y.storage) {
    case (.f32(let a), .f32(let b)):
      return Tensor(shape: x.shape, floats: zip(a, b).map { apply($0, $1) })
    case (.f64(let a), .f64(let b)):
      return Tensor(shape: x.shape, doubles: zip(a, b).map { apply($0, $1) })
    default:
      let a = x.doubles
      let b = y.doubles
      return Tensor(shape: x.shape, doubles: zip(a, b).map { apply($0, $1) })
    }
  }
}

// MARK: - Reductions family

/// Removes `axes` by combining their elements.
protocol ReductionRule: PrimitiveRule {
  static var name: String { get }
  static var kind: ReductionKind { get }
  var axes: [Int] { get }
}

extension ReductionRule {
  public func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, Self.name)
    let x = inputs[0]
    guard Set(axes).count == axes.count, axes.allSatisfy({ $0 >= 0 && $0 < x.rank }) else {
      throw ruleError(Self.name, "axes \(axes) do not fit \(x)")
    }
    let removed = Set(axes)
    return x.with(shape: x.shape.indices.filter { !removed.contains($0) }.map { x.shape[$0] })
  }

  public func evaluate(_ inputs: [Tensor]) -> Tensor {
    reduce(inputs[0], axes: axes, kind: Self.kind)
  }
}
