/// A plot of curves drawn in text: a braille canvas (2 × 4 dots a character) with the ordinate
/// axis and its tick labels on the left, the abscissa axis and its labels below, and a legend.
///
/// ```
///    1.0 ┤ ⢀⡠⠔⠒⠉⠉⠑⠒⠢⢄⡀
///        │
///   -1.0 ┤
///        └┬────────┬────────┬
///         0        2        4
///        ── f(x) = sin(x)   ╌╌ f′(x) = cos(x)
/// ```
///
/// Each curve has its colour (with colour on) and its dash: solid for a function, dashed for
/// its derivative, dotted for the second derivative.
enum LinePlotText {
  /// The narrowest room left for tick labels of the ordinate axis, so the canvas (and the
  /// samples `plot` takes to fill it) keep their width whatever the labels are.
  static let labelWidth = 7

  /// The canvas's width in characters for a picture `width` characters wide whose ordinate
  /// labels are `labelWidth` wide: labels, a space, the axis, and one column left free at the
  /// right (a terminal wraps a line that fills its last column on some terminals).
  static func canvasColumns(width: Int, labelWidth: Int = labelWidth) -> Int {
    max(10, width - 1 - (max(labelWidth, Self.labelWidth) + 2))
  }

  /// The canvas's height in characters: a fifth of the width, from 8 to 24.
  static func canvasRows(width: Int) -> Int { max(8, min(24, width / 5)) }

  /// How many samples `plot(f, a, b)` takes for a picture `width` characters wide: one per
  /// dot column of the canvas.
  static func samples(width: Int) -> Int { 2 * canvasColumns(width: width) }

  static func render(_ figure: Figure, _ tensors: [Tensor], _ options: PictureOptions) -> String {
    let width = options.width
    let rows = canvasRows(width: width)
    let model = LinePlotModel(figure, tensors, yTickTarget: max(2, rows / 3))
    let yLabels = model.yTicks.values.map { model.yTicks.label($0) }
    let labelWidth = max(Self.labelWidth, yLabels.map(\.count).max() ?? 0)
    let columns = canvasColumns(width: width, labelWidth: labelWidth)
    var canvas = BrailleCanvas(columns: columns, rows: rows)

    // the function on top: derivatives first
    for k in model.ys.indices.reversed() {
      let dash = k < model.curves.count ? model.curves[k].dash : .solid
      var phase = 0
      for piece in model.pieces(k) {
        var dots: [(Int, Int)] = []
        for p in piece {
          // many samples fall on one dot when there are more than dot columns
          guard let d = dot(p, model.view, canvas), dots.last.map({ $0 != d }) ?? true else {
            continue
          }
          dots.append(d)
        }
        dots = thinned(dots)
        guard var previous = dots.first else { continue }
        if dots.count == 1 { canvas.set(previous.0, previous.1, color: k) }
        for (i, next) in dots.dropFirst().enumerated() {
          canvas.line(
            previous.0, previous.1, next.0, next.1, color: k, dash: dash, phase: &phase,
            continues: i > 0)
          previous = next
        }
      }
    }

    // the ordinate axis: a label on the row each tick falls in
    var rowLabels: [Int: String] = [:]
    for (v, label) in zip(model.yTicks.values, yLabels) {
      guard let dotRow = Viewport.cell(v, in: model.view.y, count: canvas.dotRows) else {
        continue
      }
      let row = (canvas.dotRows - 1 - dotRow) / 4
      if rowLabels[row] == nil { rowLabels[row] = label }
    }
    let paint: ((Int) -> String)? = options.color ? { ANSI.curve($0) } : nil
    var lines: [String] = []
    for row in 0..<rows {
      let label = rowLabels[row] ?? ""
      let axis = rowLabels[row] == nil ? "│" : "┤"
      lines.append(
        pad(label, labelWidth) + " " + axis + canvas.text(row: row, paint: paint))
    }
    lines += abscissa(model, canvas, labelWidth: labelWidth, width: width)
    lines += legend(model, width: width, indent: labelWidth + 1, color: options.color)
    return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
  }

  /// The dots with, in each run of dots in one column, only the first, highest, lowest and
  /// last: the lines between them cover the same dots (vertical within the column), so 10⁶
  /// samples draw as fast as a few hundred.
  static func thinned(_ dots: [(Int, Int)]) -> [(Int, Int)] {
    var out: [(Int, Int)] = []
    var start = 0
    while start < dots.count {
      var end = start
      var low = start
      var high = start
      while end + 1 < dots.count, dots[end + 1].0 == dots[start].0 {
        end += 1
        if dots[end].1 < dots[low].1 { low = end }
        if dots[end].1 > dots[high].1 { high = end }
      }
      for i in Set([start, low, high, end]).sorted() { out.append(dots[i]) }
      start = end + 1
    }
    return out
  }

  /// The dot a point falls on.
  private static func dot(_ p: PlotPoint, _ view: Viewport, _ canvas: BrailleCanvas) -> (
    Int, Int
  )? {
    guard let column = Viewport.cell(p.x, in: view.x, count: canvas.dotColumns),
      let row = Viewport.cell(p.y, in: view.y, count: canvas.dotRows)
    else { return nil }
    return (column, canvas.dotRows - 1 - row)
  }

  /// The abscissa axis with a `┬` at each tick, and the ticks' labels centred below them; the
  /// ticks thin out until no two labels touch.
  private static func abscissa(
    _ model: LinePlotModel, _ canvas: BrailleCanvas, labelWidth: Int, width: Int
  ) -> [String] {
    let origin = labelWidth + 2  // where the canvas starts
    var target = max(2, canvas.columns / 8)
    while true {
      let ticks = model.xTicks(target: target)
      var axis = Array(repeating: "─", count: canvas.columns)
      var labels = Array(repeating: Character(" "), count: width)
      var fits = true
      var end = -2  // the last column a label took
      for v in ticks.values {
        guard let dotColumn = Viewport.cell(v, in: model.view.x, count: canvas.dotColumns) else {
          continue
        }
        let column = dotColumn / 2
        axis[column] = "┬"
        let text = Array(ticks.label(v))
        var start = origin + column - (text.count - 1) / 2
        start = min(max(0, start), width - 1 - text.count)
        if start <= end + 1 {
          fits = false
          break
        }
        for (i, c) in text.enumerated() where start + i >= 0 && start + i < width {
          labels[start + i] = c
        }
        end = start + text.count - 1
      }
      if fits || target <= 2 {
        return [
          String(repeating: " ", count: labelWidth + 1) + "└" + axis.joined(),
          String(labels),
        ]
      }
      target -= 1
    }
  }

  /// One entry a curve: its stroke (`──`, `╌╌`, `┈┈`) in its colour and its label, wrapped to
  /// the width.
  private static func legend(_ model: LinePlotModel, width: Int, indent: Int, color: Bool)
    -> [String]
  {
    var lines: [String] = []
    let margin = String(repeating: " ", count: indent)
    var line = margin
    var length = indent
    for (k, curve) in model.curves.enumerated() where k < model.ys.count {
      let stroke =
        switch curve.dash {
        case .solid: "──"
        case .dashed: "╌╌"
        case .dotted: "┈┈"
        }
      let entryLength = 3 + curve.label.count
      if length > indent, length + 3 + entryLength > width - 1 {
        lines.append(line)
        line = margin
        length = indent
      }
      if length > indent {
        line += "   "
        length += 3
      }
      line += ANSI.painted(stroke, curve: k, color) + " " + curve.label
      length += entryLength
    }
    if length > indent { lines.append(line) }
    return lines
  }

  private static func pad(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - s.count)) + s
  }
}
