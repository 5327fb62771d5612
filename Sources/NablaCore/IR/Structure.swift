/// A value that is zero off the diagonal of two of its axes `p < q` (of equal size):
/// `x[…, i (axis p), …, j (axis q), …] = (i == j) · values[…, i, …]`, where `values` has the
/// shape of `x` without axis `q` and carries the diagonal index at axis `p`.
///
/// Jacobian bases are identities, and everything an elementwise derivative multiplies them by
/// keeps them diagonal, so the optimiser tracks this to turn products with them into scalings.
public struct Diagonal: Sendable {
  public var p: Int
  public var q: Int
  public var values: Var

  public init(p: Int, q: Int, values: Var) {
    self.p = p
    self.q = q
    self.values = values
  }

  /// `shape` without axis `q`: the shape of ``values``.
  public func valuesShape(_ shape: [Int]) -> [Int] {
    var s = shape
    s.remove(at: q)
    return s
  }
}

/// What the optimiser knows of values while it rewrites a graph, and where the smaller values
/// a structure carries are emitted: the context in which each primitive's rule propagates
/// structure (``PrimitiveRule/diagonal(_:shape:_:)``).
public protocol StructureContext {
  func shape(_ v: Var) -> [Int]
  func dtype(_ v: Var) -> DType
  /// The value of `v` when it is a constant.
  func constantValue(_ v: Var) -> Tensor?
  /// `(source, dims)` when `v = broadcast(source, dims)`.
  func broadcastSource(_ v: Var) -> (source: Var, dims: [Int])?
  /// What is known about `v`'s diagonal structure.
  func diagonal(_ v: Var) throws(Diagnostic) -> Diagonal?
  /// The entries of `v` (of `shape`) on the diagonal of `d`'s axes, shaped like `d.values`,
  /// when they cost less than `v` (`v` diagonal on the same axes, uniform, or broadcast
  /// along one of the two axes).
  func diagonalEntries(_ v: Var, _ d: Diagonal, _ shape: [Int]) throws(Diagnostic) -> Var?
  /// A tensor of one value.
  func full(_ value: Double, _ shape: [Int], _ dtype: DType) throws(Diagnostic) -> Var
  /// `primitive(inputs…)`, emitted (and rewritten) where the graph is being built.
  func emit(_ primitive: Primitive, _ inputs: [Var]) throws(Diagnostic) -> Var
}
