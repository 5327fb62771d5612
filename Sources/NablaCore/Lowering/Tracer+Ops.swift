/// Tensor operations with NumPy semantics, emitted as primitives with explicit broadcasts and
/// conversions. Every user-facing shape check happens here, with the source ranges at hand.
extension Tracer {
  // MARK: - Values

  /// A value as a tensor: integers and booleans become weak scalars of the default dtype.
  func asTraced(_ v: Value, _ range: SourceRange, context: String) throws(Diagnostic) -> Traced {
    switch v {
    case .traced(let t): return t
    case .tensor(let t): return try liftInput(t)
    case .int(let n): return try scalar(Double(n), .f64, weak: true, kind: .integer)
    case .bool(let b): return try scalar(b ? 1 : 0, defaultDType, weak: true, kind: .boolean)
    case .tuple(let items) where !items.isEmpty:
      var parts: [Traced] = []
      for item in items { parts.append(try asTraced(item, range, context: context)) }
      return try stack(parts, axis: 0, range)
    case .sparse:
      throw Diagnostic(
        .notATensor(
          v.typeDescription, in: context,
          help: "a sparse matrix prints, saves and draws (spy); todense(S) gives its dense tensor"),
        at: range)
    default:
      throw Diagnostic(.notATensor(v.typeDescription, in: context), at: range)
    }
  }

  /// A value as an integer known while tracing (an integer-valued constant scalar counts).
  func staticInt(_ v: Value, _ range: SourceRange, context: String) throws(Diagnostic) -> Int {
    switch v {
    case .int(let n): return n
    case .bool(let b): return b ? 1 : 0
    case .traced(let t):
      if let x = t.scalar, t.type.rank == 0, x.rounded() == x, let n = Int(exactly: x) { return n }
      throw Diagnostic(.notAnInteger(v.typeDescription, in: context), at: range)
    default:
      throw Diagnostic(.notAnInteger(v.typeDescription, in: context), at: range)
    }
  }

  /// A value as a real number known while tracing.
  func staticDouble(_ v: Value, _ range: SourceRange, context: String) throws(Diagnostic) -> Double
  {
    switch v {
    case .int(let n): return Double(n)
    case .bool(let b): return b ? 1 : 0
    case .traced(let t):
      if let x = t.scalar { return x }
    case .tensor(let t) where t.count == 1: return t[flat: 0]
    default: break
    }
    throw Diagnostic(
      .wrongType(context, expected: "a number known before evaluation", got: v.typeDescription),
      at: range)
  }

  /// Checks that a shape is non-negative and its size fits the memory limit.
  func checkShape(_ shape: [Int], _ range: SourceRange) throws(Diagnostic) {
    if let d = shape.first(where: { $0 < 0 }) {
      throw Diagnostic(.invalidShape("size \(d) is negative"), at: range)
    }
    guard let n = Shape.elementCount(shape) else {
      throw Diagnostic(
        .sizeOverflow("(" + shape.map(String.init).joined(separator: ", ") + ")"), at: range)
    }
    let (bytes, overflow) = n.multipliedReportingOverflow(by: 8)
    guard !overflow, bytes <= session.options.memoryLimit else {
      throw Diagnostic(
        .memoryLimitExceeded(bytes: overflow ? .max : bytes, limit: session.options.memoryLimit),
        at: range)
    }
  }

  func constant(_ t: Tensor, weak: Bool = false) throws(Diagnostic) -> Traced {
    var r = traced(try builder.constant(t))
    r.isWeak = weak
    r.kind = t.kind
    return r
  }

  /// A value of this tracer's graph.
  func traced(_ v: Var) -> Traced {
    let c = builder.constantValue(v)
    return Traced(
      v: v, type: builder.type(of: v), builder: builder.id,
      scalar: c.flatMap { $0.count == 1 ? $0[flat: 0] : nil })
  }

