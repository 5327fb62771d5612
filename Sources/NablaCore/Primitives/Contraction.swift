/// Which axes of the two operands of a contraction are paired as batch axes and which are
/// summed over in pairs (XLA's `dot_general` dimension numbers). The remaining axes of each
/// operand are its free axes.
///
///     out[batch…, lhs free…, rhs free…] = Σ_contracted lhs[…] · rhs[…]
///
/// Every product spells this way: a matrix product of any rank, `linear`, `dot`, a reduction
/// of a broadcast product (`sum(W .* x, dim=1)`).
public struct DotDimensions: Hashable, Sendable, CustomStringConvertible {
  public var lhsBatch: [Int]
  public var rhsBatch: [Int]
  public var lhsContract: [Int]
  public var rhsContract: [Int]

  public init(lhsBatch: [Int], rhsBatch: [Int], lhsContract: [Int], rhsContract: [Int]) {
    self.lhsBatch = lhsBatch
    self.rhsBatch = rhsBatch
    self.lhsContract = lhsContract
    self.rhsContract = rhsContract
  }

  /// The matrix product `[…, m, k] × […, k, n] → […, m, n]` of operands of rank `rank`.
  public static func matmul(rank: Int) -> DotDimensions {
    DotDimensions(
      lhsBatch: Array(0..<(rank - 2)), rhsBatch: Array(0..<(rank - 2)), lhsContract: [rank - 1],
      rhsContract: [rank - 2])
  }

  /// The left operand's free axes, in order.
  public func lhsFree(rank: Int) -> [Int] {
    (0..<rank).filter { !lhsBatch.contains($0) && !lhsContract.contains($0) }
  }

  /// The right operand's free axes, in order.
  public func rhsFree(rank: Int) -> [Int] {
    (0..<rank).filter { !rhsBatch.contains($0) && !rhsContract.contains($0) }
  }

  /// The same contraction with the operands exchanged (its output lists the right operand's
  /// free axes before the left's).
  public var swapped: DotDimensions {
    DotDimensions(
      lhsBatch: rhsBatch, rhsBatch: lhsBatch, lhsContract: rhsContract, rhsContract: lhsContract)
  }

  /// `batch=(0)x(0) contract=(2)x(1)`.
  public var description: String {
    "batch=\(parameterList(lhsBatch))x\(parameterList(rhsBatch)) "
      + "contract=\(parameterList(lhsContract))x\(parameterList(rhsContract))"
  }
}

/// The contraction `dot_general(A, B)` (``DotDimensions``). Bilinear: `Ċ = Ȧ·B + A·Ḃ`, and
/// with one operand known the other's cotangent is a contraction of the cotangent with it:
/// `Ā = C̄·B` over B's free axes, `B̄ = A·C̄` over A's free axes, each rearranged into its
/// operand's layout.
struct DotGeneral: PrimitiveRule {
  let dimensions: DotDimensions
  var primitive: Primitive { .dotGeneral(dimensions) }
  var isElementwise: Bool { false }
  var linearity: Linearity { .separately([0, 1]) }
  var parameterText: String { "[\(dimensions)]" }
  var verb: String { "multiply" }

  func outputType(_ inputs: [TensorType]) throws(Diagnostic) -> TensorType {
    try expectArity(inputs, 2, "dot_general")
    let (a, b) = (inputs[0], inputs[1])
    let d = dimensions
    func valid(_ axes: [Int], _ rank: Int) -> Bool {
      axes.allSatisfy { $0 >= 0 && $0 < rank }
    }
    let lhsAxes = d.lhsBatch + d.lhsContract
    let rhsAxes = d.rhsBatch + d.rhsContract
    guard a.dtype == b.dtype, d.lhsBatch.count == d.rhsBatch.count,
      d.lhsContract.count == d.rhsContract.count, valid(lhsAxes, a.rank), valid(rhsAxes, b.rank),
      Set(lhsAxes).count == lhsAxes.count, Set(rhsAxes).count == rhsAxes.count,
      zip(d.lhsBatch, d.rhsBatch).allSatisfy({ a.shape[$0] == b.shape[$1] }),
      zip(d.lhsContract, d.rhsContract).allSatisfy({ a.shape[$0] == b.shape[$1] })
    else { throw ruleError("dot_general", "cannot contract \(a) with \(b) by \(d)") }
    let shape =
      d.lhsBatch.map { a.shape[$0] } + d.lhsFree(rank: a.rank).map { a.shape[$0] }
      + d.rhsFree(rank: b.rank).map { b.shape[$0] }
    return a.with(shape: shape)
  }

