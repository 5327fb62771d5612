import CKernels

/// Everything nabla knows about one primitive: its type rule, its kernel, and its rules for
/// each transform. Rules emit IR through a ``GraphBuilder``, so a derivative graph can be
/// differentiated, transposed and batched again.
public protocol PrimitiveRule: Sendable {
  /// The primitive this rule describes (to emit it again).
  var primitive: Primitive { get }
  /// Whether it maps operands of one shape to an output of that shape element by element, so
  /// it commutes with any rearrangement of the elements (the optimiser moves transposes and
  /// reshapes through such primitives).
  var isElementwise: Bool { get }
  /// Whether it only arranges its operands' elements (moves, repeats, pads or converts them,
  /// as `broadcast`, `reshape` and `concatenate` do) and computes nothing new from them.
  var arrangesElements: Bool { get }
  /// Which operands it is linear in: those get cotangents from ``transpose(_:_:_:_:)``.
  var linearity: Linearity { get }
  /// The static parameters as the graph printer shows them (`[axes=(1,)]`), or "".
  var parameterText: String { get }
  /// What applying it is called in diagnostics: "cannot \(verb) f32[3] and f32[4]".
  var verb: String { get }
  /// The output type for operands of these types, or an (internal) error when they do not fit.
  /// User-facing shape errors are raised with source ranges before an equation is emitted.
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType
  /// Runs the primitive on concrete operands whose types ``outputType(_:)`` accepted.
  func evaluate(_ inputs: [Tensor]) -> Tensor
  /// ``evaluate(_:)`` for a kernel long enough to poll `cancellation` (a large matrix product):
  /// it may stop early once the flag is set, and its result is then discarded. The default
  /// does not poll.
  func evaluate(_ inputs: [Tensor], polling cancellation: CancellationFlag?) -> Tensor
  /// Forward mode: the output's tangent from the operands' tangents (`nil` is a symbolic
  /// zero), emitted into `b`; `nil` when it is zero. `primals` and `output` are values of `b`.
  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  /// Reverse mode, for a primitive linear in the operands whose `known` entry is `nil`: the
  /// cotangents of those operands (`nil` for zero) given the output's cotangent. Only linear
  /// primitives implement it; reaching the default is an internal error.
  func transpose(
    _ cotangent: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder
  ) throws(Diagnostic) -> [Var?]
  /// Batching: the primitive applied to operands where those marked `batched` carry a leading
  /// batch axis of `size`; the result carries one too (JAX's batching rules, with the batch
  /// axis kept first).
  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  /// Structure: the one value every element of the result has, given the one value of each
  /// operand that has one (`nil` for the others), or `nil` when it is not known to have one.
  /// Zeros and constants propagate by these rules (family defaults and each rule's own are in
  /// `UniformRules.swift`), so a derivative's zero or constant parts vanish from the graph.
  func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double?
  /// Structure: the ``Diagonal`` structure of the result (of `shape`) from what `context`
  /// knows of the operands, its smaller values emitted through `context`; `nil` when there is
  /// none or it is not known. (Family defaults and each rule's own are in `DiagonalRules.swift`.)
  func diagonal(_ inputs: [Var], shape: [Int], _ context: any StructureContext)
    throws(Diagnostic) -> Diagonal?
  /// Sparsity: for each element of the result (of type `output`), the differentiated input
  /// elements it may depend on, from the operands' (whose known zeros cut dependence);
  /// conservative, and exact for elementwise, rearranging, reducing and contracting
  /// primitives. (Family defaults and each rule's own are in `DependencyRules.swift`.)
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
}

/// The operands a primitive is linear in, which decides where reverse mode may transpose it.
public enum Linearity: Sendable, Equatable {
  /// Linear in no operand (`sin`, `pow`): it has no transpose rule.
  case none
  /// Linear in all operands together (`add`, `neg`, `reshape`, `concatenate`).
  case all
  /// Linear in these operands together when the others are held fixed (the two values of
  /// `select`, with the condition fixed).
  case jointly([Int])
  /// Linear in each of these operands alone, the others held fixed (`mul` and `matmul` are
  /// bilinear; `div` is linear in its numerator, `solve` in its right-hand side).
  case separately([Int])

