/// A sparse matrix in coordinate form (SciPy's COO layout): `values[k]` at
/// `(pattern.rowIndices[k], pattern.columnIndices[k])`, entries in row-major order, every other
/// entry zero. A sparse Jacobian of `y` with respect to `x` has `y.count` rows and `x.count`
/// columns (both flattened row-major).
public struct SparseMatrix: Sendable {
  public let pattern: SparsityPattern
  /// The stored values: a tensor of `pattern.nonZeros` elements (traced while a statement is).
  public let values: Value

  public init(pattern: SparsityPattern, values: Value) {
    self.pattern = pattern
    self.values = values
  }

  /// The dtype of the values.
  public var dtype: DType {
    switch values {
    case .tensor(let t): t.dtype
    case .traced(let t): t.type.dtype
    case .int, .bool, .none, .string, .tuple, .function, .figure, .sparse: .f32
    }
  }

  /// `sparse f32[3,4] (7 stored)`.
  public var summary: String {
    "sparse \(dtype.rawValue)[\(pattern.rows),\(pattern.columns)] (\(pattern.nonZeros) stored)"
  }

  /// The same matrix with other values.
  func replacingValues(_ v: Value) -> SparseMatrix { SparseMatrix(pattern: pattern, values: v) }
}
