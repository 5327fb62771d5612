/// A plot of curves as a standalone SVG file, 640 × 400 pixels: the legend above the plot
/// area, a frame with tick marks and labels on both axes, light grid lines at the ticks, and
/// each curve a polyline in its colour and dash (or a dot, for a piece of one point).
///
/// A piece with more than four points per pixel column is thinned to the first, lowest,
/// highest and last point of each column, which draws the same picture (10⁵ samples make a
/// file of a few thousand points).
enum LinePlotSVG {
  static let width = 640
  static let height = 400

  static func render(_ figure: Figure, _ tensors: [Tensor]) -> String {
    let model = LinePlotModel(figure, tensors, yTickTarget: 6)
    let yLabels = model.yTicks.values.map { model.yTicks.label($0) }
    let left = 20 + (yLabels.map(SVGDocument.textWidth).max() ?? 0)
    let right = 20.0
    let entries = legendEntries(model)
    let rows = legendRows(entries, width: Double(width) - left - right)
    let top = 14 + 18 * Double(rows.count) + 6
    let bottom = 40.0
    let area = (x: left, y: top, w: Double(width) - left - right, h: Double(height) - top - bottom)
    var svg = SVGDocument(width: width, height: height)

    func px(_ p: PlotPoint) -> (Double, Double)? {
      guard let tx = Viewport.fraction(p.x, in: model.view.x),
        let ty = Viewport.fraction(p.y, in: model.view.y)
      else { return nil }
      // points are clipped to the viewport; the bounds only keep pixel arithmetic finite
      let (u, v) = (min(max(tx, -1), 2), min(max(ty, -1), 2))
      return (area.x + u * area.w, area.y + (1 - v) * area.h)
    }

    // grid and ticks
    let xTicks = model.xTicks(target: max(2, Int(area.w / 90)))
    for v in xTicks.values {
      guard let (x, _) = px(PlotPoint(x: v, y: model.view.y.lowerBound)) else { continue }
      svg.line(x, area.y, x, area.y + area.h, stroke: "#e6e6e6")
      svg.line(x, area.y + area.h, x, area.y + area.h + 5, stroke: "#000000")
      svg.text(xTicks.label(v), x: x, y: area.y + area.h + 19, anchor: "middle")
    }
    for (v, label) in zip(model.yTicks.values, yLabels) {
      guard let (_, y) = px(PlotPoint(x: model.view.x.lowerBound, y: v)) else { continue }
      svg.line(area.x, y, area.x + area.w, y, stroke: "#e6e6e6")
      svg.line(area.x - 5, y, area.x, y, stroke: "#000000")
      svg.text(label, x: area.x - 8, y: y + 4, anchor: "end")
    }

    // curves, the function last (on top)
    for k in model.ys.indices.reversed() {
      let color = ANSI.hex(curve: k)
      let dash = k < model.curves.count ? model.curves[k].dash : .solid
      for piece in model.pieces(k) {
        let points = thinned(piece.compactMap(px), columns: Int(area.w))
        if points.count == 1, let p = points.first {
          svg.add(
            "<circle class=\"curve\(k)\" cx=\"\(SVGDocument.number(p.0))\" "
              + "cy=\"\(SVGDocument.number(p.1))\" r=\"1.5\" fill=\"\(color)\"/>")
          continue
        }
        let text = points.map { SVGDocument.number($0.0) + "," + SVGDocument.number($0.1) }
          .joined(separator: " ")
        svg.add(
          "<polyline class=\"curve\(k)\" points=\"\(text)\" fill=\"none\" stroke=\"\(color)\" "
            + "stroke-width=\"1.5\" stroke-linejoin=\"round\"\(dashAttribute(dash))/>")
      }
    }

    svg.add(
      "<rect x=\"\(SVGDocument.number(area.x))\" y=\"\(SVGDocument.number(area.y))\" "
        + "width=\"\(SVGDocument.number(area.w))\" height=\"\(SVGDocument.number(area.h))\" "
        + "fill=\"none\" stroke=\"#000000\"/>")

    // the legend, row by row above the plot area
    for (r, row) in rows.enumerated() {
      var x = left
      let y = 14 + 18 * Double(r) + 4
      for e in row {
        svg.add(
          "<line x1=\"\(SVGDocument.number(x))\" y1=\"\(SVGDocument.number(y - 4))\" "
            + "x2=\"\(SVGDocument.number(x + 20))\" y2=\"\(SVGDocument.number(y - 4))\" "
            + "stroke=\"\(ANSI.hex(curve: e.index))\" stroke-width=\"1.5\"\(dashAttribute(e.dash))/>"
        )
        svg.text(e.label, x: x + 26, y: y)
        x += e.width
      }
    }
    return svg.text
  }

  private static func dashAttribute(_ dash: Figure.Dash) -> String {
    switch dash {
    case .solid: ""
    case .dashed: " stroke-dasharray=\"6 3\""
    case .dotted: " stroke-dasharray=\"1.5 3\""
    }
  }

  private struct LegendEntry {
    var index: Int
    var label: String
    var dash: Figure.Dash
    /// Pixels the entry takes, with the space after it.
    var width: Double
  }

  private static func legendEntries(_ model: LinePlotModel) -> [LegendEntry] {
    model.curves.enumerated().filter { $0.offset < model.ys.count }.map { k, c in
      LegendEntry(
        index: k, label: c.label, dash: c.dash, width: 26 + SVGDocument.textWidth(c.label) + 18)
    }
  }

  /// The entries in rows no wider than `width`.
  private static func legendRows(_ entries: [LegendEntry], width: Double) -> [[LegendEntry]] {
    var rows: [[LegendEntry]] = []
    var row: [LegendEntry] = []
    var used = 0.0
    for e in entries {
      if !row.isEmpty, used + e.width > width {
        rows.append(row)
        row = []
        used = 0
      }
      row.append(e)
      used += e.width
    }
    if !row.isEmpty { rows.append(row) }
    return rows
  }

  /// The points, thinned when there are more than four per pixel column: per column the first,
  /// lowest, highest and last, in their order along the curve.
  static func thinned(_ points: [(Double, Double)], columns: Int) -> [(Double, Double)] {
    guard points.count > 4 * max(1, columns) else { return points }
    var out: [(Double, Double)] = []
    var start = 0
    while start < points.count {
      let column = Int(points[start].0.rounded(.down))
      var end = start
      var lowest = start
      var highest = start
      while end + 1 < points.count, Int(points[end + 1].0.rounded(.down)) == column {
        end += 1
        if points[end].1 < points[lowest].1 { lowest = end }
        if points[end].1 > points[highest].1 { highest = end }
      }
      for i in Set([start, lowest, highest, end]).sorted() { out.append(points[i]) }
      start = end + 1
    }
    return out
  }
}
