/// Which input elements each element of a primitive's result depends on, primitive by
/// primitive (sparsity detection, as SparseConnectivityTracer's global tracers): an
/// elementwise function of `x` depends on what `x[i]` does (nothing for a piecewise constant
/// one such as `floor`), a binary one on the union of both operands' (nothing where a product
/// has a known zero factor), a rearrangement moves the sets with the elements (found by
/// running the primitive on the elements' positions), a reduction or contraction unites the
/// sets of the terms it sums, and linear algebra unites each matrix's sets.

/// An operand as sparsity detection sees it: its sets, its type, and which of its elements are
/// known zeros (it is a constant).
public struct DependencyOperand: Sendable {
  let sets: DependencySets
  let type: TensorType
  /// `zeros[i]`: element `i` is a constant zero; `nil` when no element is known to be one.
  let zeros: [Bool]?

  init(sets: DependencySets, type: TensorType, values: Tensor? = nil) {
    self.sets = sets
    self.type = type
    let z = values.map { $0.doubles.map { $0 == 0 } }
    zeros = z.flatMap { $0.contains(true) ? $0 : nil }
  }

  func isZero(_ i: Int) -> Bool { zeros?[i] ?? false }
}

extension ElementwiseUnaryRule {
  /// `f(x)[i]` depends on what `x[i]` does.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    operands[0].sets
  }
}

extension Sign {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension Floor {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension Ceil {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension Round {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension StopGradient {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension ElementwiseBinaryRule {
  /// `f(x, y)[i]` depends on what `x[i]` and `y[i]` do.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try unitedElementwise(operands[0], operands[1], limits: limits, cutByZeros: false)
  }
}

extension Mul {
  /// `x[i] y[i]` depends on neither where one of them is a constant zero.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try unitedElementwise(operands[0], operands[1], limits: limits, cutByZeros: true)
  }
}

extension Compare {
  /// A comparison is piecewise constant.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { .none(count: output.count) }
}

extension Select {
  /// `select(c, a, b)[i]` depends on `a[i]` and `b[i]`, or on the one a constant `c` picks.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    let (c, a, b) = (operands[0], operands[1], operands[2])
    var out = DependencySetsBuilder(limits: limits, capacity: output.count)
    let known = c.sets.positions.isEmpty ? c.zeros : nil
    for i in 0..<output.count {
      if let known {
        try out.append(known[i] ? b.sets[i] : a.sets[i])
      } else {
        try out.append(a.sets[i], b.sets[i])
      }
    }
    return out.sets
  }
}

/// Element `i` depending on `x[i]` and `y[i]`; with `cutByZeros`, on neither where one is a
/// constant zero (a product).
private func unitedElementwise(
  _ x: DependencyOperand, _ y: DependencyOperand, limits: DependencyLimits, cutByZeros: Bool
) throws(DenseDependence) -> DependencySets {
  if y.sets.positions.isEmpty && !(cutByZeros && y.zeros != nil) { return x.sets }
  if x.sets.positions.isEmpty && !(cutByZeros && x.zeros != nil) { return y.sets }
  let count = x.sets.count
  let cut: [Bool]? =
    cutByZeros && (x.zeros != nil || y.zeros != nil)
    ? (0..<count).map { x.isZero($0) || y.isZero($0) } : nil
  var starts = [Int](repeating: 0, count: count + 1)
  let capacity = x.sets.positions.count + y.sets.positions.count
  var widest = 0
  let positions = [Int](unsafeUninitializedCapacity: capacity) { out, written in
    x.sets.starts.withUnsafeBufferPointer { xs in
      x.sets.positions.withUnsafeBufferPointer { xp in
        y.sets.starts.withUnsafeBufferPointer { ys in
          y.sets.positions.withUnsafeBufferPointer { yp in
            var w = 0
            for e in 0..<count {
              if cut?[e] != true {
                var (i, iEnd, j, jEnd) = (xs[e], xs[e + 1], ys[e], ys[e + 1])
                while i < iEnd || j < jEnd {
                  let next: Int
                  if j == jEnd || (i < iEnd && xp[i] < yp[j]) {
                    next = xp[i]
                    i += 1
                  } else if i == iEnd || yp[j] < xp[i] {
                    next = yp[j]
                    j += 1
                  } else {
                    next = xp[i]
                    i += 1
                    j += 1
                  }
                  out[w] = next
                  w += 1
                }
              }
              widest = max(widest, w - starts[e])
              starts[e + 1] = w
            }
            written = w
          }
        }
      }
    }
  }
  guard widest <= limits.widest, positions.count + count < limits.entries else {
    throw DenseDependence()
  }
  return DependencySets(starts: starts, positions: positions)
}

// MARK: - Rearrangements

extension LinearUnaryRule {
  /// The sets move with the elements.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try rearranged(self, operands, output: output, limits: limits)
  }
}

extension Convert {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { operands[0].sets }
}

extension Reshape {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  { operands[0].sets }
}

extension Concatenate {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try rearranged(self, operands, output: output, limits: limits)
  }
}

