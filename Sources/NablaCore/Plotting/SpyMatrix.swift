/// The matrix a sparsity picture (`spy`) draws: its size and its non-zero entries, read from
/// a dense tensor (every entry that is not 0; NaN counts) or from a sparse matrix's stored
/// entries without densifying it (a stored entry whose value is 0 is not drawn, as
/// matplotlib's `spy` leaves it out).
struct SpyMatrix {
  let rows: Int
  let columns: Int
  private let values: [Double]
  /// `nil` for a dense matrix (`values` row-major), else the pattern of `values`.
  private let pattern: SparsityPattern?

  init(dense t: Tensor) {
    (rows, columns) = MatrixText.shape(of: t)
    values = t.doubles
    pattern = nil
  }

  init(sparse s: SparseMatrix, values: Tensor) {
    (rows, columns) = (s.pattern.rows, s.pattern.columns)
    self.values = values.doubles
    pattern = s.pattern
  }

  /// Calls `body(row, column, value)` for each non-zero entry, row by row.
  func forEachNonZero(_ body: (Int, Int, Double) -> Void) {
    if let pattern {
      var k = 0
      for i in 0..<pattern.rows {
        for j in pattern[row: i] {
          if values[k] != 0 { body(i, j, values[k]) }
          k += 1
        }
      }
    } else {
      for (k, v) in values.enumerated() where v != 0 {
        body(k / max(1, columns), k % max(1, columns), v)
      }
    }
  }

  /// Per cell of `blocks`, row by row: how many of its entries are positive, negative or NaN.
  func signs(_ blocks: MatrixBlocks) -> [MatrixBlocks.Signs] {
    var out = Array(repeating: MatrixBlocks.Signs(), count: blocks.cellRows * blocks.cellColumns)
    forEachNonZero { i, j, v in
      let cell = (i / blocks.factor) * blocks.cellColumns + j / blocks.factor
      if v > 0 {
        out[cell].positive += 1
      } else if v < 0 {
        out[cell].negative += 1
      } else {
        out[cell].other += 1
      }
    }
    return out
  }
}
