/// Changes the element type; float64 → float32 rounds to nearest.
struct Convert: PrimitiveRule {
  let dtype: DType
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "convert")
    return inputs[0].with(dtype: dtype)
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { inputs[0].converted(to: dtype) }
}

/// `out[i] = x[j]` where `j[k] = i[dims[k]]`, or 0 where operand axis k has size 1.
struct Broadcast: PrimitiveRule {
  let shape: [Int]
  let dims: [Int]

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
    let inStrides = Shape.strides(x.shape)
    var strides = Array(repeating: 0, count: shape.count)
    for (k, d) in dims.enumerated() where x.shape[k] != 1 { strides[d] = inStrides[k] }
    return Tensor(shape: shape, storage: x.storage.gathered(offset: 0, shape: shape, strides: strides))
  }
}

/// The same elements in row-major order under a new shape of equal size.
struct Reshape: PrimitiveRule {
  let shape: [Int]
  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "reshape")
    guard Shape.elementCount(shape) == inputs[0].count else {
      throw ruleError("reshape", "cannot reshape \(inputs[0]) to \(shape)")
    }
    return inputs[0].with(shape: shape)
  }
  func evaluate(_ inputs: [Tensor]) -> Tensor { inputs[0].reshaped(shape) }
}

/// Output axis i is operand axis `permutation[i]`.
struct Transpose: PrimitiveRule {
  let permutation: [Int]
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
      storage: x.storage.gathered(offset: 0, shape: shape, strides: permutation.map { strides[$0] }))
  }
}

/// Elements `start`, `start + stride`, … below `limit` on each axis.
struct Slice: PrimitiveRule {
  let start: [Int]
  let limit: [Int]
  let stride: [Int]

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
struct Pad: PrimitiveRule {
  let low: [Int]
  let high: [Int]
  let interior: [Int]

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 1, "pad")
    let x = inputs[0]
    guard low.count == x.rank, high.count == x.rank, interior.count == x.rank,
      (low + high + interior).allSatisfy({ $0 >= 0 })
    else { throw ruleError("pad", "padding \(low), \(high), \(interior) does not fit \(x)") }
    var shape: [Int] = []
    for a in 0..<x.rank {
      guard let n = paddedSize(a, x.shape[a]) else { throw Diagnostic(.sizeOverflow("\(x)"), at: nil) }
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
    let outStrides = Shape.strides(shape)
    var out = [Double](repeating: 0, count: shape.reduce(1, *))
    let values = x.doubles
    var index = Array(repeating: 0, count: x.rank)
    for v in values {
      var offset = 0
      for a in 0..<x.rank { offset += (low[a] + index[a] * (interior[a] + 1)) * outStrides[a] }
      out[offset] = v
      var a = x.rank - 1
      while a >= 0 {
        index[a] += 1
        if index[a] < x.shape[a] { break }
        index[a] = 0
        a -= 1
      }
    }
    return Tensor(shape: shape, values: out, dtype: x.dtype)
  }
}

/// Reverses the order of elements along `axes`.
struct Reverse: PrimitiveRule {
  let axes: [Int]
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
    return Tensor(shape: x.shape, storage: x.storage.gathered(offset: offset, shape: x.shape, strides: strides))
  }
}

/// Joins operands of equal shape but for `axis` along that axis.
struct Concatenate: PrimitiveRule {
  let axis: Int
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
    let outer = inputs[0].shape[..<axis].reduce(1, *)
    var shape = inputs[0].shape
    shape[axis] = inputs.reduce(0) { $0 + $1.shape[axis] }
    var out: [Double] = []
    out.reserveCapacity(shape.reduce(1, *))
    let values = inputs.map(\.doubles)
    for o in 0..<outer {
      for (t, v) in zip(inputs, values) {
        let run = t.shape[axis...].reduce(1, *)
        out += v[(o * run)..<((o + 1) * run)]
      }
    }
    return Tensor(shape: shape, values: out, dtype: inputs[0].dtype)
  }
}
