/// Changes the element type; float64 → float32 rounds to nearest. Linear.
struct Convert: LinearUnaryRule {
  let dtype: DType
  var primitive: Primitive { .convert(dtype) }
  var isElementwise: Bool { true }
  var parameterText: String { "[\(dtype.rawValue)]" }
  var verb: String { "convert" }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [try b.emit(.convert(types[0].dtype), [ct])]
  }
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "convert")
    return inputs[0].with(dtype: dtype)
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { inputs[0].converted(to: dtype) }
}

/// `out[i] = x[j]` where `j[k] = i[dims[k]]`, or 0 where operand axis k has size 1. Linear;
/// its transpose sums the cotangent over the axes the broadcast created or stretched.
struct Broadcast: LinearUnaryRule {
  let shape: [Int]
  let dims: [Int]
  var primitive: Primitive { .broadcast(shape: shape, dims: dims) }
  var isElementwise: Bool { false }
  var parameterText: String { "[shape=\(parameterList(shape)) dims=\(parameterList(dims))]" }
  var verb: String { "broadcast" }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    let operand = types[0].shape
    let kept = Set(dims)
    var axes = (0..<shape.count).filter { !kept.contains($0) }
    for (k, d) in dims.enumerated() where operand[k] == 1 && shape[d] != 1 { axes.append(d) }
    return [try b.reshape(try b.reduceSum(ct, axes.sorted()), operand)]
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.broadcast(shape: [size] + shape, dims: [0] + dims.map { $0 + 1 }), inputs)
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "broadcast")
    let x = inputs[0]
    guard dims.count == x.rank, zip(dims, dims.dropFirst()).allSatisfy({ $0 < $1 }),
      dims.allSatisfy({ $0 >= 0 && $0 < shape.count }),
      zip(x.shape, dims).allSatisfy({ $0 == 1 || $0 == shape[$1] })
    else { throw ruleError("broadcast", "cannot broadcast \(x) to \(shape) with dims \(dims)") }
    return x.with(shape: shape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    // only unit axes added: the same elements in the same order
    if let count = Shape.elementCount(shape), Shape.elementCount(x.shape) == count {
      return x.reshaped(shape)
    }
    return Tensor(
      shape: shape,
      storage: x.storage.gathered(offset: 0, shape: shape, strides: strides(operand: x.shape)))
  }

  /// The strides that read the operand (of shape `operand`, row-major unless its own strides
  /// are given) as the output: 0 along new and stretched axes.
  func strides(operand: [Int], operandStrides: [Int]? = nil) -> [Int] {
    let inStrides = operandStrides ?? Shape.strides(operand)
    var strides = Array(repeating: 0, count: shape.count)
    for (k, d) in dims.enumerated() where operand[k] != 1 { strides[d] = inStrides[k] }
    return strides
  }
}

/// The same elements in row-major order under a new shape of equal size. Linear.
struct Reshape: LinearUnaryRule {
  let shape: [Int]
  var primitive: Primitive { .reshape(shape: shape) }
  var isElementwise: Bool { false }
  var parameterText: String { "[shape=\(parameterList(shape))]" }
  var verb: String { "reshape" }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [try b.reshape(ct, types[0].shape)]
  }
  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.reshape(shape: [size] + shape), inputs)
  }
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "reshape")
    guard Shape.elementCount(shape) == inputs[0].count else {
      throw ruleError("reshape", "cannot reshape \(inputs[0]) to \(shape)")
    }
    return inputs[0].with(shape: shape)
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { inputs[0].reshaped(shape) }
}

/// Output axis i is operand axis `permutation[i]`. Linear; transposed by the inverse
/// permutation.
struct Transpose: LinearUnaryRule {
  let permutation: [Int]
  var primitive: Primitive { .transpose(permutation: permutation) }
  var isElementwise: Bool { false }
  var parameterText: String { "[permutation=\(parameterList(permutation))]" }
  var verb: String { "transpose" }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    var inverse = permutation
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    return [try b.transpose(ct, inverse)]
  }
  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.transpose(permutation: [0] + permutation.map { $0 + 1 }), inputs)
  }
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "transpose")
    let x = inputs[0]
    guard permutation.sorted() == Array(0..<x.rank) else {
      throw ruleError("transpose", "\(permutation) is not a permutation of \(x.rank) axes")
    }
    return x.with(shape: permutation.map { x.shape[$0] })
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    let strides = Shape.strides(x.shape)
    let shape = permutation.map { x.shape[$0] }
    return Tensor(
      shape: shape,
      storage: x.storage.gathered(offset: 0, shape: shape, strides: permutation.map { strides[$0] })
    )
  }
}

