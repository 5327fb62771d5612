/// How a reduction combines elements. Float32 input is accumulated in Double and rounded once.
enum ReductionKind: Sendable {
  case sum, max, min, prod

  func reduce(_ values: UnsafeBufferPointer<Double>) -> Double {
    switch self {
    case .sum:
      var s = 0.0
      for v in values { s += v }
      return s
    case .prod:
      var p = 1.0
      for v in values { p *= v }
      return p
    case .max:
      var m = -Double.infinity
      for v in values {
        if v.isNaN { return v }
        if v > m { m = v }
      }
      return m
    case .min:
      var m = Double.infinity
      for v in values {
        if v.isNaN { return v }
        if v < m { m = v }
      }
      return m
    }
  }
}

extension ReductionKind {
  var identity: Double {
    switch self {
    case .sum: 0
    case .prod: 1
    case .max: -.infinity
    case .min: .infinity
    }
  }

  @inline(__always) func combine(_ acc: Double, _ v: Double) -> Double {
    switch self {
    case .sum: return acc + v
    case .prod: return acc * v
    case .max: return acc.isNaN || v.isNaN ? .nan : Swift.max(acc, v)
    case .min: return acc.isNaN || v.isNaN ? .nan : Swift.min(acc, v)
    }
  }
}

/// Elements in a chunk of a long run: each chunk is reduced on its own (in parallel) and the
/// chunks' results are combined in order, so the result depends only on this size, never on
/// the thread count.
let reductionChunk = 1 << 15

/// `kind` over `count` contiguous elements, in Double: eight interleaved partial results (lane
/// `k` takes elements `k`, `k + 8`, …, so eight additions are in flight instead of one),
/// combined in lane order, then the last `count % 8` elements in order.
@inline(__always)
func reduceRun<T: TensorScalar>(
  _ p: UnsafePointer<T>, _ count: Int, _ kind: ReductionKind
) -> Double {
  @inline(__always) func load(_ j: Int) -> SIMD8<Double> {
    SIMD8(
      Double(p[j]), Double(p[j + 1]), Double(p[j + 2]), Double(p[j + 3]), Double(p[j + 4]),
      Double(p[j + 5]), Double(p[j + 6]), Double(p[j + 7]))
  }
  var lanes = SIMD8<Double>(repeating: kind.identity)
  var nan = SIMDMask<SIMD8<Int64>>(repeating: false)
  var j = 0
  switch kind {
  case .sum:
    while j + 8 <= count {
      lanes += load(j)
      j += 8
    }
  case .prod:
    while j + 8 <= count {
      lanes *= load(j)
      j += 8
    }
  case .max:
    while j + 8 <= count {
      let v = load(j)
      lanes.replace(with: v, where: v .> lanes)
      nan .|= v .!= v
      j += 8
    }
  case .min:
    while j + 8 <= count {
      let v = load(j)
      lanes.replace(with: v, where: v .< lanes)
      nan .|= v .!= v
      j += 8
    }
  }
  if any(nan) { return .nan }
  var result = kind.identity
  for k in 0..<8 { result = kind.combine(result, lanes[k]) }
  while j < count {
    result = kind.combine(result, Double(p[j]))
    j += 1
  }
  return result
}

