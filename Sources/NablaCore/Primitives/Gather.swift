/// `out[i] = x[table[i]]` over flat (row-major) positions, 0 where `table[i] = −1`; the output
/// has `shape`. Linear; its transpose is ``ScatterAdd`` with the same table.
struct Gather: PrimitiveRule, OpaqueToStructure {
  let table: ElementTable
  let shape: [Int]
  var primitive: Primitive { .gather(table, shape: shape) }
  var isElementwise: Bool { false }
  var arrangesElements: Bool { true }
  var linearity: Linearity { .all }
  var parameterText: String { "[\(table) shape=\(parameterList(shape))]" }
  var verb: String { "gather" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    try tangents[0].map { t throws(Diagnostic) in try b.emit(primitive, [t]) }
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [try b.emit(.scatterAdd(table, shape: types[0].shape), [ct])]
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    let x = try b.allBatched(inputs, batched, size: size)[0]
    let stride = b.type(of: x).count / max(size, 1)
    return try b.emit(
      .gather(table.batched(size: size, stride: stride), shape: [size] + shape), [x])
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "gather")
    guard (Shape.elementCount(shape) ?? -1) == table.positions.count, table.fits(inputs[0].count)
    else {
      throw ruleError("gather", "a table of \(table) does not fit \(inputs[0]) and \(shape)")
    }
    return inputs[0].with(shape: shape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    switch inputs[0].storage {
    case .f32(let a): Tensor(shape: shape, floats: gathered(a))
    case .f64(let a): Tensor(shape: shape, doubles: gathered(a))
    }
  }

  /// The positions fit `x` (``outputType(_:)`` checked them), so they are read unchecked,
  /// shared out to the worker pool.
  private func gathered<T: TensorScalar>(_ x: [T]) -> [T] {
    let positions = table.positions
    let hasEmpty = table.hasEmpty
    let runs = table.runs
    return [T](unsafeUninitializedCapacity: positions.count) { out, initialized in
      defer { initialized = positions.count }
      x.withUnsafeBufferPointer { x in
        positions.withUnsafeBufferPointer { p in
          guard let o = out.baseAddress, let x = x.baseAddress, let p = p.baseAddress else {
            out.initialize(repeating: T.zero)
            return
          }
          WorkerPool.forEachRange(positions.count, costPerItem: 2) { range in
            if let runs {
              runs.gather(x, p, into: o, range)
            } else if hasEmpty {
              for i in range { (o + i).initialize(to: p[i] < 0 ? T.zero : x[p[i]]) }
            } else {
              for i in range { (o + i).initialize(to: x[p[i]]) }
            }
          }
        }
      }
    }
  }
}

/// `out[table[i]] += x[i]` over flat positions into zeros of `shape`, skipping `table[i] = −1`.
/// Linear; its transpose is ``Gather`` with the same table.
struct ScatterAdd: PrimitiveRule, OpaqueToStructure {
  let table: ElementTable
  let shape: [Int]
  var primitive: Primitive { .scatterAdd(table, shape: shape) }
  var isElementwise: Bool { false }
  var linearity: Linearity { .all }
  var parameterText: String { "[\(table) shape=\(parameterList(shape))]" }
  var verb: String { "scatter" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    try tangents[0].map { t throws(Diagnostic) in try b.emit(primitive, [t]) }
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [try b.emit(.gather(table, shape: types[0].shape), [ct])]
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    let x = try b.allBatched(inputs, batched, size: size)[0]
    let stride = Shape.elementCount(shape) ?? 0
    return try b.emit(
      .scatterAdd(table.batched(size: size, stride: stride), shape: [size] + shape), [x])
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "scatter_add")
    guard inputs[0].count == table.positions.count, table.fits((Shape.elementCount(shape) ?? -1))
    else {
      throw ruleError("scatter_add", "a table of \(table) does not fit \(inputs[0]) and \(shape)")
    }
    return inputs[0].with(shape: shape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    switch inputs[0].storage {
    case .f32(let a): Tensor(shape: shape, floats: scattered(a))
    case .f64(let a): Tensor(shape: shape, doubles: scattered(a))
    }
  }

  private func scattered<T: TensorScalar>(_ x: [T]) -> [T] {
    var out = [T](repeating: T.zero, count: Shape.elementCount(shape) ?? 0)
    for (i, p) in table.positions.enumerated() where p >= 0 { out[p] += x[i] }
    return out
  }
}
