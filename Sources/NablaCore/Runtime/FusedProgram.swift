/// A chain of elementwise operations run as one loop over their common shape: each operand
/// (a leaf) is read in place (or through the strides of a broadcast or a slice), each
/// intermediate lives only in a small buffer holding one segment of a row, and only the last
/// operation's result is written out. Fusion's per-element program.
///
/// The shape is walked in segments of at most ``segment`` elements of the last axis (after
/// merging the axes that every leaf steps over alike), or, when rows are at most half a
/// segment long, of as many whole rows as fit (a `64 × 33` program with a bias runs 5 loops per
/// operation instead of 64), shared out to the worker pool; every element is computed by the
/// same operations in the same order whatever the split.
final class FusedProgram: Sendable {
  /// What an instruction reads: a leaf, or the result of an earlier instruction.
  enum Operand: Sendable {
    case leaf(Int)
    case result(Int)
  }

  struct Instruction: Sendable {
    var rule: any FusibleRule
    var operands: [Operand]
  }

  /// The result's shape (as the graph has it).
  let shape: [Int]
  /// The shape walked: `shape` with axes merged where every leaf allows (at least one axis).
  let walked: [Int]
  /// For each leaf, its strides over `walked` (0 along broadcast axes).
  let leafStrides: [[Int]]
  /// For each leaf, where its first element is (a slice read in place starts inside).
  let leafOffsets: [Int]
  /// For a padded leaf, the positions along each axis of `shape` that hold its operand's
  /// elements (read through its strides and offset); elsewhere it is 0.
  let leafBounds: [[Range<Int>]?]
  /// In order; the last one's result is the program's.
  let instructions: [Instruction]
  /// The instructions' rules, and their operands flattened: leaf `k` is slot `k`, the result
  /// of instruction `r` is slot `leafCount + r` (so the loop copies nothing).
  private let rules: [any FusibleRule]
  private let slots: [Int]
  private let arity: [Int]
  /// Whether each leaf is laid out row-major over `walked`, so consecutive rows of it are
  /// consecutive in memory.
  private let rowMajorLeaves: [Bool]
  /// Rows of `walked` (its elements over its last axis; 0 when that axis is empty).
  private let rows: Int
  /// Whole rows computed at a time when rows are at most half a segment long, so each loop
  /// call covers up to a segment instead of one short row; 1 otherwise, and for programs with
  /// padded leaves or reduced axes.
  private let rowsPerItem: Int

  /// Elements of a row computed at a time: intermediates stay in the first-level cache.
  static let segment = 512

  /// How many trailing axes ``reduce(_:kind:)`` reduces away (0: the program is run whole).
  let reducedAxes: Int

  /// A program over `shape` whose leaf `k` is read with `strides[k]` (row-major strides of
  /// `shape`, or a broadcast's, a slice's or a pad's) from element `leafOffsets[k]` (0 by
  /// default), and is 0 outside `leafBounds[k]` when it has bounds (a pad read in place: then
  /// no axes are merged); with `reducedAxes`, one whose result is only ever reduced over that
  /// many trailing axes (they are not merged with the others, so every walked row belongs to
  /// one result element).
  init(
    shape: [Int], leafStrides strides: [[Int]], leafOffsets: [Int]? = nil,
    leafBounds: [[Range<Int>]?]? = nil, instructions: [Instruction], reducedAxes: Int = 0
  ) {
    self.shape = shape
    self.leafOffsets = leafOffsets ?? Array(repeating: 0, count: strides.count)
    let bounded = !shape.isEmpty && (leafBounds ?? []).contains { $0 != nil }
    self.leafBounds = bounded ? leafBounds ?? [] : Array(repeating: nil, count: strides.count)
    self.instructions = instructions
    self.reducedAxes = reducedAxes
    let kept = shape.count - reducedAxes
    (walked, leafStrides) =
      bounded
      ? (shape, strides)
      : Shape.mergingAxes(
        shape, strides: strides, keepingApart: reducedAxes > 0 && kept > 0 ? kept : nil)
    let rowMajor = Shape.strides(walked)
    rowMajorLeaves = leafStrides.map { $0 == rowMajor }
    let inner = walked.last ?? 1
    rows = inner == 0 ? 0 : walked.reduce(1, *) / inner
    rowsPerItem =
      bounded || inner == 0 || reducedAxes > 0 ? 1 : max(1, min(Self.segment / inner, rows))
    rules = instructions.map(\.rule)
    arity = instructions.map(\.operands.count)
    slots = instructions.flatMap { instruction in
      instruction.operands.map { operand in
        switch operand {
        case .leaf(let k): k
        case .result(let r): strides.count + r
        }
      }
    }
  }