extension Gather {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try gathered(operands.map(\.sets), table.positions, limits: limits)
  }
}

extension ScatterAdd {
  /// `out[p]` depends on every element added into it.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try grouped(operands[0].sets, into: output.count, targets: table.positions, limits: limits)
  }
}

/// What `rule` does to the operands' sets, found by running it on their elements' positions
/// (1-based, the operands laid end to end, so that a 0 it introduces, as padding, is none).
private func rearranged(
  _ rule: some PrimitiveRule, _ operands: [DependencyOperand], output: TensorType,
  limits: DependencyLimits
) throws(DenseDependence) -> DependencySets {
  var offset = 0
  var positions: [Tensor] = []
  for t in operands.map(\.type) {
    let first = offset + 1
    positions.append(Tensor(shape: t.shape, doubles: (0..<t.count).map { Double(first + $0) }))
    offset += t.count
  }
  let sources = rule.evaluate(positions).doubles.map { Int($0) - 1 }
  return try gathered(operands.map(\.sets), sources, limits: limits)
}

/// Element `i` depending on what the element at `sources[i]` of `operands` laid end to end
/// does, or on nothing where it is −1.
private func gathered(_ operands: [DependencySets], _ sources: [Int], limits: DependencyLimits)
  throws(DenseDependence) -> DependencySets
{
  // the operands as one: their sets one after another, positions shifted accordingly
  var whole = operands.first ?? .none(count: 0)
  for o in operands.dropFirst() {
    let shift = whole.positions.count
    whole.starts += o.starts.dropFirst().map { $0 + shift }
    whole.positions += o.positions
  }
  var starts = [Int](repeating: 0, count: sources.count + 1)
  var widest = 0
  for (i, s) in sources.enumerated() {
    let n = s >= 0 && s < whole.count ? whole.starts[s + 1] - whole.starts[s] : 0
    widest = max(widest, n)
    starts[i + 1] = starts[i] + n
  }
  let total = starts[sources.count]
  guard widest <= limits.widest, total + sources.count < limits.entries else {
    throw DenseDependence()
  }
  let positions = [Int](unsafeUninitializedCapacity: total) { out, written in
    whole.starts.withUnsafeBufferPointer { ws in
      whole.positions.withUnsafeBufferPointer { wp in
        for (i, s) in sources.enumerated() where starts[i + 1] > starts[i] {
          for k in 0..<(starts[i + 1] - starts[i]) { out[starts[i] + k] = wp[ws[s] + k] }
        }
      }
    }
    written = total
  }
  return DependencySets(starts: starts, positions: positions)
}

/// `count` elements, element `o` depending on every `x[i]` with `targets[i] == o`.
private func grouped(
  _ x: DependencySets, into count: Int, targets: [Int], limits: DependencyLimits
) throws(DenseDependence) -> DependencySets {
  var members = Array(repeating: 0, count: count + 1)
  for t in targets where t >= 0 { members[t + 1] += 1 }
  for o in 0..<count { members[o + 1] += members[o] }
  var order = Array(repeating: 0, count: members[count])
  var next = members
  for (i, t) in targets.enumerated() where t >= 0 {
    order[next[t]] = i
    next[t] += 1
  }
  var out = DependencySetsBuilder(limits: limits, capacity: count)
  for o in 0..<count {
    for i in order[members[o]..<members[o + 1]] { try out.collect(x[i]) }
    try out.appendCollected()
  }
  return out.sets
}

// MARK: - Reductions and contractions

extension ReductionRule {
  /// A reduced element depends on every element reduced into it.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try reduced(operands[0], axes: axes, output: output, limits: limits)
  }
}

extension ReduceSum {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try reduced(operands[0], axes: axes, output: output, limits: limits)
  }
}

private func reduced(
  _ x: DependencyOperand, axes: [Int], output: TensorType, limits: DependencyLimits
) throws(DenseDependence) -> DependencySets {
  let shape = x.type.shape
  // each input element's output position: the kept axes' row-major strides, 0 on reduced ones
  var strides = Array(repeating: 0, count: shape.count)
  var s = 1
  for axis in shape.indices.reversed() where !axes.contains(axis) {
    strides[axis] = s
    s *= shape[axis]
  }
  var targets: [Int] = []
  targets.reserveCapacity(x.type.count)
  var index = Array(repeating: 0, count: shape.count)
  var position = 0
  for _ in 0..<x.type.count {
    targets.append(position)
    var axis = shape.count - 1
    while axis >= 0 {
      index[axis] += 1
      position += strides[axis]
      if index[axis] < shape[axis] { break }
      position -= strides[axis] * index[axis]
      index[axis] = 0
      axis -= 1
    }
  }
  return try grouped(x.sets, into: output.count, targets: targets, limits: limits)
}

