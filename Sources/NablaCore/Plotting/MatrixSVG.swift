/// What the SVG pictures of matrices share: row and column numbers at round steps.
enum MatrixSVG {
  /// Row numbers left of the grid and column numbers above it, each at the middle of the
  /// cell its index falls in; a grid's top left corner is (`left`, `top`), its cells `cell`
  /// pixels square.
  static func indexLabels(
    _ svg: inout SVGDocument, _ b: MatrixBlocks, left: Double, top: Double, cell: Double
  ) {
    let rowTarget = max(2, Int(cell * Double(b.cellRows) / 40))
    var lastRow = -1
    for t in MatrixBlocks.indexTicks(count: b.rows, target: rowTarget) where t / b.factor > lastRow
    {
      lastRow = t / b.factor
      let y = top + cell * (Double(t / b.factor) + 0.5)
      svg.text(String(t), x: left - 6, y: y + 4, anchor: "end")
    }
    let columnTarget = max(2, Int(cell * Double(b.cellColumns) / 40))
    var lastColumn = -1
    for t in MatrixBlocks.indexTicks(count: b.columns, target: columnTarget)
    where t / b.factor > lastColumn {
      lastColumn = t / b.factor
      let x = left + cell * (Double(t / b.factor) + 0.5)
      svg.text(String(t), x: x, y: top - 6, anchor: "middle")
    }
  }
}