  /// Whether the primitive has a transpose rule.
  public var isLinear: Bool { self != .none }
}

/// `(1,2,3)`: a list of integer parameters as the graph printer shows it.
func parameterList(_ xs: [Int]) -> String {
  "(" + xs.map(String.init).joined(separator: ",") + ")"
}

extension PrimitiveRule {
  public var arrangesElements: Bool { false }
  public func evaluate(_ inputs: [Tensor], polling cancellation: CancellationFlag?) -> Tensor {
    evaluate(inputs)
  }

  public func transpose(
    _ cotangent: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder
  ) throws(Diagnostic) -> [Var?] {
    throw Diagnostic(
      .internalError("\(primitive.kind.rawValue) is not linear and cannot be transposed"), at: nil)
  }

  /// Applies the primitive to batched operands, broadcasting any that are not (right for
  /// every primitive that acts independently on each leading index).
  public func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder)
    throws(Diagnostic) -> Var
  {
    try b.emit(primitive, try b.allBatched(inputs, batched, size: size))
  }
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

// MARK: - Linear one-operand family

/// A primitive linear in its one operand (`reshape`, `broadcast`, `reduce_sum`, …): its JVP
/// is the primitive itself applied to the tangent.
protocol LinearUnaryRule: PrimitiveRule {}

extension LinearUnaryRule {
  public var linearity: Linearity { .all }
  public var arrangesElements: Bool { true }

  public func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic)
    -> Var?
  {
    try tangents[0].map { t throws(Diagnostic) in try b.emit(primitive, [t]) }
  }
}

// MARK: - Elementwise unary family

/// `y = f(x)` element by element; the shape and dtype are the operand's.
protocol ElementwiseUnaryRule: FusibleRule {
  static var name: String { get }
  func apply<T: TensorScalar>(_ x: T) -> T
  /// `f′(x)` as graph values, given `x` and `y = f(x)`; `nil` where it is zero everywhere
  /// (`floor`, `sign`).
  func derivative(_ x: Var, _ y: Var, _ b: GraphBuilder) throws(Diagnostic) -> Var?
  /// A kernel that computes this rule on contiguous float32 elements faster than a loop of
  /// ``apply(_:)`` (written with instructions chosen at run time), when this CPU has one.
  static var vectorKernel: VectorUnaryKernel? { get }
}

extension ElementwiseUnaryRule {
  public var isElementwise: Bool { true }
  public var linearity: Linearity { .none }
  public var parameterText: String { "" }
  public var verb: String { "apply '\(Self.name)' to" }

  /// `ẏ = f′(x) · ẋ`.
  public func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    guard let t = tangents[0], let d = try derivative(primals[0], output, b) else { return nil }
    return try b.mul(t, d)
  }

  public func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, Self.name)
    return inputs[0]
  }

  static var vectorKernel: VectorUnaryKernel? { nil }

  public func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    switch x.storage {
    case .f32(let a):
      if let kernel = Self.vectorKernel {
        return Tensor(shape: x.shape, floats: mapElements(a, kernel))
      }
      return Tensor(shape: x.shape, floats: mapElements(a, self))
    case .f64(let a): return Tensor(shape: x.shape, doubles: mapElements(a, self))
    }
  }
}

// MARK: - Elementwise binary family

/// `z = f(x, y)` element by element on operands of equal shape and dtype.
protocol ElementwiseBinaryRule: StridedOperandsRule, FusibleRule {
  static var name: String { get }
  /// The operation of the AVX2 strided kernel (`NABLA_ADD`…) that computes this rule on
  /// float32, when it is one of them.
  static var vectorOperation: Int32? { get }
  func apply<T: TensorScalar>(_ x: T, _ y: T) -> T
  /// `out[j] = apply(x[j·xStride], y[j·yStride])` for `j < n`: one row of a strided
  /// operation (a rule whose `apply` branches on a parameter chooses the branch once here).
  func applyRow<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ xStride: Int, _ y: UnsafePointer<T>, _ yStride: Int,
    _ out: UnsafeMutablePointer<T>, _ n: Int)
  /// `(∂z/∂x, ∂z/∂y)` as graph values; `nil` for a partial that is zero or not needed
  /// (`needed[i]` is false when operand i has no tangent).
  func partials(_ x: Var, _ y: Var, _ z: Var, needed: [Bool], _ b: GraphBuilder) throws(Diagnostic)
    -> (Var?, Var?)
}

