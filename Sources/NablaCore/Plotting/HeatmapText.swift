/// A heat map drawn in text: each cell two characters wide (about square), row numbers on the
/// left, column numbers above, and the colour scale with its values below.
///
/// ```
/// 16×16, from -0.9254 to 0.4468
///     0         5         10        15
///  0  ████████████████████████████████
///  …
/// -0.9254 ██████████████████ 0.9254   (4 steps of 0.2314 on each side of 0)
/// ```
///
/// A matrix larger than the picture is shown in cells of `f × f` entries, each the entry of
/// largest magnitude (``MatrixBlocks``). Without colour each cell is a sign and a shade
/// (``DivergingScale``).
enum HeatmapText {
  /// The most rows of cells drawn.
  static let maxRows = 32

  static func render(_ matrix: Tensor, _ options: PictureOptions) -> String {
    let (rows, columns) = MatrixText.shape(of: matrix)
    let values = matrix.doubles
    let labelWidth = String(max(0, rows - 1)).count
    let blocks = MatrixBlocks(
      rows: rows, columns: columns, maxRows: maxRows,
      maxColumns: (options.width - 1 - (labelWidth + 1)) / 2)
    let cells = blocks.largestMagnitude(values)
    let scale = DivergingScale(values)

    var lines = [header(values, rows, columns, blocks)]
    lines.append(
      MatrixText.columnLabels(
        blocks, indent: labelWidth + 1, characters: blocks.cellColumns * 2, width: options.width
      ) { 2 * $0 })
    let rowLabels = MatrixText.rowLabels(blocks, characterRows: blocks.cellRows) { $0 }
    for r in 0..<blocks.cellRows {
      let levels = (0..<blocks.cellColumns).map { scale.level(cells[r * blocks.cellColumns + $0]) }
      lines.append(
        MatrixText.pad(rowLabels[r] ?? "", labelWidth) + " "
          + DivergingScale.cells(levels, color: options.color))
    }
    lines.append(legend(scale, color: options.color))
    return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
  }

  /// The title, and what `??` means when a value is NaN.
  private static func header(_ values: [Double], _ rows: Int, _ columns: Int, _ b: MatrixBlocks)
    -> String
  {
    title(values, rows, columns, b) + (values.contains(where: \.isNaN) ? "; ?? is NaN" : "")
  }

  /// `16×16, from -0.9254 to 0.4468` (the least and greatest values that are not NaN), and
  /// how cells are formed when there are fewer cells than entries.
  static func title(_ values: [Double], _ rows: Int, _ columns: Int, _ b: MatrixBlocks) -> String {
    var text = "\(rows)×\(columns)"
    let numbers = values.filter { !$0.isNaN }
    if let lo = numbers.min(), let hi = numbers.max() {
      text += ", from \(Ticks.compact(lo)) to \(Ticks.compact(hi))"
    }
    if b.factor > 1 {
      text += "; each cell the largest-magnitude entry of a \(b.factor)×\(b.factor) block"
    }
    return text
  }

  /// The scale: its end values around the levels' swatches, and the width of a level.
  private static func legend(_ scale: DivergingScale, color: Bool) -> String {
    let bar = DivergingScale.cells(
      Array(-DivergingScale.steps...DivergingScale.steps), color: color)
    let step = Ticks.compact(scale.limit / Double(DivergingScale.steps))
    return "\(Ticks.compact(-scale.limit)) \(bar) \(Ticks.compact(scale.limit))"
      + "   (\(DivergingScale.steps) steps of \(step) on each side of 0)"
  }
}
