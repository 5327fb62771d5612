/// How a sparse matrix prints: a header, then one `(row, column)  value` line per stored entry,
/// as SciPy lists a COO matrix (the first and last 25 with `:` between when there are more
/// than 50); JSON gives SciPy's COO arrays, `plain` the Matrix Market body (1-based).
enum SparseMatrixText {
  static let shownAtMost = 50

  static func pretty(_ s: SparseMatrix) -> String {
    let p = s.pattern
    let (dtype, values) = concrete(s)
    var lines = [
      "sparse(shape=(\(p.rows), \(p.columns)), nnz=\(p.nonZeros), dtype=\(dtype.longName))"
    ]
    let rows = p.rowIndices
    func line(_ k: Int) -> String {
      "  (\(rows[k]), \(p.columnIndices[k]))\t\(ValueFormatter.numberText(values[k], dtype))"
    }
    if p.nonZeros <= shownAtMost {
      lines += (0..<p.nonZeros).map(line)
    } else {
      let half = shownAtMost / 2
      lines += (0..<half).map(line) + ["  :\t:"] + ((p.nonZeros - half)..<p.nonZeros).map(line)
    }
    return lines.joined(separator: "\n")
  }

  static func json(_ s: SparseMatrix) -> String {
    let p = s.pattern
    let (dtype, values) = concrete(s)
    func list(_ xs: [String]) -> String { "[" + xs.joined(separator: ",") + "]" }
    return "{\"format\":\"coo\",\"dtype\":\"\(dtype.longName)\",\"shape\":[\(p.rows),\(p.columns)],"
      + "\"row\":\(list(p.rowIndices.map(String.init))),"
      + "\"col\":\(list(p.columnIndices.map(String.init))),"
      + "\"data\":\(list(values.map { ValueFormatter.jsonNumber($0, dtype) }))}"
  }

  static func plain(_ s: SparseMatrix) -> String {
    let p = s.pattern
    let (dtype, values) = concrete(s)
    let rows = p.rowIndices
    return (0..<p.nonZeros).map {
      "\(rows[$0] + 1) \(p.columnIndices[$0] + 1) \(ValueFormatter.numberText(values[$0], dtype))"
    }.joined(separator: "\n")
  }

  /// The stored values (all zero until computed).
  private static func concrete(_ s: SparseMatrix) -> (DType, [Double]) {
    if case .tensor(let t) = s.values { return (t.dtype, t.doubles) }
    return (.f32, Array(repeating: 0, count: s.pattern.nonZeros))
  }
}