  func jvp(_ primals: [Var], _ tangents: [Var?], output: Var, _ b: GraphBuilder) throws(Diagnostic)
    -> Var?
  {
    var result: Var?
    if let ta = tangents[0] { result = try b.emit(primitive, [ta, primals[1]]) }
    if let tb = tangents[1] {
      result = try b.addOptional(result, try b.emit(primitive, [primals[0], tb]))
    }
    return result
  }

  func transpose(_ ct: Var, _ known: [Var?], _ types: [TensorType], _ b: GraphBuilder)
    throws(Diagnostic) -> [Var?]
  {
    let d = dimensions
    let (lhsRank, rhsRank) = (types[0].rank, types[1].rank)
    let nb = d.lhsBatch.count
    let lhsFree = d.lhsFree(rank: lhsRank)
    let rhsFree = d.rhsFree(rank: rhsRank)
    if let y = known[1] {
      // Ā = C̄ · B over B's free axes; the result's axes are [batch, A's free, B's contracted]
      let summed = DotDimensions(
        lhsBatch: Array(0..<nb), rhsBatch: d.rhsBatch,
        lhsContract: rhsFree.indices.map { nb + lhsFree.count + $0 }, rhsContract: rhsFree)
      let r = try b.emit(.dotGeneral(summed), [ct, y])
      let rest = summed.rhsFree(rank: rhsRank)
      var permutation = Array(repeating: 0, count: lhsRank)
      for (i, axis) in d.lhsBatch.enumerated() { permutation[axis] = i }
      for (j, axis) in lhsFree.enumerated() { permutation[axis] = nb + j }
      for (axis, partner) in zip(d.lhsContract, d.rhsContract) {
        permutation[axis] = nb + lhsFree.count + (rest.firstIndex(of: partner) ?? 0)
      }
      return [try b.transpose(r, permutation), nil]
    }
    if let x = known[0] {
      // B̄ = A · C̄ over A's free axes; the result's axes are [batch, A's contracted, B's free]
      let summed = DotDimensions(
        lhsBatch: d.lhsBatch, rhsBatch: Array(0..<nb), lhsContract: lhsFree,
        rhsContract: lhsFree.indices.map { nb + $0 })
      let r = try b.emit(.dotGeneral(summed), [x, ct])
      let rest = summed.lhsFree(rank: lhsRank)
      var permutation = Array(repeating: 0, count: rhsRank)
      for (i, axis) in d.rhsBatch.enumerated() { permutation[axis] = i }
      for (axis, partner) in zip(d.rhsContract, d.lhsContract) {
        permutation[axis] = nb + (rest.firstIndex(of: partner) ?? 0)
      }
      for (j, axis) in rhsFree.enumerated() { permutation[axis] = nb + rest.count + j }
      return [nil, try b.transpose(r, permutation)]
    }
    throw Diagnostic(
      .internalError("dot_general of two linear operands cannot be transposed"), at: nil)
  }

