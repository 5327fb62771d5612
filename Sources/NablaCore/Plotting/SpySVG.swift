/// A sparsity pattern as a standalone SVG file: a square for each non-zero entry (for each
/// block of `f × f` entries holding one, when the matrix is larger than 160 × 160), red for
/// positive entries, blue for negative, purple for a block with both or a NaN; row and column
/// numbers, and the count of non-zeros and the density below.
enum SpySVG {
  static let maxCells = 160

  static func render(_ matrix: SpyMatrix) -> String {
    let (rows, columns) = (matrix.rows, matrix.columns)
    let blocks = MatrixBlocks(rows: rows, columns: columns, maxRows: maxCells, maxColumns: maxCells)
    let signs = matrix.signs(blocks)
    let size = Double(max(2, min(24, 480 / max(1, blocks.cellRows, blocks.cellColumns))))
    let left = 20 + SVGDocument.textWidth(String(max(0, rows - 1)))
    let top = 48.0
    let gridWidth = size * Double(blocks.cellColumns)
    let gridHeight = size * Double(blocks.cellRows)
    let footer = SpyText.footer(signs.reduce(0) { $0 + $1.count }, rows * columns)
    let width = Int(
      max(left + gridWidth + 20, left + SVGDocument.textWidth(footer) + 20).rounded(.up))
    let height = Int((top + gridHeight + 36).rounded(.up))
    var svg = SVGDocument(width: width, height: height)

    var title = "\(rows)×\(columns)"
    if blocks.factor > 1 {
      title += "; a square for each \(blocks.factor)×\(blocks.factor) block with a non-zero entry"
    }
    svg.text(title, x: left, y: 16)
    svg.add(
      "<rect x=\"\(SVGDocument.number(left))\" y=\"\(SVGDocument.number(top))\" "
        + "width=\"\(SVGDocument.number(gridWidth))\" height=\"\(SVGDocument.number(gridHeight))\" "
        + "fill=\"none\" stroke=\"#000000\" stroke-width=\"0.5\"/>")
    let inset = size >= 6 ? size * 0.1 : 0
    svg.add("<g shape-rendering=\"crispEdges\">")
    for r in 0..<blocks.cellRows {
      for c in 0..<blocks.cellColumns {
        let s = signs[r * blocks.cellColumns + c]
        guard s.count > 0 else { continue }
        let color =
          s.negative == 0 && s.other == 0
          ? ANSI.hex(curve: 1)
          : s.positive == 0 && s.other == 0 ? ANSI.hex(curve: 0) : ANSI.hex(curve: 3)
        svg.add(
          "<rect class=\"nz\" x=\"\(SVGDocument.number(left + size * Double(c) + inset))\" "
            + "y=\"\(SVGDocument.number(top + size * Double(r) + inset))\" "
            + "width=\"\(SVGDocument.number(size - 2 * inset))\" "
            + "height=\"\(SVGDocument.number(size - 2 * inset))\" fill=\"\(color)\"/>")
      }
    }
    svg.add("</g>")
    MatrixSVG.indexLabels(&svg, blocks, left: left, top: top, cell: size)
    svg.text(footer, x: left, y: top + gridHeight + 24)
    return svg.text
  }
}