/// Reduces one contiguous block of axes of a row-major tensor viewed as `[outer, run, inner]`
/// (the block is the middle axis) directly from the elements, accumulating in Double, on the
/// worker pool when the work is large: `out[a, j] = ⊕_r x[a, r, j]`, each output combining
/// its elements in order of `r`. Trailing blocks (`inner == 1`) are contiguous runs reduced by
/// ``reduceRun`` (long ones in fixed chunks); otherwise each output accumulates row by row,
/// the outputs split across threads. Nothing is copied: the only memory is the result.
private func reduceBlock<T: TensorScalar>(
  _ a: [T], outer: Int, run: Int, inner: Int, kind: ReductionKind
) -> [Double] {
  let outCount = outer * inner
  var out = [Double](repeating: kind.identity, count: outCount)
  a.withUnsafeBufferPointer { p in
    out.withUnsafeMutableBufferPointer { o in
      guard let p = p.baseAddress, let o = o.baseAddress, run > 0, outCount > 0 else { return }
      if inner == 1 {
        guard run > 2 * reductionChunk else {
          WorkerPool.forEachRange(outCount, costPerItem: run) { rows in
            for i in rows { o[i] = reduceRun(p + i * run, run, kind) }
          }
          return
        }
        let chunks = (run + reductionChunk - 1) / reductionChunk
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
        defer { partials.deallocate() }
        for i in 0..<outCount {
          let base = p + i * run
          WorkerPool.forEachRange(chunks, costPerItem: reductionChunk) { range in
            for c in range {
              let start = c * reductionChunk
              partials[c] = reduceRun(base + start, min(reductionChunk, run - start), kind)
            }
          }
          var result = kind.identity
          for c in 0..<chunks { result = kind.combine(result, partials[c]) }
          o[i] = result
        }
        return
      }
      // outputs q = a·inner + j, split into ranges; a range is walked one `a` at a time
      WorkerPool.forEachRange(outCount, costPerItem: run) { outputs in
        var q = outputs.lowerBound
        while q < outputs.upperBound {
          let block = q / inner
          let end = min(outputs.upperBound, (block + 1) * inner)
          let columns = (q - block * inner)..<(end - block * inner)
          let target = o + block * inner
          for r in 0..<run {
            let row = p + (block * run + r) * inner
            if kind == .sum {
              for j in columns { target[j] += Double(row[j]) }
            } else {
              for j in columns { target[j] = kind.combine(target[j], Double(row[j])) }
            }
          }
          q = end
        }
      }
    }
  }
  return out
}

/// `axes` (sorted, distinct) as maximal blocks of consecutive axes, first to last.
private func consecutiveBlocks(_ axes: [Int]) -> [Range<Int>] {
  var blocks: [Range<Int>] = []
  for axis in axes {
    if let last = blocks.last, last.upperBound == axis {
      blocks[blocks.count - 1] = last.lowerBound..<(axis + 1)
    } else {
      blocks.append(axis..<(axis + 1))
    }
  }
  return blocks
}

/// Reduces the blocks of consecutive axes `blocks` of a tensor of `shape`, last block first,
/// each in place (``reduceBlock``): the only memory besides the result is the partial result
/// after each block, smaller than the tensor.
private func reduceBlocks<T: TensorScalar>(
  _ a: [T], shape: [Int], blocks: [Range<Int>], kind: ReductionKind
) -> [Double] {
  guard let block = blocks.last else { return a.map(Double.init) }
  let outer = shape[..<block.lowerBound].reduce(1, *)
  let run = shape[block].reduce(1, *)
  let inner = shape[block.upperBound...].reduce(1, *)
  let reduced = reduceBlock(a, outer: outer, run: run, inner: inner, kind: kind)
  guard blocks.count > 1 else { return reduced }
  let rest = Array(shape[..<block.lowerBound]) + Array(shape[block.upperBound...])
  return reduceBlocks(reduced, shape: rest, blocks: Array(blocks.dropLast()), kind: kind)
}

/// Reduces `axes` of a tensor away, reading the elements in place: one block of consecutive
/// axes at a time (``reduceBlock``), so no copy of the tensor is made, and the kernel's memory
/// is its result (plus, for axes in several blocks, a partial result smaller than the tensor).
/// Each output combines its elements in index order when the axes form one block.
func reduce(_ x: Tensor, axes: [Int], kind: ReductionKind) -> Tensor {
  let blocks = consecutiveBlocks(Array(Set(axes)).sorted())
  let values =
    switch x.storage {
    case .f32(let a): reduceBlocks(a, shape: x.shape, blocks: blocks, kind: kind)
    case .f64(let a): reduceBlocks(a, shape: x.shape, blocks: blocks, kind: kind)
    }
  let removed = Set(axes)
  let outShape = x.shape.indices.filter { !removed.contains($0) }.map { x.shape[$0] }
  return Tensor(shape: outShape, values: values, dtype: x.dtype)
}
