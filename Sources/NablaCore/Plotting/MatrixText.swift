/// What the text pictures of matrices share: their shape as rows × columns, and the row and
/// column numbers around them.
enum MatrixText {
  /// A matrix's rows and columns; a vector is one row, a scalar one entry.
  static func shape(of t: Tensor) -> (rows: Int, columns: Int) {
    switch t.rank {
    case 0: (1, 1)
    case 1: (1, t.shape[0])
    default: (t.shape[0], t.count / max(1, t.shape[0]))
    }
  }

  /// The row numbers to show at round steps, by the character row they fall in
  /// (`characterRow` maps a row of cells to its character row); the first number wins a row.
  static func rowLabels(
    _ b: MatrixBlocks, characterRows: Int, _ characterRow: (Int) -> Int
  ) -> [Int: String] {
    var labels: [Int: String] = [:]
    for t in MatrixBlocks.indexTicks(count: b.rows, target: max(2, characterRows / 3)) {
      let row = characterRow(t / b.factor)
      if labels[row] == nil { labels[row] = String(t) }
    }
    return labels
  }

  /// The column numbers at round steps, each starting above the character its column falls in
  /// (`offset` maps a column of cells to its first character), after `indent` characters;
  /// a number that would touch the one before it is left out.
  static func columnLabels(
    _ b: MatrixBlocks, indent: Int, characters: Int, width: Int, _ offset: (Int) -> Int
  ) -> String {
    var line = Array(repeating: Character(" "), count: width)
    var end = -2
    for t in MatrixBlocks.indexTicks(count: b.columns, target: max(2, characters / 6)) {
      let text = Array(String(t))
      let start = indent + offset(t / b.factor)
      guard start > end + 1, start + text.count <= width else { continue }
      for (i, c) in text.enumerated() { line[start + i] = c }
      end = start + text.count - 1
    }
    return String(line)
  }

  /// `s` right-aligned in `width` characters.
  static func pad(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - s.count)) + s
  }
}