/// Elements `start`, `start + stride`, … below `limit` on each axis. Linear; transposed by
/// zero padding back into place.
struct Slice: LinearUnaryRule {
  let start: [Int]
  let limit: [Int]
  let stride: [Int]
  var primitive: Primitive { .slice(start: start, limit: limit, stride: stride) }
  var isElementwise: Bool { false }
  var parameterText: String {
    "[start=\(parameterList(start)) limit=\(parameterList(limit)) stride=\(parameterList(stride))]"
  }
  var verb: String { "slice" }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    let input = types[0].shape
    let out = outputShape
    if out.contains(0) { return [try b.zeros(types[0])] }
    var high: [Int] = []
    for i in 0..<input.count {
      let last = start[i] + (out[i] - 1) * stride[i]
      high.append(input[i] - last - 1)
    }
    return [try b.emit(.pad(low: start, high: high, interior: stride.map { $0 - 1 }), [ct])]
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.slice(start: [0] + start, limit: [size] + limit, stride: [1] + stride), inputs)
  }

  var outputShape: [Int] {
    (0..<start.count).map { Swift.max(0, (limit[$0] - start[$0] + stride[$0] - 1) / stride[$0]) }
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "slice")
    let x = inputs[0]
    guard start.count == x.rank, limit.count == x.rank, stride.count == x.rank,
      (0..<x.rank).allSatisfy({
        start[$0] >= 0 && start[$0] <= limit[$0] && limit[$0] <= x.shape[$0] && stride[$0] >= 1
      })
    else { throw ruleError("slice", "bounds \(start)..<\(limit) by \(stride) do not fit \(x)") }
    return x.with(shape: outputShape)
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    let strides = Shape.strides(x.shape)
    let offset = zip(start, strides).reduce(0) { $0 + $1.0 * $1.1 }
    let shape = outputShape
    return Tensor(
      shape: shape,
      storage: x.storage.gathered(
        offset: offset, shape: shape, strides: zip(strides, stride).map { $0 * $1 }))
  }
}

/// Zero padding: `low[i]` zeros before, `high[i]` after and `interior[i]` between elements.
/// Linear; transposed by slicing the operand's elements back out.
struct Pad: LinearUnaryRule {
  let low: [Int]
  let high: [Int]
  let interior: [Int]
  var primitive: Primitive { .pad(low: low, high: high, interior: interior) }
  var isElementwise: Bool { false }
  var parameterText: String {
    "[low=\(parameterList(low)) high=\(parameterList(high)) interior=\(parameterList(interior))]"
  }
  var verb: String { "pad" }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    let n = types[0].shape
    if n.contains(0) { return [try b.zeros(types[0])] }
    var limit: [Int] = []
    for i in 0..<n.count {
      let last = low[i] + (n[i] - 1) * (interior[i] + 1)
      limit.append(last + 1)
    }
    return [try b.emit(.slice(start: low, limit: limit, stride: interior.map { $0 + 1 }), [ct])]
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.pad(low: [0] + low, high: [0] + high, interior: [0] + interior), inputs)
  }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "pad")
    let x = inputs[0]
    guard low.count == x.rank, high.count == x.rank, interior.count == x.rank,
      (low + high + interior).allSatisfy({ $0 >= 0 })
    else { throw ruleError("pad", "padding \(low), \(high), \(interior) does not fit \(x)") }
    var shape: [Int] = []
    for a in 0..<x.rank {
      guard let n = paddedSize(a, x.shape[a]) else {
        throw Diagnostic(.sizeOverflow("\(x)"), at: nil)
      }
      shape.append(n)
    }
    return x.with(shape: shape)
  }

  /// `low + high + n + (n − 1)·interior`, or `nil` on overflow.
  private func paddedSize(_ axis: Int, _ n: Int) -> Int? {
    let (inner, o1) = Swift.max(0, n - 1).multipliedReportingOverflow(by: interior[axis])
    let (a, o2) = inner.addingReportingOverflow(n)
    let (b, o3) = a.addingReportingOverflow(low[axis])
    let (c, o4) = b.addingReportingOverflow(high[axis])
    return o1 || o2 || o3 || o4 ? nil : c
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    let shape = (0..<x.rank).map { paddedSize($0, x.shape[$0]) ?? 0 }
    switch x.storage {
    case .f32(let a): return Tensor(shape: shape, storage: .f32(padded(a, x.shape, shape)))
    case .f64(let a): return Tensor(shape: shape, storage: .f64(padded(a, x.shape, shape)))
    }
  }

  /// Zeros of `shape` with the operand's elements scattered to their padded positions: runs
  /// of the last axis copied whole when nothing is put between its elements. Runs land at
  /// increasing offsets, so each gap is zeroed once, as the output is written in order.
  private func padded<T: TensorScalar>(_ values: [T], _ operand: [Int], _ shape: [Int]) -> [T] {
    let count = shape.reduce(1, *)
    guard let last = operand.indices.last else { return values }
    guard !values.isEmpty else { return [T](repeating: 0, count: count) }
    let outStrides = Shape.strides(shape)
    let run = interior[last] == 0 ? operand[last] : 1
    let runAxes = run == 1 ? operand.count : last
    var index = Array(repeating: 0, count: runAxes)
    return [T](unsafeUninitializedCapacity: count) { o, initialized in
      defer { initialized = count }
      guard let to = o.baseAddress else { return }
      var written = 0
      values.withUnsafeBufferPointer { v in
        guard let from = v.baseAddress else { return }
        for start in stride(from: 0, to: values.count, by: run) {
          var offset = run == 1 ? 0 : low[last]
          for a in 0..<runAxes {
            offset += (low[a] + index[a] * (interior[a] + 1)) * outStrides[a]
          }
          (to + written).initialize(repeating: 0, count: offset - written)
          (to + offset).initialize(from: from + start, count: run)
          written = offset + run
          var a = runAxes - 1
          while a >= 0 {
            index[a] += 1
            if index[a] < operand[a] { break }
            index[a] = 0
            a -= 1
          }
        }
      }
      (to + written).initialize(repeating: 0, count: count - written)
    }
  }
}