  /// Runs the program on the leaves (each of the program's dtype); a `nil` leaf is `buffer`,
  /// which the result is written over when nothing else holds it.
  func evaluate(_ leaves: [Tensor?], over buffer: inout Tensor?) -> Tensor {
    let dtype = leaves.lazy.compactMap { $0?.dtype }.first ?? buffer?.dtype ?? .f32
    var reused = buffer?.storage
    buffer = nil
    switch dtype {
    case .f64:
      var out: [Double] = []
      if case .f64(let a)? = reused { out = a }
      reused = nil  // `out` is now the buffer's only reference
      return Tensor(shape: shape, doubles: run(leaves.map { $0?.doubles }, into: &out))
    case .f32:
      var out: [Float] = []
      if case .f32(let a)? = reused { out = a }
      reused = nil
      return Tensor(shape: shape, floats: run(leaves.map { $0.map(Self.floats) }, into: &out))
    }
  }

  /// A leaf's elements as float32 (a float64 leaf is converted).
  private static func floats(_ leaf: Tensor) -> [Float] {
    if case .f32(let a) = leaf.storage { return a }
    return leaf.doubles.map(Float.init)
  }

  /// The result in `out` (reused when it has the result's size; a `nil` leaf reads it).
  private func run<T: FusedScalar>(_ leaves: [[T]?], into out: inout [T]) -> [T] {
    let count = walked.reduce(1, *)
    let inner = walked[walked.count - 1]
    let segment = rowsPerItem > 1 ? rowsPerItem * inner : max(1, min(inner, Self.segment))
    let perRow = (inner + segment - 1) / segment
    let items = rowsPerItem > 1 ? (rows + rowsPerItem - 1) / rowsPerItem : rows * perRow
    // every element is written below, once: a new buffer is not cleared first
    if out.count != count { out = [T](unsafeUninitializedCapacity: count) { $1 = count } }
    guard count > 0 else { return out }
    out.withUnsafeMutableBufferPointer { result in
      guard let result = result.baseAddress else { return }
      let bases = UnsafeMutablePointer<UnsafePointer<T>>.allocate(capacity: max(1, leaves.count))
      defer { bases.deallocate() }
      withBaseAddresses(leaves, orElse: UnsafePointer(result), into: bases) {
        WorkerPool.forEachRange(items, costPerItem: segment * instructions.count) { items in
          runSegments(items, bases, into: result, segment: segment, perRow: perRow)
        }
      }
    }
    return out
  }

  /// The program's result reduced by `kind` over its last ``reducedAxes`` axes, without ever
  /// holding more of it than a segment: each result element's run of values is cut into
  /// blocks of whole segments (``reductionChunk`` elements, a size independent of the threads),
  /// each block is reduced on its own by ``reduceRun`` segment by segment, and the blocks'
  /// results are combined in order. Leaves as in ``evaluate(_:over:)``, none `nil`.
  func reduce(_ leaves: [Tensor], kind: ReductionKind) -> Tensor {
    let outShape = Array(shape.dropLast(reducedAxes))
    let dtype = leaves.first?.dtype ?? .f32
    let values: [Double] =
      switch dtype {
      case .f64: reduced(leaves.map(\.doubles), kind: kind)
      case .f32: reduced(leaves.map(Self.floats), kind: kind)
      }
    return Tensor(shape: outShape, values: values, dtype: dtype)
  }

  private func reduced<T: FusedScalar>(_ leaves: [[T]], kind: ReductionKind) -> [Double] {
    let outputs = shape.dropLast(reducedAxes).reduce(1, &*)
    let count = walked.reduce(1, &*)
    let inner = walked[walked.count - 1]
    guard count > 0, inner > 0, outputs > 0 else {
      return [Double](repeating: kind.identity, count: outputs)
    }
    let segment = max(1, min(inner, Self.segment))
    let perRow = (inner + segment - 1) / segment
    let perOutput = count / outputs / inner * perRow  // segments of one result element
    let perBlock = max(1, reductionChunk / segment)
    let blocks = (perOutput + perBlock - 1) / perBlock
    var partials = [Double](repeating: kind.identity, count: outputs * blocks)
    partials.withUnsafeMutableBufferPointer { partials in
      guard let partials = partials.baseAddress else { return }
      let bases = UnsafeMutablePointer<UnsafePointer<T>>.allocate(capacity: max(1, leaves.count))
      defer { bases.deallocate() }
      let dummy = UnsafeMutablePointer<T>.allocate(capacity: 1)
      defer { dummy.deallocate() }
      withBaseAddresses(leaves, orElse: UnsafePointer(dummy), into: bases) {
        WorkerPool.forEachRange(
          outputs * blocks, costPerItem: perBlock * segment * instructions.count
        ) { items in
          for item in items {
            let (o, b) = item.quotientAndRemainder(dividingBy: blocks)
            let first = o * perOutput + b * perBlock
            let last = min(first + perBlock, (o + 1) * perOutput)
            var acc = kind.identity
            runSegments(first..<last, bases, into: nil, segment: segment, perRow: perRow) {
              values, n in acc = kind.combine(acc, reduceRun(values, n, kind))
            }
            partials[item] = acc
          }
        }
      }
    }
    return (0..<outputs).map { o in
      partials[(o * blocks)..<((o + 1) * blocks)].reduce(kind.identity, kind.combine)
    }
  }