  /// A 0-d constant. Without a `kind`, a weak whole number is an integer, as a Python int is:
  /// the constants lowering writes (`0`, `1`) keep integer tensors integer.
  func scalar(
    _ x: Double, _ dtype: DType, weak: Bool = false, kind: ElementKind? = nil
  ) throws(Diagnostic) -> Traced {
    var t = Tensor(scalar: x, dtype: dtype)
    let whole = x.rounded() == x && Swift.abs(x) < ElementKind.exactIntegerLimit
    t.kind = kind ?? (weak && whole ? .integer : .float)
    return try constant(t, weak: weak)
  }

  /// Emits one equation; the result's kind follows the primitive's ``Primitive/KindRule``,
  /// or is `kind` when given (integer arithmetic computed through real-valued primitives).
  func emit(
    _ p: Primitive, _ inputs: [Traced], _ range: SourceRange?, kind: ElementKind? = nil
  ) throws(Diagnostic) -> Traced {
    if case .neg = p, inputs.first?.kind == .boolean {
      throw Diagnostic(
        .invalidArgument(
          "-", "negating truth values is not supported",
          help: "not m (or !m) is true where m is false"),
        at: range)
    }
    var operands = inputs
    var resultKind = kind ?? .float
    if kind == nil {
      switch p.kindRule {
      case .float:
        for i in operands.indices where operands[i].kind != .float {
          operands[i] = try realValued(operands[i], range)
        }
      case .boolean: resultKind = .boolean
      case .integer: resultKind = .integer
      case .operands, .counting:
        resultKind = p.dataOperands(operands).map(\.kind).max() ?? .float
        if case .counting = p.kindRule, resultKind == .boolean { resultKind = .integer }
        if resultKind == .integer {
          // integers are exact in float64 only
          for i in operands.indices where operands[i].type.dtype != .f64 {
            if case .select = p, i == 0 { continue }
            operands[i] = try convert(operands[i], to: .f64, range)
          }
        }
      }
    }
    var vars: [Var] = []
    for x in operands { vars.append(try adopt(x).v) }
    var t = traced(try builder.emit(p, vars, source: range))
    t.isWeak = operands.allSatisfy(\.isWeak) && !operands.isEmpty
    t.kind = resultKind
    return t
  }

  /// `x` as real numbers: integers and truth values become floats of the default dtype.
  func realValued(_ x: Traced, _ range: SourceRange?) throws(Diagnostic) -> Traced {
    guard x.kind != .float else { return x }
    var t = try convert(x, to: defaultDType, range)
    t.kind = .float
    return t
  }

  // MARK: - Elementwise

  /// The same elements in another float dtype, of the same kind.
  func convert(_ x: Traced, to dtype: DType, _ range: SourceRange?) throws(Diagnostic) -> Traced {
    if x.type.dtype == dtype { return x }
    var t = try emit(.convert(dtype), [x], range, kind: x.kind)
    t.isWeak = x.isWeak
    return t
  }

  /// The operands made one kind and dtype, PyTorch's `torch.result_type` (``TypePromotion``).
  func unifyDTypes(_ xs: [Traced], _ range: SourceRange?) throws(Diagnostic) -> [Traced] {
    let (kind, dtype) = TypePromotion.result(of: xs, defaultDType: defaultDType)
    var out: [Traced] = []
    for x in xs {
      var t = try convert(x, to: dtype, range)
      t.kind = kind
      out.append(t)
    }
    return out
  }

  /// Broadcasts `x` to `shape` (NumPy rules; the caller has checked compatibility).
  func broadcast(_ x: Traced, to shape: [Int], _ range: SourceRange?) throws(Diagnostic) -> Traced {
    if x.type.shape == shape { return x }
    let offset = shape.count - x.type.rank
    var t = try emit(
      .broadcast(shape: shape, dims: (0..<x.type.rank).map { $0 + offset }), [x], range)
    t.isWeak = x.isWeak
    return t
  }

  func unary(_ p: Primitive, _ x: Traced, _ range: SourceRange?) throws(Diagnostic) -> Traced {
    try emit(p, [x], range)
  }

