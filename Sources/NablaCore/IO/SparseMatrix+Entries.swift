extension SparseMatrix {
  /// The `rows × columns` matrix with `values[k]` at `(rowIndices[k], columnIndices[k])`
  /// (0-based, in any order), as SciPy's COO constructor reads them: entries at the same
  /// position are summed, and explicitly stored zeros stay stored.
  static func fromEntries(
    rows: Int, columns: Int, rowIndices: [Int], columnIndices: [Int], values: [Double],
    dtype: DType
  ) throws(FileFormatError) -> SparseMatrix {
    guard rows >= 0, columns >= 0,
      rows.multipliedReportingOverflow(by: max(columns, 1)).overflow == false
    else {
      throw FileFormatError(reason: "the shape (\(rows), \(columns)) is not a matrix's")
    }
    let n = values.count
    guard rowIndices.count == n, columnIndices.count == n else {
      throw FileFormatError(
        reason:
          "it has \(rowIndices.count) row indices, \(columnIndices.count) column indices and \(n) values"
      )
    }
    var starts = Array(repeating: 0, count: rows + 1)
    for k in 0..<n {
      let (i, j) = (rowIndices[k], columnIndices[k])
      guard (0..<rows).contains(i), (0..<columns).contains(j) else {
        throw FileFormatError(
          reason: "entry \(k) at (\(i), \(j)) is outside the shape (\(rows), \(columns))")
      }
      starts[i + 1] += 1
    }
    for i in 0..<rows { starts[i + 1] += starts[i] }
    // bucket the entries by row, in file order, then sort each row by column
    var next = starts
    var order = Array(repeating: 0, count: n)
    for k in 0..<n {
      order[next[rowIndices[k]]] = k
      next[rowIndices[k]] += 1
    }
    var rowStarts = [0]
    rowStarts.reserveCapacity(rows + 1)
    var outColumns: [Int] = []
    var outValues: [Double] = []
    outColumns.reserveCapacity(n)
    outValues.reserveCapacity(n)
    for i in 0..<rows {
      let row = order[starts[i]..<starts[i + 1]].sorted {
        (columnIndices[$0], $0) < (columnIndices[$1], $1)
      }
      let first = outColumns.count
      for k in row {
        if outColumns.count > first, outColumns[outColumns.count - 1] == columnIndices[k] {
          outValues[outValues.count - 1] += values[k]
        } else {
          outColumns.append(columnIndices[k])
          outValues.append(values[k])
        }
      }
      rowStarts.append(outColumns.count)
    }
    let pattern = SparsityPattern(
      rows: rows, columns: columns, rowStarts: rowStarts, columnIndices: outColumns)
    return SparseMatrix(
      pattern: pattern,
      values: .tensor(Tensor(shape: [outValues.count], values: outValues, dtype: dtype)))
  }

  /// The stored values as numbers and their dtype (zeros of float32 while still traced).
  var concreteValues: (DType, [Double]) {
    if case .tensor(let t) = values { return (t.dtype, t.doubles) }
    return (.f32, Array(repeating: 0, count: pattern.nonZeros))
  }
}
