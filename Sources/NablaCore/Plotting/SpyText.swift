/// The pattern of a matrix's non-zero entries drawn in text, as MATLAB's and CasADi's `spy`:
/// a small matrix one entry per two characters (`●` non-zero, `·` zero), a larger one on a
/// braille canvas with a dot for each block of entries that holds a non-zero; row numbers on
/// the left, column numbers above, and the count of non-zeros and the density below. With
/// colour, positive entries are red, negative blue, and a block holding both magenta.
enum SpyText {
  /// The most character rows drawn.
  static let maxRows = 32

  static func render(_ matrix: SpyMatrix, _ options: PictureOptions) -> String {
    let (rows, columns) = (matrix.rows, matrix.columns)
    let labelWidth = String(max(0, rows - 1)).count
    let room = options.width - 1 - (labelWidth + 1)
    let small = rows <= maxRows && 2 * columns <= room
    let blocks =
      small
      ? MatrixBlocks(rows: rows, columns: columns, maxRows: rows, maxColumns: columns)
      : MatrixBlocks(rows: rows, columns: columns, maxRows: 4 * maxRows, maxColumns: 2 * room)
    let signs = matrix.signs(blocks)

    var lines: [String] = []
    if !small {
      let f = blocks.factor
      lines.append(
        "\(rows)×\(columns); a dot for each "
          + (f == 1 ? "non-zero entry" : "\(f)×\(f) block with a non-zero entry"))
    }
    let characterColumns = small ? 2 * columns : (blocks.cellColumns + 1) / 2
    let characterRows = small ? rows : (blocks.cellRows + 3) / 4
    lines.append(
      MatrixText.columnLabels(
        blocks, indent: labelWidth + 1, characters: characterColumns, width: options.width
      ) { small ? 2 * $0 : $0 / 2 })
    let rowLabels = MatrixText.rowLabels(blocks, characterRows: characterRows) {
      small ? $0 : $0 / 4
    }
    let body =
      small
      ? entries(signs, blocks, color: options.color)
      : dots(signs, blocks, color: options.color)
    for (r, text) in body.enumerated() {
      lines.append(MatrixText.pad(rowLabels[r] ?? "", labelWidth) + " " + text)
    }
    lines.append(footer(signs.reduce(0) { $0 + $1.count }, rows * columns))
    return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
  }

  /// The colour index (into ``ANSI/curveCodes``) of a cell: red for positive entries only,
  /// blue for negative only, magenta for both or NaN.
  private static func colorIndex(_ s: MatrixBlocks.Signs) -> Int {
    s.negative == 0 && s.other == 0 ? 1 : s.positive == 0 && s.other == 0 ? 0 : 3
  }

  /// One line per row: `● ` for a non-zero entry, `· ` for a zero.
  private static func entries(_ signs: [MatrixBlocks.Signs], _ b: MatrixBlocks, color: Bool)
    -> [String]
  {
    (0..<b.cellRows).map { r in
      var line = ""
      for c in 0..<b.cellColumns {
        let s = signs[r * b.cellColumns + c]
        line += s.count == 0 ? "· " : ANSI.painted("●", curve: colorIndex(s), color) + " "
      }
      return line
    }
  }

  /// The braille canvas: one dot per block, set when the block holds a non-zero entry.
  private static func dots(_ signs: [MatrixBlocks.Signs], _ b: MatrixBlocks, color: Bool)
    -> [String]
  {
    var canvas = BrailleCanvas(columns: (b.cellColumns + 1) / 2, rows: (b.cellRows + 3) / 4)
    for r in 0..<b.cellRows {
      for c in 0..<b.cellColumns {
        let s = signs[r * b.cellColumns + c]
        if s.count > 0 { canvas.set(c, r, color: colorIndex(s)) }
      }
    }
    let paint: ((Int) -> String)? = color ? { ANSI.curve($0) } : nil
    return (0..<canvas.rows).map { canvas.text(row: $0, paint: paint) }
  }

  /// `nz = 40 of 224 (density 17.9%)`.
  static func footer(_ nonZeros: Int, _ count: Int) -> String {
    let density = count == 0 ? 0 : 100 * Double(nonZeros) / Double(count)
    return "nz = \(nonZeros) of \(count) (density \(Ticks.compact3(density))%)"
  }
}
