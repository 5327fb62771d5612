/// Sorting, and reading and adding through positions computed at run time, along one axis.
///
/// nabla's ``Gather`` reads through a table fixed when the graph is built; these primitives
/// take their positions as an operand instead, so `sort(x)` can be `take_along_axis(x,
/// argsort(x))` and be differentiated, batched and transposed as two primitives (JAX's rule:
/// the tangent of a sort is the tangent gathered by the sorting positions). Positions are
/// whole numbers held in float64 (``SortingKernels``): what ``Argsort`` and ``ArgReduce`` give,
/// and what ``TakeAlongAxis`` and ``ScatterAddAlongAxis`` read (rounded to the nearest whole
/// number, negative ones counted from the end, those outside the axis read as NaN or dropped).
/// Positions are piecewise constant in what they were computed from: they have no derivative,
/// and nothing is linear in them.

/// The axis of `x` along which a rule acts, or an internal error when it has none.
private func checkAxis(_ axis: Int, _ x: TensorType, _ name: String) throws(Diagnostic) {
  guard axis >= 0, axis < x.rank else {
    throw ruleError(name, "axis \(axis) does not fit \(x)")
  }
}

/// The positions that sort each lane along `axis`:
///
///     argsort(x)[…, j, …] = k   where x[…, k, …] is the j-th smallest (largest) of the lane
///
/// Stable (equal elements keep their order) with NaN the largest, as `jnp.argsort` and
/// `torch.sort(stable=True)`, ascending or descending. The result is float64 whatever the
/// operand's dtype (every position is exact), and its derivative is zero.
struct Argsort: PrimitiveRule, OpaqueToStructure {
  let axis: Int
  let descending: Bool
  var primitive: Primitive { .argsort(axis: axis, descending: descending) }
  var isElementwise: Bool { false }
  var linearity: Linearity { .none }
  var parameterText: String {
    "[axis=\(axis)" + (descending ? " descending=True" : "") + "]"
  }
  var verb: String { "sort" }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "argsort")
    try checkAxis(axis, inputs[0], "argsort")
    return TensorType(.f64, inputs[0].shape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    let lanes = AxisLanes(x.shape, axis: axis)
    let positions =
      switch x.storage {
      case .f32(let a): SortingKernels.argsort(a, lanes, descending: descending)
      case .f64(let a): SortingKernels.argsort(a, lanes, descending: descending)
      }
    return Tensor(shape: x.shape, doubles: positions)
  }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  { nil }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(
      .argsort(axis: axis + 1, descending: descending),
      try b.allBatched(inputs, batched, size: size))
  }
}

/// The position of the largest (`largest`) or smallest element of each lane along `axis`,
/// which is removed; O(n), not a sort:
///
///     argmax(x)[…] = the first k with x[…, k, …] = max x[…, :, …]
///
/// The first of equal elements, and the first NaN if the lane has one (a NaN counts as the
/// extreme, as in NumPy, JAX and PyTorch). Float64 positions, zero derivative. Lanes are
/// never empty (the built-ins reject an empty axis).
struct ArgReduce: PrimitiveRule, OpaqueToStructure {
  let axis: Int
  let largest: Bool
  var primitive: Primitive { .argReduce(axis: axis, largest: largest) }
  var isElementwise: Bool { false }
  var linearity: Linearity { .none }
  var parameterText: String { "[axis=\(axis) largest=\(largest ? "True" : "False")]" }
  var verb: String { largest ? "take the argmax of" : "take the argmin of" }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "arg_reduce")
    try checkAxis(axis, inputs[0], "arg_reduce")
    guard inputs[0].shape[axis] > 0 else {
      throw ruleError("arg_reduce", "axis \(axis) of \(inputs[0]) is empty")
    }
    var shape = inputs[0].shape
    shape.remove(at: axis)
    return TensorType(.f64, shape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    let lanes = AxisLanes(x.shape, axis: axis)
    var shape = x.shape
    shape.remove(at: axis)
    let positions =
      switch x.storage {
      case .f32(let a): SortingKernels.argReduce(a, lanes, largest: largest)
      case .f64(let a): SortingKernels.argReduce(a, lanes, largest: largest)
      }
    return Tensor(shape: shape, doubles: positions)
  }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  { nil }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(
      .argReduce(axis: axis + 1, largest: largest), try b.allBatched(inputs, batched, size: size))
  }
}