  /// Runs the segments `items` (numbered row by row, `perRow` to a row; or, with a result and
  /// ``rowsPerItem`` above 1, each item that many whole rows), writing each into `result` (laid
  /// out as the walked shape), or, without one, handing each segment's values to `consume` in
  /// order.
  private func runSegments<T: FusedScalar>(
    _ items: Range<Int>, _ bases: UnsafeMutablePointer<UnsafePointer<T>>,
    into result: UnsafeMutablePointer<T>?, segment: Int, perRow: Int,
    consume: (UnsafePointer<T>, Int) -> Void = { _, _ in }
  ) {
    let rank = walked.count
    let inner = walked[rank - 1]
    // a reduction hands each row's values to `consume` on their own
    let rowsPerItem = result == nil ? 1 : rowsPerItem
    let leafCount = leafStrides.count
    // a gathered copy of each strided leaf, then each instruction's result
    let scratch = UnsafeMutablePointer<T>.allocate(
      capacity: (leafCount + instructions.count) * segment)
    let pointers = UnsafeMutablePointer<UnsafePointer<T>>.allocate(
      capacity: 4 + leafCount + instructions.count)
    let offsets = UnsafeMutablePointer<Int>.allocate(capacity: max(1, leafCount))
    // whether a padded leaf's row lies in its padding
    let outside = UnsafeMutablePointer<Bool>.allocate(capacity: max(1, leafCount))
    // the position of the segment's row along each leading axis
    let index = UnsafeMutablePointer<Int>.allocate(capacity: rank)
    defer {
      index.deallocate()
      scratch.deallocate()
      pointers.deallocate()
      offsets.deallocate()
      outside.deallocate()
    }
    let (operands, leafPointers, results) = (pointers, pointers + 4, pointers + 4 + leafCount)
    // the rules are borrowed in place: an element read from the array would be a copy of the
    // existential, made and destroyed for every segment and operation
    rules.withUnsafeBufferPointer { rules in
      slots.withUnsafeBufferPointer { slots in
        for item in items {
          let (row, part) =
            rowsPerItem > 1
            ? (item * rowsPerItem, 0) : item.quotientAndRemainder(dividingBy: perRow)
          let rowCount = min(rowsPerItem, rows - row)
          let start = part * segment
          let n = rowCount > 1 ? rowCount * inner : min(segment, inner - start)
          // where each leaf's element (row, start) is
          for k in 0..<leafCount {
            offsets[k] = leafOffsets[k]
            outside[k] = false
          }
          var rest = row
          for axis in stride(from: rank - 2, through: 0, by: -1) {
            let i = rest % walked[axis]
            index[axis] = i
            rest /= walked[axis]
            for k in 0..<leafCount {
              offsets[k] += i * leafStrides[k][axis]
              if let bounds = leafBounds[k], !bounds[axis].contains(i) { outside[k] = true }
            }
          }
          if rowCount > 1 {
            gatherRows(rowCount, bases, offsets, index, into: scratch, segment: segment) {
              leafPointers[$0] = $1
            }
          } else {
            for k in 0..<leafCount {
              let step = leafStrides[k][rank - 1]
              if let bounds = leafBounds[k] {
                // the operand's elements where the segment overlaps them, zeros elsewhere
                let (lo, hi) = (
                  max(start, bounds[rank - 1].lowerBound),
                  min(start + n, bounds[rank - 1].upperBound)
                )
                let inside = !outside[k] && lo < hi
                if inside && step == 1 && lo == start && hi == start + n {
                  leafPointers[k] = bases[k] + (offsets[k] + start)
                  continue
                }
                let copy = scratch + k * segment
                guard inside else {
                  copy.update(repeating: 0, count: n)
                  leafPointers[k] = UnsafePointer(copy)
                  continue
                }
                copy.update(repeating: 0, count: lo - start)
                copyStrided(
                  bases[k] + (offsets[k] + lo * step), step, hi - lo, into: copy + (lo - start))
                (copy + (hi - start)).update(repeating: 0, count: start + n - hi)
                leafPointers[k] = UnsafePointer(copy)
                continue
              }
              let source = bases[k] + offsets[k] + start * step
              if step == 1 {
                leafPointers[k] = source
                continue
              }
              let copy = scratch + k * segment
              copyStrided(source, step, n, into: copy)
              leafPointers[k] = UnsafePointer(copy)
            }
          }
          var slot = 0
          for j in 0..<rules.count {
            for o in 0..<arity[j] {
              operands[o] = leafPointers[slots[slot]]
              slot += 1
            }
            let target =
              j == rules.count - 1
              ? result.map { $0 + row * inner + start } ?? scratch + (leafCount + j) * segment
              : scratch + (leafCount + j) * segment
            T.apply(rules[j], UnsafePointer(operands), target, n)
            results[j] = UnsafePointer(target)
          }
          if result == nil { consume(results[rules.count - 1], n) }
        }
      }
    }
  }
}