  /// A binary elementwise operation with broadcasting and type promotion.
  func elementwise(
    _ p: Primitive, _ a: Traced, _ b: Traced, _ opRange: SourceRange,
    _ lhs: SourceRange?, _ rhs: SourceRange?, kind: ElementKind? = nil
  ) throws(Diagnostic) -> Traced {
    let unified = try unifyDTypes([a, b], opRange)
    guard let shape = Shape.broadcast(a.type.shape, b.type.shape) else {
      throw Diagnostic(.incompatibleShapes(p.rule.verb, a.type, b.type), at: opRange)
        .labeled(lhs).labeled(rhs)
    }
    let x = try broadcast(unified[0], to: shape, opRange)
    let y = try broadcast(unified[1], to: shape, opRange)
    guard x.kind == .boolean, kind == nil else { return try emit(p, [x, y], opRange, kind: kind) }
    // truth values: `+` is `or` and `*` is `and` (PyTorch and NumPy); `-` has no meaning
    switch p {
    case .add: return try emit(.max, [x, y], opRange)
    case .sub:
      throw Diagnostic(
        .invalidArgument(
          "-", "subtracting truth values is not supported",
          help: "a != b is true where exactly one is; int64(a) - int64(b) subtracts them as numbers"
        ),
        at: opRange)
    default: return try emit(p, [x, y], opRange)
    }
  }

  /// `x ^ y`; small integer exponents become products, which are exact and differentiate
  /// everywhere (including at x = 0).
  func power(
    _ base: Traced, _ y: Traced, _ opRange: SourceRange, _ lhs: SourceRange?, _ rhs: SourceRange?
  ) throws(Diagnostic) -> Traced {
    // an integer to a float power is a float; integers to integer powers stay integers, except
    // Python's numbers (`2^-1` is 0.5)
    let x = y.kind == .float ? try realValued(base, opRange) : base
    let (kind, _) = TypePromotion.result(of: [x, y], defaultDType: defaultDType)
    if kind != .float, !(x.isWeak && y.isWeak) {
      return try integerPower(x, y, opRange, lhs, rhs)
    }
    if let e = y.scalar, y.type.rank == 0, y.isWeak || y.type.dtype == x.type.dtype {
      if e == 1 { return x }
      if e == 2 { return try elementwise(.mul, x, x, opRange, lhs, lhs) }
      if e == 3 {
        let sq = try elementwise(.mul, x, x, opRange, lhs, lhs)
        return try elementwise(.mul, sq, x, opRange, lhs, lhs)
      }
      if e == 0.5 { return try unary(.sqrt, x, opRange) }
      if e == -1 {
        let one = try scalar(1, x.type.dtype, weak: true)
        return try elementwise(.div, one, x, opRange, rhs, lhs)
      }
    }
    return try elementwise(.pow, x, y, opRange, lhs, rhs)
  }

  /// An integer to an integer power stays an integer, as in PyTorch: computed in float64 and
  /// made an integer toward zero (`2^-1` of tensors is 0, as C's integers give); a negative
  /// Python number as the exponent is an error, as in PyTorch.
  private func integerPower(
    _ x: Traced, _ y: Traced, _ opRange: SourceRange, _ lhs: SourceRange?, _ rhs: SourceRange?
  ) throws(Diagnostic) -> Traced {
    if y.isWeak, let e = y.scalar, e < 0 {
      throw Diagnostic(
        .invalidArgument(
          "^", "integers to negative integer powers are not allowed",
          help: "a float base gives the fraction: float64(x)^-1"),
        at: opRange
      ).labeled(rhs)
    }
    if let e = y.scalar, e == 2 {
      return try cast(try elementwise(.mul, x, x, opRange, lhs, lhs), to: .int64, opRange)
    }
    let real = try elementwise(.pow, x, y, opRange, lhs, rhs, kind: .float)
    return try cast(real, to: .int64, opRange)
  }