extension ElementwiseBinaryRule {
  public var isElementwise: Bool { true }
  public var parameterText: String { "" }
  static var vectorOperation: Int32? { nil }

  @inline(__always) func applyRow<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ xStride: Int, _ y: UnsafePointer<T>, _ yStride: Int,
    _ out: UnsafeMutablePointer<T>, _ n: Int
  ) { stridedRow(x, xStride, y, yStride, out, n, apply) }

  /// `ż = ∂z/∂x · ẋ + ∂z/∂y · ẏ`.
  public func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    let (dx, dy) = try partials(
      primals[0], primals[1], output, needed: tangents.map { $0 != nil }, b)
    var result: Var?
    if let t = tangents[0], let dx { result = try b.mul(t, dx) }
    if let t = tangents[1], let dy { result = try b.addOptional(result, try b.mul(t, dy)) }
    return result
  }

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
      return Tensor(shape: x.shape, floats: zipElements(a, b, self))
    case (.f64(let a), .f64(let b)):
      return Tensor(shape: x.shape, doubles: zipElements(a, b, self))
    default:
      let a = x.doubles
      let b = y.doubles
      return Tensor(shape: x.shape, doubles: zip(a, b).map { apply($0, $1) })
    }
  }
}

/// An elementwise rule the execution plan can fuse with its neighbours into one loop
/// (``FusedProgram``): it computes `n` results from operands of its own dtype laid out one
/// after another. (One requirement per element type, so each rule's loop is specialised.)
protocol FusibleRule: PrimitiveRule {
  /// `out[i] = f(operands[0][i], operands[1][i], …)` for `i < n`.
  func apply(
    _ operands: UnsafePointer<UnsafePointer<Float>>, _ out: UnsafeMutablePointer<Float>, _ n: Int)
  func apply(
    _ operands: UnsafePointer<UnsafePointer<Double>>, _ out: UnsafeMutablePointer<Double>,
    _ n: Int)
}

extension ElementwiseUnaryRule {
  func apply(
    _ operands: UnsafePointer<UnsafePointer<Float>>, _ out: UnsafeMutablePointer<Float>, _ n: Int
  ) {
    if let kernel = Self.vectorKernel { return kernel(out, operands[0], n) }
    loop(operands, out, n)
  }

  func apply(
    _ operands: UnsafePointer<UnsafePointer<Double>>, _ out: UnsafeMutablePointer<Double>,
    _ n: Int
  ) { loop(operands, out, n) }

  @inline(__always)
  private func loop<T: TensorScalar>(
    _ operands: UnsafePointer<UnsafePointer<T>>, _ out: UnsafeMutablePointer<T>, _ n: Int
  ) {
    let x = operands[0]
    for i in 0..<n { out[i] = apply(x[i]) }
  }
}

extension ElementwiseBinaryRule {
  /// Eight lanes at a time where the CPU has AVX2 and the rule is one of the C kernel's.
  func apply(
    _ operands: UnsafePointer<UnsafePointer<Float>>, _ out: UnsafeMutablePointer<Float>, _ n: Int
  ) {
    if hasVectorKernels, let operation = Self.vectorOperation {
      nabla_sbinary_avx2(operation, out, operands[0], operands[1], n)
    } else {
      loop(operands, out, n)
    }
  }

  func apply(
    _ operands: UnsafePointer<UnsafePointer<Double>>, _ out: UnsafeMutablePointer<Double>,
    _ n: Int
  ) { loop(operands, out, n) }

  @inline(__always)
  private func loop<T: TensorScalar>(
    _ operands: UnsafePointer<UnsafePointer<T>>, _ out: UnsafeMutablePointer<T>, _ n: Int
  ) {
    let (x, y) = (operands[0], operands[1])
    for i in 0..<n { out[i] = apply(x[i], y[i]) }
  }
}

/// An elementwise rule that can read its operands through strides (``StridedView``), so the
/// execution plan can fuse a broadcast into its one consumer instead of materialising it.
protocol StridedOperandsRule: PrimitiveRule {
  /// The result of shape `shape` from operand views of that shape.
  func evaluate(_ operands: [StridedView], shape: [Int]) -> Tensor
}