/// NumPy's `take_along_axis` (PyTorch's `gather`): operands `x` and positions `p` of one rank
/// and equal sizes off `axis`,
///
///     out[…, j, …] = x[…, p[…, j, …], …]          (out has p's shape)
///     d out = take_along_axis(dx, p)               (linear in x, p held fixed)
///     x̄ = scatter_add_along_axis(ū, p)             (the transpose adds into place)
///
/// A negative position counts from the end; one outside the axis reads NaN (JAX's fill; its
/// derivative there is NaN too, where JAX's is 0).
struct TakeAlongAxis: PrimitiveRule, OpaqueToStructure {
  let axis: Int
  var primitive: Primitive { .takeAlongAxis(axis: axis) }
  var isElementwise: Bool { false }
  var linearity: Linearity { .separately([0]) }
  var parameterText: String { "[axis=\(axis)]" }
  var verb: String { "take along an axis of" }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 2, "take_along_axis")
    let (x, p) = (inputs[0], inputs[1])
    try checkAxis(axis, x, "take_along_axis")
    var (a, b) = (x.shape, p.shape)
    if a.count == b.count {
      a[axis] = 0
      b[axis] = 0
    }
    guard a == b else {
      throw ruleError("take_along_axis", "positions \(p) do not fit \(x) off axis \(axis)")
    }
    return x.with(shape: p.shape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let (x, p) = (inputs[0], inputs[1])
    let lanes = AxisLanes(x.shape, axis: axis)
    let positions = p.doubles
    let m = p.shape[axis]
    return switch x.storage {
    case .f32(let a):
      Tensor(
        shape: p.shape, floats: SortingKernels.takeAlongAxis(a, lanes, positions: positions, m: m))
    case .f64(let a):
      Tensor(
        shape: p.shape, doubles: SortingKernels.takeAlongAxis(a, lanes, positions: positions, m: m)
      )
    }
  }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    try tangents[0].map { t throws(Diagnostic) in try b.emit(primitive, [t, primals[1]]) }
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    guard let p = known[1] else {
      throw Diagnostic(
        .internalError("take_along_axis is not linear in its positions"), at: nil)
    }
    let size = types[0].shape[axis]
    return [try b.emit(.scatterAddAlongAxis(axis: axis, size: size), [ct, p]), nil]
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.takeAlongAxis(axis: axis + 1), try b.allBatched(inputs, batched, size: size))
  }
}

