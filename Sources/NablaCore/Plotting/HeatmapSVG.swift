/// A heat map as a standalone SVG file: square cells coloured on ColorBrewer's diverging RdBu
/// scale centred at 0 (``DivergingScale/hex(_:)``), row numbers on the left, column numbers
/// above, and a colour bar with its values on the right. A matrix larger than 80 × 80 is shown
/// in cells of `f × f` entries, each the entry of largest magnitude. Runs of cells of one
/// colour in a row are one rectangle.
enum HeatmapSVG {
  static let maxCells = 80

  static func render(_ matrix: Tensor) -> String {
    let (rows, columns) = MatrixText.shape(of: matrix)
    let values = matrix.doubles
    let blocks = MatrixBlocks(rows: rows, columns: columns, maxRows: maxCells, maxColumns: maxCells)
    let cells = blocks.largestMagnitude(values)
    let scale = DivergingScale(values)
    let size = Double(max(2, min(32, 480 / max(1, blocks.cellRows, blocks.cellColumns))))
    let left = 20 + SVGDocument.textWidth(String(max(0, rows - 1)))
    let top = 48.0
    let gridWidth = size * Double(blocks.cellColumns)
    let gridHeight = size * Double(blocks.cellRows)
    let barX = left + gridWidth + 24
    let width = Int((barX + 16 + 12 + 70).rounded(.up))
    let height = Int((top + max(gridHeight, 120) + 24).rounded(.up))
    var svg = SVGDocument(width: width, height: height)

    svg.text(HeatmapText.title(values, rows, columns, blocks), x: left, y: 16)

    svg.add("<g shape-rendering=\"crispEdges\">")
    for r in 0..<blocks.cellRows {
      var c = 0
      while c < blocks.cellColumns {
        let fill = scale.hex(cells[r * blocks.cellColumns + c])
        var end = c + 1
        while end < blocks.cellColumns, scale.hex(cells[r * blocks.cellColumns + end]) == fill {
          end += 1
        }
        svg.add(
          "<rect x=\"\(SVGDocument.number(left + size * Double(c)))\" "
            + "y=\"\(SVGDocument.number(top + size * Double(r)))\" "
            + "width=\"\(SVGDocument.number(size * Double(end - c)))\" "
            + "height=\"\(SVGDocument.number(size))\" fill=\"\(fill)\"/>")
        c = end
      }
    }
    svg.add("</g>")
    svg.add(
      "<rect x=\"\(SVGDocument.number(left))\" y=\"\(SVGDocument.number(top))\" "
        + "width=\"\(SVGDocument.number(gridWidth))\" height=\"\(SVGDocument.number(gridHeight))\" "
        + "fill=\"none\" stroke=\"#000000\" stroke-width=\"0.5\"/>")
    MatrixSVG.indexLabels(&svg, blocks, left: left, top: top, cell: size)

    // the colour bar: +L at the top, −L at the bottom
    let barHeight = max(gridHeight, 120)
    svg.add(
      "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
        + [1.0, 0.5, 0, -0.5, -1].enumerated().map { i, t in
          "<stop offset=\"\(SVGDocument.number(Double(i) * 25))%\" stop-color=\"\(scale.hex(t * scale.limit))\"/>"
        }.joined() + "</linearGradient></defs>")
    svg.add(
      "<rect x=\"\(SVGDocument.number(barX))\" y=\"\(SVGDocument.number(top))\" width=\"16\" "
        + "height=\"\(SVGDocument.number(barHeight))\" fill=\"url(#scale)\" stroke=\"#000000\" "
        + "stroke-width=\"0.5\"/>")
    for (i, t) in [1.0, 0.5, 0, -0.5, -1].enumerated() {
      let y = top + barHeight * Double(i) / 4
      svg.line(barX + 16, y, barX + 20, y, stroke: "#000000")
      svg.text(Ticks.compact(t * scale.limit), x: barX + 23, y: y + 4)
    }
    return svg.text
  }
}
