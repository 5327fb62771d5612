/// Where a matrix of `rows × columns` may be non-zero, in compressed rows: row `i`'s non-zero
/// columns are `columnIndices[rowStarts[i]..<rowStarts[i + 1]]`, ascending.
public struct SparsityPattern: Sendable, Equatable {
  public let rows: Int
  public let columns: Int
  public let rowStarts: [Int]
  public let columnIndices: [Int]

  public init(rows: Int, columns: Int, rowStarts: [Int], columnIndices: [Int]) {
    self.rows = rows
    self.columns = columns
    self.rowStarts = rowStarts
    self.columnIndices = columnIndices
  }

  /// The pattern whose row `i` is set `i` of `sets`.
  init(_ sets: DependencySets, columns: Int) {
    self.init(
      rows: sets.count, columns: columns, rowStarts: sets.starts, columnIndices: sets.positions)
  }

  /// The number of possibly non-zero entries.
  public var nonZeros: Int { columnIndices.count }

  /// Row `i`'s non-zero columns.
  public subscript(row i: Int) -> ArraySlice<Int> {
    columnIndices[rowStarts[i]..<rowStarts[i + 1]]
  }

  /// The number of non-zeros in row `i`.
  func rowLength(_ i: Int) -> Int { rowStarts[i + 1] - rowStarts[i] }

  /// The most non-zeros in a row (a lower bound on the colours of its columns).
  var widestRow: Int { (0..<rows).reduce(0) { max($0, rowLength($1)) } }

  /// The row of each entry, in order.
  public var rowIndices: [Int] {
    var out: [Int] = []
    out.reserveCapacity(nonZeros)
    for i in 0..<rows {
      out.append(contentsOf: repeatElement(i, count: rowStarts[i + 1] - rowStarts[i]))
    }
    return out
  }

  /// The transposed pattern (compressed columns of this one).
  public var transposed: SparsityPattern {
    var starts = Array(repeating: 0, count: columns + 1)
    for j in columnIndices { starts[j + 1] += 1 }
    for j in 0..<columns { starts[j + 1] += starts[j] }
    var next = starts
    var indices = Array(repeating: 0, count: nonZeros)
    for i in 0..<rows {
      for j in self[row: i] {
        indices[next[j]] = i
        next[j] += 1
      }
    }
    return SparsityPattern(rows: columns, columns: rows, rowStarts: starts, columnIndices: indices)
  }

  /// The rows `rowRange` and columns `columnRange` of this pattern, renumbered from 0.
  public func block(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> SparsityPattern {
    if rowRange == 0..<rows && columnRange == 0..<columns { return self }
    var starts = [0]
    var indices: [Int] = []
    for i in rowRange {
      for j in self[row: i] where columnRange.contains(j) {
        indices.append(j - columnRange.lowerBound)
      }
      starts.append(indices.count)
    }
    return SparsityPattern(
      rows: rowRange.count, columns: columnRange.count, rowStarts: starts, columnIndices: indices)
  }
}