extension FusedProgram {
  /// Points each leaf at `rowCount` whole consecutive rows, from the row whose position along
  /// the leading axes is `index` and whose element of leaf `k` is at `offsets[k]` (both
  /// advanced here): a row-major leaf in place, any other copied row by row into its segment
  /// of `scratch`.
  fileprivate func gatherRows<T>(
    _ rowCount: Int, _ bases: UnsafeMutablePointer<UnsafePointer<T>>,
    _ offsets: UnsafeMutablePointer<Int>, _ index: UnsafeMutablePointer<Int>,
    into scratch: UnsafeMutablePointer<T>, segment: Int,
    _ point: (Int, UnsafePointer<T>) -> Void
  ) {
    let rank = walked.count
    let inner = walked[rank - 1]
    for k in leafStrides.indices {
      point(k, rowMajorLeaves[k] ? bases[k] + offsets[k] : UnsafePointer(scratch + k * segment))
    }
    for r in 0..<rowCount {
      for k in leafStrides.indices where !rowMajorLeaves[k] {
        copyStrided(
          bases[k] + offsets[k], leafStrides[k][rank - 1], inner,
          into: scratch + k * segment + r * inner)
      }
      // the next row: the odometer over the leading axes
      for axis in stride(from: rank - 2, through: 0, by: -1) {
        index[axis] += 1
        for k in leafStrides.indices { offsets[k] += leafStrides[k][axis] }
        if index[axis] < walked[axis] { break }
        for k in leafStrides.indices { offsets[k] -= leafStrides[k][axis] * walked[axis] }
        index[axis] = 0
      }
    }
  }
}

/// `copy[j] = source[j · step]` for `j < n`: a run, one element repeated, or a strided read.
@inline(__always)
private func copyStrided<T>(
  _ source: UnsafePointer<T>, _ step: Int, _ n: Int, into copy: UnsafeMutablePointer<T>
) {
  switch step {
  case 1: copy.update(from: source, count: n)
  case 0: copy.update(repeating: source.pointee, count: n)
  default: for j in 0..<n { copy[j] = source[j * step] }
  }
}

/// An element type fused programs run on: the one loop of each rule for it.
protocol FusedScalar: TensorScalar {
  static func apply(
    _ rule: any FusibleRule, _ operands: UnsafePointer<UnsafePointer<Self>>,
    _ out: UnsafeMutablePointer<Self>, _ n: Int)
}

extension Float: FusedScalar {
  static func apply(
    _ rule: any FusibleRule, _ operands: UnsafePointer<UnsafePointer<Float>>,
    _ out: UnsafeMutablePointer<Float>, _ n: Int
  ) { rule.apply(operands, out, n) }
}

extension Double: FusedScalar {
  static func apply(
    _ rule: any FusibleRule, _ operands: UnsafePointer<UnsafePointer<Double>>,
    _ out: UnsafeMutablePointer<Double>, _ n: Int
  ) { rule.apply(operands, out, n) }
}

/// Calls `body` once the base address of each (non-empty) array, or `missing` for a `nil`
/// one, is in `bases`; not at all if an array is empty.
private func withBaseAddresses<T>(
  _ arrays: [[T]?], orElse missing: UnsafePointer<T>,
  into bases: UnsafeMutablePointer<UnsafePointer<T>>, _ body: () -> Void
) {
  func nest(_ i: Int) {
    guard i < arrays.count else { return body() }
    guard let array = arrays[i] else {
      bases[i] = missing
      return nest(i + 1)
    }
    array.withUnsafeBufferPointer { p in
      guard let base = p.baseAddress else { return }
      bases[i] = base
      nest(i + 1)
    }
  }
  nest(0)
}