extension ElementwiseBinaryRule {
  func evaluate(_ operands: [StridedView], shape: [Int]) -> Tensor {
    let (x, y) = (operands[0], operands[1])
    switch (x.tensor.storage, y.tensor.storage) {
    case (.f32(let a), .f32(let b)):
      if let operation = Self.vectorOperation,
        let out = vectorBinary(operation, a, x.strides, b, y.strides, shape: shape)
      {
        return Tensor(shape: shape, floats: out)
      }
      return Tensor(
        shape: shape, floats: stridedZip(a, x.strides, b, y.strides, shape: shape, self))
    case (.f64(let a), .f64(let b)):
      return Tensor(
        shape: shape, doubles: stridedZip(a, x.strides, b, y.strides, shape: shape, self))
    default:
      let contiguous = operands.map { view in
        Tensor(
          shape: shape,
          storage: view.tensor.storage.gathered(offset: 0, shape: shape, strides: view.strides))
      }
      return evaluate(contiguous)
    }
  }
}

// MARK: - Reductions family

/// Removes `axes` by combining their elements.
protocol ReductionRule: OpaqueToStructure {
  static var name: String { get }
  static var kind: ReductionKind { get }
  var axes: [Int] { get }
}

extension ReductionRule {
  public var isElementwise: Bool { false }
  public var parameterText: String { "[axes=\(parameterList(axes))]" }
  public var verb: String { "reduce" }

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

  /// The reduced axes move up by one past the batch axis.
  public func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder)
    throws(Diagnostic) -> Var
  {
    let p: Primitive
    let shifted = axes.map { $0 + 1 }
    switch Self.kind {
    case .sum: p = .reduceSum(axes: shifted)
    case .max: p = .reduceMax(axes: shifted)
    case .min: p = .reduceMin(axes: shifted)
    case .prod: p = .reduceProd(axes: shifted)
    }
    return try b.emit(p, inputs)
  }
}

// MARK: - Element loops

/// The rule's function over every element, through raw pointers (no per-element bounds checks), on the
/// worker pool when large. A transcendental costs about ten cheap operations, so `cost` 8 lets
/// `exp` go parallel from 8K elements.
@inline(__always)
func mapElements<T: TensorScalar, Rule: ElementwiseUnaryRule>(
  _ a: [T], cost: Int = 8, _ rule: Rule
) -> [T] {
  [T](unsafeUninitializedCapacity: a.count) { out, initialized in
    a.withUnsafeBufferPointer { p in
      guard let o = out.baseAddress, let p = p.baseAddress else { return }
      WorkerPool.forEachRange(a.count, costPerItem: cost) { range in
        for i in range { (o + i).initialize(to: rule.apply(p[i])) }
      }
    }
    initialized = a.count
  }
}

/// `kernel` over every element, in chunks on the worker pool when large.
func mapElements(_ a: [Float], cost: Int = 8, _ kernel: VectorUnaryKernel) -> [Float] {
  [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
    a.withUnsafeBufferPointer { p in
      guard let o = out.baseAddress, let p = p.baseAddress else { return }
      WorkerPool.forEachRange(a.count, costPerItem: cost) { range in
        kernel(o + range.lowerBound, p + range.lowerBound, range.count)
      }
    }
    initialized = a.count
  }
}

/// The rule's function over corresponding elements of two arrays of equal length. (The rule,
/// not a closure, is passed so the loop body is specialised and inlined also inside the
/// closure the worker pool runs.)
@inline(__always)
func zipElements<T: TensorScalar, Rule: ElementwiseBinaryRule>(
  _ a: [T], _ b: [T], _ rule: Rule
) -> [T] {
  [T](unsafeUninitializedCapacity: a.count) { out, initialized in
    a.withUnsafeBufferPointer { p in
      b.withUnsafeBufferPointer { q in
        guard let o = out.baseAddress, let p = p.baseAddress, let q = q.baseAddress else { return }
        WorkerPool.forEachRange(a.count) { range in
          for i in range { (o + i).initialize(to: rule.apply(p[i], q[i])) }
        }
      }
    }
    initialized = a.count
  }
}