extension DotGeneral {
  /// `out[b, i, j] = Σ_k A[b, i, k] B[b, k, j]` depends on both factors of every term neither
  /// of whose factors is a constant zero.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    let (a, b) = (operands[0], operands[1])
    let d = dimensions
    let lhsFree = d.lhsFree(rank: a.type.rank)
    let rhsFree = d.rhsFree(rank: b.type.rank)
    func size(_ t: TensorType, _ axes: [Int]) -> Int { axes.reduce(1) { $0 * t.shape[$1] } }
    let (batch, m, k, n) = (
      size(a.type, d.lhsBatch), size(a.type, lhsFree), size(a.type, d.lhsContract),
      size(b.type, rhsFree)
    )
    // positions of A read as [batch, m, k] and of B as [batch, k, n]
    let sa = positions(a.type, Transpose(permutation: d.lhsBatch + lhsFree + d.lhsContract))
    let sb = positions(b.type, Transpose(permutation: d.rhsBatch + d.rhsContract + rhsFree))
    var out = DependencySetsBuilder(limits: limits, capacity: output.count)
    for t in 0..<batch {
      for i in 0..<m {
        for j in 0..<n {
          for c in 0..<k {
            let (p, q) = (sa[(t * m + i) * k + c], sb[(t * k + c) * n + j])
            guard !a.isZero(p), !b.isZero(q) else { continue }
            try out.collect(a.sets[p])
            try out.collect(b.sets[q])
          }
          try out.appendCollected()
        }
      }
    }
    return out.sets
  }
}

/// The positions of a tensor of `type`'s elements in the order `transpose` reads them.
private func positions(_ type: TensorType, _ transpose: Transpose) -> [Int] {
  let indices = Tensor(shape: type.shape, doubles: (0..<type.count).map(Double.init))
  return transpose.evaluate([indices]).doubles.map { Int($0) }
}

// MARK: - Linear algebra

extension MatrixFunctionRule {
  /// Every element of a result depends on every element of its matrix.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    try wholeMatrices(operands[0], output: output, limits: limits)
  }
}

extension Inverse {
  /// Every element of `A⁻¹` depends on every element of `A`.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    let n = output.shape.last ?? 1
    return try perMatrix(operands[0].sets, size: n * n, outputsEach: n * n, limits: limits)
  }
}

extension Determinant {
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    let size = operands[0].type.count / max(output.count, 1)
    return try perMatrix(operands[0].sets, size: size, outputsEach: 1, limits: limits)
  }
}

extension Solve {
  /// `X[…, i, c]` of `A X = B` depends on all of `A` and on column `c` of `B`.
  func dependencies(_ operands: [DependencyOperand], output: TensorType, limits: DependencyLimits)
    throws(DenseDependence) -> DependencySets
  {
    let (a, b) = (operands[0], operands[1])
    let n = a.type.shape.last ?? 1
    let columns = b.type.shape.last ?? 1
    let matrices = a.type.count / max(n * n, 1)
    var out = DependencySetsBuilder(limits: limits, capacity: output.count)
    for t in 0..<matrices {
      for _ in 0..<n {
        for c in 0..<columns {
          for e in 0..<(n * n) { try out.collect(a.sets[t * n * n + e]) }
          for r in 0..<n { try out.collect(b.sets[(t * n + r) * columns + c]) }
          try out.appendCollected()
        }
      }
    }
    return out.sets
  }
}

/// Each matrix `[m, n]` of a batch `[…, m, n]` read whole by the results of its batch index
/// (which are `output`'s elements divided evenly among the matrices).
private func wholeMatrices(
  _ x: DependencyOperand, output: TensorType, limits: DependencyLimits
) throws(DenseDependence) -> DependencySets {
  let shape = x.type.shape
  let size = shape.count >= 2 ? shape[shape.count - 2] * shape[shape.count - 1] : 1
  let matrices = x.type.count / max(size, 1)
  return try perMatrix(
    x.sets, size: size, outputsEach: output.count / max(matrices, 1), limits: limits)
}

/// Consecutive groups of `size` elements, each giving `outputsEach` elements that depend on the
/// whole group.
private func perMatrix(
  _ x: DependencySets, size: Int, outputsEach: Int, limits: DependencyLimits
) throws(DenseDependence) -> DependencySets {
  var out = DependencySetsBuilder(limits: limits, capacity: x.count / max(size, 1) * outputsEach)
  var united = DependencySetsBuilder(limits: limits, capacity: 1)
  for g in 0..<(x.count / max(size, 1)) {
    for e in 0..<size { try united.collect(x[g * size + e]) }
    try united.appendCollected()
    let set = united.sets[g]
    for _ in 0..<outputsEach { try out.append(set) }
  }
  return out.sets
}
