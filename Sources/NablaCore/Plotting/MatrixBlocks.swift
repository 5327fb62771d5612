/// A matrix seen through a coarser grid, so a large one fits a picture: cells of
/// `factor × factor` entries (fewer at the last row and column of cells), with `factor` the
/// smallest that fits `maxRows × maxColumns` cells.
struct MatrixBlocks {
  let rows: Int
  let columns: Int
  let factor: Int

  init(rows: Int, columns: Int, maxRows: Int, maxColumns: Int) {
    self.rows = rows
    self.columns = columns
    let fitRows = (rows + max(1, maxRows) - 1) / max(1, maxRows)
    let fitColumns = (columns + max(1, maxColumns) - 1) / max(1, maxColumns)
    factor = max(1, fitRows, fitColumns)
  }

  var cellRows: Int { (rows + factor - 1) / factor }
  var cellColumns: Int { (columns + factor - 1) / factor }

  /// Per cell, row by row: the entry of largest magnitude (what a heat map shows of a cell,
  /// so a peak is not averaged away), NaN when the cell holds a NaN.
  func largestMagnitude(_ values: [Double]) -> [Double] {
    var out = Array(repeating: 0.0, count: cellRows * cellColumns)
    for i in 0..<rows {
      let base = (i / factor) * cellColumns
      for j in 0..<columns {
        let v = values[i * columns + j]
        let cell = base + j / factor
        let current = out[cell]
        if current.isNaN { continue }
        if v.isNaN || abs(v) > abs(current) { out[cell] = v }
      }
    }
    return out
  }

  /// The signs of a cell's non-zero entries.
  struct Signs {
    var positive = 0
    var negative = 0
    /// NaNs (not zero, and of no sign).
    var other = 0

    var count: Int { positive + negative + other }
  }

  /// Per cell, row by row: how many of its entries are positive, negative or NaN.
  func signs(_ values: [Double]) -> [Signs] {
    var out = Array(repeating: Signs(), count: cellRows * cellColumns)
    for i in 0..<rows {
      let base = (i / factor) * cellColumns
      for j in 0..<columns {
        let v = values[i * columns + j]
        let cell = base + j / factor
        if v > 0 {
          out[cell].positive += 1
        } else if v < 0 {
          out[cell].negative += 1
        } else if v.isNaN {
          out[cell].other += 1
        }
      }
    }
    return out
  }

  /// Indices `0, s, 2s, …` below `count` at a round step `s ≥ 1`, about `target` of them: the
  /// row or column numbers a picture labels.
  static func indexTicks(count: Int, target: Int) -> [Int] {
    guard count > 0 else { return [] }
    let s = max(1, Int(Ticks.step(span: Double(max(1, count - 1)), target: target)))
    return Array(stride(from: 0, to: count, by: s))
  }
}