  /// `where(c, a, b)` with all three broadcast together.
  func select(
    _ c: Traced, _ a: Traced, _ b: Traced, _ range: SourceRange
  ) throws(Diagnostic) -> Traced {
    let ab = try unifyDTypes([a, b], range)
    guard let s1 = Shape.broadcast(c.type.shape, a.type.shape),
      let shape = Shape.broadcast(s1, b.type.shape)
    else {
      throw Diagnostic(
        .shapeMismatch("cannot broadcast condition \(c.type), \(a.type) and \(b.type) together"),
        at: range)
    }
    let cc = try broadcast(try convert(c, to: ab[0].type.dtype, range), to: shape, range)
    return try emit(
      .select,
      [cc, try broadcast(ab[0], to: shape, range), try broadcast(ab[1], to: shape, range)], range)
  }

  // MARK: - Shapes

  func reshape(_ x: Traced, _ shape: [Int], _ range: SourceRange?) throws(Diagnostic) -> Traced {
    if x.type.shape == shape { return x }
    var t = try emit(.reshape(shape: shape), [x], range)
    t.isWeak = x.isWeak
    t.kind = x.kind
    return t
  }

  /// `permutation == nil` reverses the axes (NumPy's `.T`).
  func transposed(_ x: Traced, _ permutation: [Int]?, _ range: SourceRange?) throws(Diagnostic)
    -> Traced
  {
    let p = permutation ?? Array((0..<x.type.rank).reversed())
    if p == Array(0..<x.type.rank) { return x }
    var t = try emit(.transpose(permutation: p), [x], range)
    t.kind = x.kind
    return t
  }

  /// A normalised axis, or a diagnostic naming the rank.
  func axis(_ a: Int, rank: Int, _ range: SourceRange) throws(Diagnostic) -> Int {
    guard let n = Shape.normalize(axis: a, rank: rank) else {
      throw Diagnostic(.axisOutOfRange(a, rank: rank), at: range)
    }
    return n
  }

  /// Normalised, de-duplicated axes; `nil` means all.
  func axes(_ list: [Int]?, rank: Int, _ range: SourceRange) throws(Diagnostic) -> [Int] {
    guard let list else { return Array(0..<rank) }
    var out: [Int] = []
    for a in list {
      let n = try axis(a, rank: rank, range)
      guard !out.contains(n) else {
        throw Diagnostic(.invalidArgument("dim", "axis \(a) appears twice"), at: range)
      }
      out.append(n)
    }
    return out.sorted()
  }

  /// A reduction over `axes`, keeping them as size-1 axes when `keepdim`.
  func reduce(
    _ make: ([Int]) -> Primitive, _ x: Traced, _ axes: [Int], keepdim: Bool, _ range: SourceRange?
  ) throws(Diagnostic) -> Traced {
    var r = axes.isEmpty ? x : try emit(make(axes), [x], range)
    if keepdim {
      var shape = x.type.shape
      for a in axes { shape[a] = 1 }
      r = try reshape(r, shape, range)
    }
    return r
  }

  /// Inserts a size-1 axis at `axis` (already normalised for rank + 1).
  func unsqueeze(_ x: Traced, _ axis: Int, _ range: SourceRange?) throws(Diagnostic) -> Traced {
    var shape = x.type.shape
    shape.insert(1, at: axis)
    return try reshape(x, shape, range)
  }

  func concatenate(_ xs: [Traced], axis: Int, _ range: SourceRange) throws(Diagnostic) -> Traced {
    guard let first = xs.first else {
      throw Diagnostic(.invalidArgument("concat", "needs at least one tensor"), at: range)
    }
    let unified = try unifyDTypes(xs, range)
    let a = try self.axis(axis, rank: first.type.rank, range)
    for x in xs {
      var s1 = x.type.shape
      var s2 = first.type.shape
      guard s1.count == s2.count else {
        throw Diagnostic(
          .shapeMismatch("cannot concatenate \(first.type) and \(x.type): ranks differ"), at: range)
      }
      s1[a] = 0
      s2[a] = 0
      guard s1 == s2 else {
        throw Diagnostic(
          .shapeMismatch("cannot concatenate \(first.type) and \(x.type) along axis \(a)"),
          at: range)
      }
    }
    return unified.count == 1 ? unified[0] : try emit(.concatenate(axis: a), unified, range)
  }