/// Reverses the order of elements along `axes`. Linear and its own transpose.
struct Reverse: LinearUnaryRule {
  let axes: [Int]
  var primitive: Primitive { .reverse(axes: axes) }
  var isElementwise: Bool { false }
  var parameterText: String { "[axes=\(parameterList(axes))]" }
  var verb: String { "reverse" }
  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    [try b.emit(primitive, [ct])]
  }
  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.reverse(axes: axes.map { $0 + 1 }), inputs)
  }
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "reverse")
    guard axes.allSatisfy({ $0 >= 0 && $0 < inputs[0].rank }) else {
      throw ruleError("reverse", "axes \(axes) do not fit \(inputs[0])")
    }
    return inputs[0]
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor {
    let x = inputs[0]
    guard x.count > 0 else { return x }
    var strides = Shape.strides(x.shape)
    var offset = 0
    for a in Set(axes) {
      offset += (x.shape[a] - 1) * strides[a]
      strides[a] = -strides[a]
    }
    return Tensor(
      shape: x.shape, storage: x.storage.gathered(offset: offset, shape: x.shape, strides: strides))
  }
}

/// Joins operands of equal shape but for `axis` along that axis. Linear; transposed by
/// slicing the cotangent into the operands' pieces.
struct Concatenate: PrimitiveRule {
  var arrangesElements: Bool { true }
  let axis: Int
  var primitive: Primitive { .concatenate(axis: axis) }
  var isElementwise: Bool { false }
  var linearity: Linearity { .all }
  var parameterText: String { "[axis=\(axis)]" }
  var verb: String { "concatenate" }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    guard tangents.contains(where: { $0 != nil }) else { return nil }
    var parts: [Var] = []
    for (p, t) in zip(primals, tangents) { parts.append(try b.orZeros(t, like: p)) }
    return try b.emit(primitive, parts)
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    let full = b.type(of: ct).shape
    var offset = 0
    var out: [Var?] = []
    for (k, t) in zip(known, types) {
      let n = t.shape[axis]
      if k == nil {
        var start = Array(repeating: 0, count: full.count)
        var limit = full
        start[axis] = offset
        limit[axis] = offset + n
        out.append(
          try b.emit(
            .slice(start: start, limit: limit, stride: Array(repeating: 1, count: full.count)), [ct]
          ))
      } else {
        out.append(nil)
      }
      offset += n
    }
    return out
  }

  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    try b.emit(.concatenate(axis: axis + 1), try b.allBatched(inputs, batched, size: size))
  }
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    guard let first = inputs.first, axis >= 0, axis < first.rank else {
      throw ruleError("concatenate", "axis \(axis) does not fit \(inputs)")
    }
    var total = 0
    var overflow = false
    for t in inputs {
      var a = t.shape
      var b = first.shape
      a[axis] = 0
      b[axis] = 0
      guard a == b, t.rank == first.rank, t.dtype == first.dtype else {
        throw ruleError("concatenate", "operands \(inputs) differ off axis \(axis)")
      }
      (total, overflow) = total.addingReportingOverflow(t.shape[axis])
      guard !overflow else { throw Diagnostic(.sizeOverflow("\(inputs)"), at: nil) }
    }
    var shape = first.shape
    shape[axis] = total
    return first.with(shape: shape)
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor {
    var shape = inputs[0].shape
    shape[axis] = inputs.reduce(0) { $0 + $1.shape[axis] }
    let floats = inputs.compactMap { if case .f32(let a) = $0.storage { a } else { nil } }
    if floats.count == inputs.count {
      return Tensor(shape: shape, storage: .f32(joined(floats, inputs)))
    }
    return Tensor(shape: shape, storage: .f64(joined(inputs.map(\.doubles), inputs)))
  }

  /// For each index before `axis`, each operand's run of elements from `axis` on, in turn.
  private func joined<T>(_ arrays: [[T]], _ inputs: [Tensor]) -> [T] {
    let outer = inputs[0].shape[..<axis].reduce(1, *)
    let runs = inputs.map { $0.shape[axis...].reduce(1, *) }
    var out: [T] = []
    out.reserveCapacity(outer * runs.reduce(0, +))
    for o in 0..<outer {
      for (values, run) in zip(arrays, runs) {
        out.append(contentsOf: values[(o * run)..<((o + 1) * run)])
      }
    }
    return out
  }
}
