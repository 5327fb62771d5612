/// The range of ordinates a plot shows when none is given.
///
/// For data, every finite value. For a function's samples, every finite value too, except
/// spikes beside a pole: with q₀₅ and q₉₅ the 5th and 95th percentiles of a curve's finite
/// values and s = q₉₅ − q₀₅, values above q₉₅ + s (or below q₀₅ − s) are left out when they
/// lie inside the interval, not in a run that reaches its end. So `1/x` on [−2, 2] shows
/// about [−15, 15] rather than the ±70 of the samples next to 0, while `exp` on [0, 20], which
/// grows to its end, is shown whole. A function with poles has derivatives with poles of
/// higher order, which would dwarf it (`−1/x²` beside `1/x`): when a function's curve has
/// spikes, derivatives' curves with spikes are drawn clipped to the range of the others.
enum AutoRange {
  /// The range covering `curves` (each a list of ordinates in order of the abscissae), or
  /// `nil` when no value is finite. With `trimsSpikes`, spikes beside poles are left out, and
  /// `derivatives` says which curves are derivatives (see above).
  static func of(_ curves: [[Double]], trimsSpikes: Bool, derivatives: [Bool] = [])
    -> ClosedRange<Double>?
  {
    let ranges = curves.map { y in trimsSpikes ? trimmed(y) : extent(y).map { ($0, false) } }
    let functionHasSpikes = ranges.indices.contains { k in
      !(k < derivatives.count && derivatives[k]) && ranges[k]?.1 == true
    }
    var lo = Double.infinity
    var hi = -Double.infinity
    for (k, r) in ranges.enumerated() {
      guard let (r, spiky) = r else { continue }
      if functionHasSpikes, spiky, k < derivatives.count, derivatives[k] { continue }
      lo = min(lo, r.lowerBound)
      hi = max(hi, r.upperBound)
    }
    guard lo <= hi else { return nil }
    return widened(lo, hi)
  }

  /// The smallest and largest finite values.
  static func extent(_ y: [Double]) -> ClosedRange<Double>? {
    var lo = Double.infinity
    var hi = -Double.infinity
    for v in y where v.isFinite {
      if v < lo { lo = v }
      if v > hi { hi = v }
    }
    return lo <= hi ? lo...hi : nil
  }

  /// A range of positive width: a constant `c` is shown on [c − |c|/2, c + |c|/2], 0 on [−1, 1].
  static func widened(_ lo: Double, _ hi: Double) -> ClosedRange<Double> {
    guard lo == hi else { return lo...hi }
    let d = lo == 0 ? 1 : abs(lo) / 2
    return (lo - d)...(hi + d)
  }

  /// The extent of one curve without the spikes beside its poles, and whether it had any.
  private static func trimmed(_ y: [Double]) -> (ClosedRange<Double>, Bool)? {
    guard let whole = extent(y) else { return nil }
    var finite = y.filter(\.isFinite)
    guard finite.count >= 20 else { return (whole, false) }
    finite.sort()
    let q05 = finite[(finite.count - 1) / 20]
    let q95 = finite[(finite.count - 1) * 19 / 20]
    let s = q95 - q05
    guard s > 0, s.isFinite else { return (whole, false) }
    var lo = whole.lowerBound
    var hi = whole.upperBound
    let upper = q95 + s
    if hi > upper, !reachesAnEnd(y, where: { $0 > upper }) {
      hi = finite.last(where: { $0 <= upper }) ?? upper
    }
    let lower = q05 - s
    if lo < lower, !reachesAnEnd(y, where: { $0 < lower }) {
      lo = finite.first(where: { $0 >= lower }) ?? lower
    }
    return (lo...hi, lo...hi != whole)
  }

  /// Whether the values `beyond` selects all lie in one run that starts at the first sample or
  /// ends at the last (a curve growing towards an end of the interval, not a pole inside it).
  private static func reachesAnEnd(_ y: [Double], where beyond: (Double) -> Bool) -> Bool {
    guard let first = y.firstIndex(where: { $0.isFinite && beyond($0) }),
      let last = y.lastIndex(where: { $0.isFinite && beyond($0) })
    else { return false }
    let run = y[first...last].allSatisfy { $0.isFinite && beyond($0) }
    return run && (first == 0 || last == y.count - 1)
  }
}