  func stack(_ xs: [Traced], axis: Int, _ range: SourceRange) throws(Diagnostic) -> Traced {
    guard let first = xs.first else {
      throw Diagnostic(.invalidArgument("stack", "needs at least one tensor"), at: range)
    }
    for x in xs where x.type.shape != first.type.shape {
      throw Diagnostic(
        .shapeMismatch("cannot stack \(first.type) and \(x.type): shapes differ"), at: range)
    }
    let a = try self.axis(axis, rank: first.type.rank + 1, range)
    var parts: [Traced] = []
    for x in xs { parts.append(try unsqueeze(x, a, range)) }
    return try concatenate(parts, axis: a, range)
  }

  // MARK: - Matrix product

  /// NumPy `matmul` as one contraction: vector·vector is the dot product, a matrix (or batch)
  /// times a vector or a vector times one contracts the vector's axis, and batches of matrices
  /// pair their leading axes (broadcast when they differ; a single matrix meets a batch
  /// without being copied for every item).
  func matmul(
    _ a: Traced, _ b: Traced, _ opRange: SourceRange, _ lhs: SourceRange?, _ rhs: SourceRange?
  ) throws(Diagnostic) -> Traced {
    let ab = try unifyDTypes([a, b], opRange)
    var x = ab[0]
    var y = ab[1]
    let (ra, rb) = (x.type.rank, y.type.rank)
    let k1 = x.type.shape[ra - 1]
    let k2 = y.type.shape[rb == 1 ? 0 : rb - 2]
    guard k1 == k2 else {
      throw Diagnostic(.matmulMismatch(a.type, b.type, k1, k2), at: opRange)
        .labeled(lhs).labeled(rhs)
    }
    if ra == 1 || rb == 1 || (ra == 2 && rb > 2) || (ra > 2 && rb == 2) {
      // no batch axes to pair: contract the shared axis; the free axes come out in order
      let dims = DotDimensions(
        lhsBatch: [], rhsBatch: [], lhsContract: [ra - 1], rhsContract: [rb == 1 ? 0 : rb - 2])
      let r = try emit(.dotGeneral(dims), [x, y], opRange)
      guard ra == 2, rb > 2 else { return r }
      // [m, batch…, n] → [batch…, m, n]
      return try transposed(r, Array(1..<rb).dropLast() + [0, rb - 1], opRange)
    }
    let batchA = Array(x.type.shape.dropLast(2))
    let batchB = Array(y.type.shape.dropLast(2))
    guard let batch = Shape.broadcast(batchA, batchB) else {
      throw Diagnostic(.incompatibleShapes("multiply", a.type, b.type), at: opRange)
        .labeled(lhs).labeled(rhs)
    }
    let m = x.type.shape[ra - 2]
    let n = y.type.shape[rb - 1]
    x = try broadcast(x, to: batch + [m, k1], opRange)
    y = try broadcast(y, to: batch + [k2, n], opRange)
    return try emit(.dotGeneral(.matmul(rank: batch.count + 2)), [x, y], opRange)
  }

  /// The elements of a constant vector of this trace when all are whole numbers (a list
  /// literal such as `[1, 0, 2]`), else `nil`.
  func constantWholeNumbers(_ x: Traced) -> [Int]? {
    guard x.builder == builder.id, let values = builder.constantValue(x.v) else { return nil }
    var out: [Int] = []
    for value in values.doubles {
      guard value == value.rounded(), abs(value) < 9.0e15 else { return nil }
      out.append(Int(value))
    }
    return out
  }
}
