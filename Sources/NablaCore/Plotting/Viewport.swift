/// The rectangle of the plane a plot shows, and the clipping of line segments to it.
struct Viewport: Equatable {
  var x: ClosedRange<Double>
  var y: ClosedRange<Double>

  var width: Double { x.upperBound - x.lowerBound }
  var height: Double { y.upperBound - y.lowerBound }

  /// A segment clipped to the rectangle, with whether each end was moved.
  struct Clipped {
    var start: PlotPoint
    var end: PlotPoint
    var startMoved: Bool
    var endMoved: Bool
  }

  /// The part of the segment p → q inside the rectangle (Liang–Barsky: the segment is
  /// p + t(q − p) for t in [0, 1], and each edge bounds t from one side), or `nil` if none.
  func clip(_ p: PlotPoint, _ q: PlotPoint) -> Clipped? {
    let dx = q.x - p.x
    let dy = q.y - p.y
    if contains(p), contains(q) {
      return Clipped(start: p, end: q, startMoved: false, endMoved: false)
    }
    var t0 = 0.0
    var t1 = 1.0
    // each edge bounds t: the segment is inside the edge where t·d ≤ distance
    func bound(_ d: Double, _ distance: Double) -> Bool {
      if d == 0 { return distance >= 0 }
      let t = distance / d
      if d < 0 {
        if t > t1 { return false }
        if t > t0 { t0 = t }
      } else {
        if t < t0 { return false }
        if t < t1 { t1 = t }
      }
      return true
    }
    guard bound(-dx, p.x - x.lowerBound), bound(dx, x.upperBound - p.x),
      bound(-dy, p.y - y.lowerBound), bound(dy, y.upperBound - p.y)
    else { return nil }
    guard t0.isFinite, t1.isFinite else { return nil }
    let start = t0 > 0 ? PlotPoint(x: p.x + t0 * dx, y: p.y + t0 * dy) : p
    let end = t1 < 1 ? PlotPoint(x: p.x + t1 * dx, y: p.y + t1 * dy) : q
    return Clipped(start: start, end: end, startMoved: t0 > 0, endMoved: t1 < 1)
  }

  func contains(_ p: PlotPoint) -> Bool { x.contains(p.x) && y.contains(p.y) }

  /// Where `v` lies in `range`, from 0 at its lower end to 1 at its upper end (computed on
  /// halves, so a range wider than the largest double still gives a number); `nil` for a
  /// value that is not finite.
  static func fraction(_ v: Double, in range: ClosedRange<Double>) -> Double? {
    let t = (v / 2 - range.lowerBound / 2) / (range.upperBound / 2 - range.lowerBound / 2)
    return t.isFinite ? t : nil
  }

  /// The cell of `count` (numbered from 0) that `v` falls in when `range` is spread over
  /// them, end to end; `nil` outside the range.
  static func cell(_ v: Double, in range: ClosedRange<Double>, count: Int) -> Int? {
    guard let t = fraction(v, in: range), t >= -1e-9, t <= 1 + 1e-9 else { return nil }
    return min(count - 1, max(0, Int((t * Double(count - 1)).rounded())))
  }
}

/// A point of the plane, in the units of the data.
struct PlotPoint: Equatable {
  var x: Double
  var y: Double
}