  /// Both operands batched: the batch axis is one more batch axis. One operand batched: its
  /// batch axis is one more free axis (so a batch of matrix–vector products is one
  /// matrix–matrix product), moved to the front of the result.
  func batch(_ inputs: [Var], _ batched: [Bool], size: Int, _ b: GraphBuilder) throws(Diagnostic)
    -> Var
  {
    let d = dimensions
    let up = { (axes: [Int]) in axes.map { $0 + 1 } }
    if batched[0] && batched[1] {
      let both = DotDimensions(
        lhsBatch: [0] + up(d.lhsBatch), rhsBatch: [0] + up(d.rhsBatch),
        lhsContract: up(d.lhsContract), rhsContract: up(d.rhsContract))
      return try b.emit(.dotGeneral(both), inputs)
    }
    let lhsRank = b.type(of: inputs[0]).rank
    let nb = d.lhsBatch.count
    let one: DotDimensions
    let position: Int
    if batched[0] {
      one = DotDimensions(
        lhsBatch: up(d.lhsBatch), rhsBatch: d.rhsBatch, lhsContract: up(d.lhsContract),
        rhsContract: d.rhsContract)
      position = nb  // the first of the left operand's free axes
    } else {
      one = DotDimensions(
        lhsBatch: d.lhsBatch, rhsBatch: up(d.rhsBatch), lhsContract: d.lhsContract,
        rhsContract: up(d.rhsContract))
      position = nb + d.lhsFree(rank: lhsRank).count  // the first of the right's free axes
    }
    let out = try b.emit(.dotGeneral(one), inputs)
    let rank = b.type(of: out).rank
    return try b.transpose(out, [position] + (0..<rank).filter { $0 != position })
  }

  func evaluate(_ inputs: [Tensor]) -> Tensor { evaluate(inputs, polling: nil) }

  /// Reads each operand as a batch of matrices (A's rows its free axes and columns its
  /// contracted ones; B's rows its contracted axes and columns its free ones) through strides,
  /// copying an operand only when its axes cannot be read so, and runs the matrix-product
  /// kernels; a long product stops early once `cancellation` is set.
  func evaluate(_ inputs: [Tensor], polling cancellation: CancellationFlag?) -> Tensor {
    let d = dimensions
    let lhsFree = d.lhsFree(rank: inputs[0].rank)
    let rhsFree = d.rhsFree(rank: inputs[1].rank)
    func size(_ t: Tensor, _ axes: [Int]) -> Int { axes.reduce(1) { $0 * t.shape[$1] } }
    func matrices(_ t: Tensor, _ groups: [[Int]]) -> (Tensor, MatrixLayout) {
      if let layout = MatrixLayout.reading(
        t.shape, batch: groups[0], rows: groups[1], columns: groups[2])
      {
        return (t, layout)
      }
      let moved = Transpose(permutation: groups.flatMap { $0 }).evaluate([t])
      let (rows, columns) = (size(t, groups[1]), size(t, groups[2]))
      return (moved, .contiguous(rows: rows, columns: columns))
    }
    let (a, la) = matrices(inputs[0], [d.lhsBatch, lhsFree, d.lhsContract])
    let (b, lb) = matrices(inputs[1], [d.rhsBatch, d.rhsContract, rhsFree])
    let (batch, m, k, n) = (
      size(inputs[0], d.lhsBatch), size(inputs[0], lhsFree), size(inputs[0], d.lhsContract),
      size(inputs[1], rhsFree)
    )
    let shape =
      d.lhsBatch.map { inputs[0].shape[$0] } + lhsFree.map { inputs[0].shape[$0] }
      + rhsFree.map { inputs[1].shape[$0] }
    func product<T: TensorScalar>(_ x: [T], _ y: [T]) -> [T] {
      x.withUnsafeBufferPointer { px in
        y.withUnsafeBufferPointer { py in
          guard let px = px.baseAddress, let py = py.baseAddress else {
            return [T](repeating: 0, count: batch * m * n)
          }
          return contract(
            px, la, py, lb, batch: batch, m: m, k: k, n: n, cancellation: cancellation)
        }
      }
    }
    switch (a.storage, b.storage) {
    case (.f32(let x), .f32(let y)): return Tensor(shape: shape, floats: product(x, y))
    case (.f64(let x), .f64(let y)): return Tensor(shape: shape, doubles: product(x, y))
    case (.f32, .f64), (.f64, .f32):
      // the operands' dtypes are equal by the type rule; widen to be safe
      let (wide0, wide1) = (a.converted(to: .f64), b.converted(to: .f64))
      return evaluate([wide0, wide1].map { $0 }, polling: cancellation)
    }
  }
}

extension GraphBuilder {
  /// The matrix product `[…, m, k] × […, k, n]` of operands of equal rank and leading axes.
  public func matmul(_ a: Var, _ b: Var) throws(Diagnostic) -> Var {
    try emit(.dotGeneral(.matmul(rank: type(of: a).rank)), [a, b])
  }
}
