/// A curve given by samples, cut into the pieces a plot strokes.
///
/// The curve through (xᵢ, yᵢ) is drawn as straight segments between neighbouring samples,
/// clipped to the viewport. It is broken (a visible gap) where a sample is NaN or infinite,
/// and, for a function's samples, across a pole: a segment that jumps from above the viewport
/// to below it (or back), or one that jumps against the slope on both its sides by more than
/// twice their rise and half the viewport's height (`1/x` between its samples on either side
/// of 0). A finite sample with no finite neighbour is a piece of one point.
enum Polylines {
  static func pieces(
    _ x: [Double], _ y: [Double], in view: Viewport, breaksAtPoles: Bool
  ) -> [[PlotPoint]] {
    let n = min(x.count, y.count)
    var pieces: [[PlotPoint]] = []
    var current: [PlotPoint] = []
    func flush() {
      if !current.isEmpty { pieces.append(current) }
      current = []
    }
    func finite(_ i: Int) -> Bool { i >= 0 && i < n && x[i].isFinite && y[i].isFinite }
    for i in 0..<n {
      guard finite(i) else {
        flush()
        continue
      }
      let p = PlotPoint(x: x[i], y: y[i])
      guard finite(i + 1) else {
        // the last sample of a run: a piece of its own when it has no finite neighbour
        if !finite(i - 1), view.contains(p) { pieces.append([p]) }
        flush()
        continue
      }
      let q = PlotPoint(x: x[i + 1], y: y[i + 1])
      if breaksAtPoles && crossesPole(i, y, n, view) {
        if current.isEmpty, !finite(i - 1), view.contains(p) { pieces.append([p]) }
        flush()
        continue
      }
      guard let c = view.clip(p, q) else {
        flush()
        continue
      }
      if c.startMoved || current.isEmpty {
        flush()
        current.append(c.start)
      }
      current.append(c.end)
      if c.endMoved { flush() }
    }
    flush()
    return pieces
  }

  /// Whether the segment from sample `i` to `i + 1` crosses a pole.
  private static func crossesPole(_ i: Int, _ y: [Double], _ n: Int, _ view: Viewport) -> Bool {
    let (a, b) = (y[i], y[i + 1])
    let top = view.y.upperBound
    let bottom = view.y.lowerBound
    if (a > top && b < bottom) || (a < bottom && b > top) { return true }
    guard i >= 1, i + 2 < n, y[i - 1].isFinite, y[i + 2].isFinite else { return false }
    let rise = b - a
    let before = a - y[i - 1]
    let after = y[i + 2] - b
    return rise * before < 0 && rise * after < 0
      && abs(rise) > 2 * max(abs(before), abs(after)) && abs(rise) > view.height / 2
  }
}