/// The transpose of ``TakeAlongAxis``: operands `v` and positions `p` of one shape, added
/// into zeros whose `axis` has `size` elements,
///
///     out[…, p[…, j, …], …] += v[…, j, …]
///     d out = scatter_add_along_axis(dv, p)        (linear in v, p held fixed)
///     v̄ = take_along_axis(ū, p)
///
/// A value whose position is outside the axis is dropped.
struct ScatterAddAlongAxis: PrimitiveRule, OpaqueToStructure {
  let axis: Int
  let size: Int
  var primitive: Primitive { .scatterAddAlongAxis(axis: axis, size: size) }
  var isElementwise: Bool { false }
  var linearity: Linearity { .separately([0]) }
  var parameterText: String { "[axis=\(axis) size=\(size)]" }
  var verb: String { "scatter along an axis of" }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 2, "scatter_add_along_axis")
    let (v, p) = (inputs[0], inputs[1])
    try checkAxis(axis, v, "scatter_add_along_axis")
    guard v.shape == p.shape, size >= 0 else {
      throw ruleError(
        "scatter_add_along_axis", "positions \(p) do not fit \(v), or size \(size) is negative")
    }
    var shape = v.shape
    shape[axis] = size
    guard Shape.elementCount(shape) != nil else {
      throw Diagnostic(.sizeOverflow("\(shape)"), at: nil)
    }
    return v.with(shape: shape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let (v, p) = (inputs[0], inputs[1])
    let lanes = AxisLanes(v.shape, axis: axis)
    var shape = v.shape
    shape[axis] = size
    let positions = p.doubles
    return switch v.storage {
    case .f32(let a):
      Tensor(
        shape: shape,
        floats: SortingKernels.scatterAddAlongAxis(a, lanes, positions: positions, size: size))
    case .f64(let a):
      Tensor(
        shape: shape,
        doubles: SortingKernels.scatterAddAlongAxis(a, lanes, positions: positions, size: size))
    }
  }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder)
    throws(Diagnostic) -> Var?
  {
    try tangents[0].map { t throws(Diagnostic) in try b.emit(primitive, [t, primals[1]]) }
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    guard let p = known[1] else {
      throw Diagnostic(
        .internalError("scatter_add_along_axis is not linear in its positions"), at: nil)
    }
    return [try b.emit(.takeAlongAxis(axis: axis), [ct, p]), nil]
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(
      .scatterAddAlongAxis(axis: axis + 1, size: self.size),
      try b.allBatched(inputs, batched, size: size))
  }
}

// MARK: - Structure

extension Argsort {
  /// A lane of one element sorts to position 0; longer lanes of equal elements count up.
  func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    values[0] != nil && inputs[0].shape[axis] == 1 && output.count > 0 ? 0 : nil
  }

  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension ArgReduce {
  /// Equal elements: the first.
  func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    values[0] != nil && output.count > 0 ? 0 : nil
  }

  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension TakeAlongAxis {
  /// `u` read through one position `k`: `u`, or NaN when `k` is outside the axis. (With the
  /// positions unknown, a position outside the axis may read NaN, so nothing is claimed.)
  func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let u = values[0], let k = values[1], output.count > 0 else { return nil }
    return AxisLanes.element(k, in: inputs[0].shape[axis]) == nil ? .nan : u
  }

  /// An element depends on every element of its lane of `x` (the positions are not known
  /// when sparsity is detected), and not on the positions, which have no derivative.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try lanesUnited(
      operands[0].sets, AxisLanes(operands[0].type.shape, axis: axis),
      output: AxisLanes(output.shape, axis: axis), limits: limits)
  }
}

extension ScatterAddAlongAxis {
  /// Sums of zeros are zero; into an axis of one element, every value in range adds up.
  func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let u = values[0], output.count > 0 else { return nil }
    if u == 0 { return 0 }
    guard size == 1, let k = values[1] else { return nil }
    let n = inputs[0].shape[axis]
    return AxisLanes.element(k, in: size) == nil ? 0 : output.dtype.rounded(u * Double(n))
  }

  /// An element depends on every value of its lane (wherever the positions send them).
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try lanesUnited(
      operands[0].sets, AxisLanes(operands[0].type.shape, axis: axis),
      output: AxisLanes(output.shape, axis: axis), limits: limits)
  }
}

/// Each element of lane `(o, i)` of `output` depending on the union of lane `(o, i)` of `x`.
private func lanesUnited(
  _ x: DependencySets, _ lanes: AxisLanes, output: AxisLanes, limits: DependencyLimits
) throws(DenseDependence) -> DependencySets {
  var united = DependencySetsBuilder(limits: limits, capacity: lanes.laneCount)
  for lane in 0..<lanes.laneCount {
    let (o, i) = lane.quotientAndRemainder(dividingBy: max(lanes.inner, 1))
    for k in 0..<lanes.n { try united.collect(x[lanes.position(o, k, i)]) }
    try united.appendCollected()
  }
  var out = DependencySetsBuilder(limits: limits, capacity: output.outer * output.n * output.inner)
  for o in 0..<output.outer {
    for _ in 0..<output.n {
      for i in 0..<output.inner { try out.append(united.sets[o * output.inner + i]) }
    }
  }
  return out.sets
}
