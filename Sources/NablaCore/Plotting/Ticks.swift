#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Tick marks at round numbers: the multiples of a step of 1, 2 or 5 × 10ᵏ (Heckbert's "nice
/// numbers"), with labels that all show the same digits.
struct Ticks: Equatable {
  /// The tick values, increasing.
  var values: [Double]
  /// The distance between neighbouring ticks.
  var step: Double

  /// At most this many ticks are made, whatever the range.
  static let maximumCount = 200

  /// The round step nearest `2·halfSpan / target`: 1, 2 or 5 × 10ᵏ. (Half the span is given,
  /// so a range wider than the largest double still has a step.)
  static func step(halfSpan: Double, target: Int) -> Double {
    var raw = halfSpan / Double(max(1, target)) * 2
    if raw == .infinity { raw = .greatestFiniteMagnitude }
    guard raw.isFinite, raw > 0 else { return 1 }
    let magnitude = pow(10, log10(raw).rounded(.down))
    guard magnitude > 0, magnitude.isFinite else { return raw }
    let f = raw / magnitude
    let nice: Double = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
    let s = nice * magnitude
    return s.isFinite ? s : magnitude
  }

  /// The round step nearest `span / target`.
  static func step(span: Double, target: Int) -> Double {
    step(halfSpan: span / 2, target: target)
  }

  /// The half-width of a range, finite even when the width itself overflows.
  private static func halfSpan(_ range: ClosedRange<Double>) -> Double {
    range.upperBound / 2 - range.lowerBound / 2
  }

  /// The multiples of a round step (about `target` of them) that lie in `range`.
  static func inside(_ range: ClosedRange<Double>, target: Int) -> Ticks {
    let s = step(halfSpan: halfSpan(range), target: target)
    return Ticks(values: multiples(of: s, from: range.lowerBound, to: range.upperBound), step: s)
  }

  /// `range` widened to the nearest multiples of a round step, and the ticks at the multiples
  /// it then holds (so both ends carry a tick).
  static func covering(_ range: ClosedRange<Double>, target: Int) -> (ClosedRange<Double>, Ticks) {
    let s = step(halfSpan: halfSpan(range), target: target)
    let lo = (range.lowerBound / s).rounded(.down) * s
    let hi = (range.upperBound / s).rounded(.up) * s
    guard lo.isFinite, hi.isFinite, lo < hi else { return (range, inside(range, target: target)) }
    return (lo...hi, Ticks(values: multiples(of: s, from: lo, to: hi), step: s))
  }

  /// `k·s` for every integer `k` with `lo ≤ k·s ≤ hi` (up to rounding), at most
  /// ``maximumCount`` of them.
  private static func multiples(of s: Double, from lo: Double, to hi: Double) -> [Double] {
    let first = (lo / s - 1e-9).rounded(.up)
    let last = (hi / s + 1e-9).rounded(.down)
    guard first.isFinite, last.isFinite, last >= first, last - first < Double(maximumCount)
    else { return [] }
    var values: [Double] = []
    var k = first
    while k <= last {
      let v = k * s
      values.append(v == 0 || abs(v) < s * 1e-9 ? 0 : v)
      k += 1
    }
    return values
  }

  /// Whether labels are written in scientific notation: for values of a million or more, or
  /// steps below 10⁻⁴.
  private var scientific: Bool {
    let largest = values.map(abs).max() ?? 0
    return largest >= 1e6 || step < 1e-4
  }

  /// The text of one tick value: as many decimals as the step needs (`0.5`, `-1`, `2.25`), or
  /// scientific notation with a short exponent (`1.5e6`, `2e-5`).
  func label(_ v: Double) -> String {
    let v = v == 0 || abs(v) < step * 1e-9 ? 0 : v
    if scientific {
      if v == 0 { return "0" }
      let largest = values.map(abs).max() ?? abs(v)
      let digits = max(0, min(6, Self.exponent(largest) - Self.exponent(step)))
      return Self.shortExponent(Self.trimmingMantissa(CFormat.format("%.\(digits)e", v)))
    }
    let decimals = max(0, min(12, -Self.exponent(step)))
    let text = CFormat.format("%.\(decimals)f", v)
    return text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." }
      ? String(text.dropFirst()) : text
  }

  /// ⌊log₁₀|x|⌋ (0 for 0).
  static func exponent(_ x: Double) -> Int {
    let a = abs(x)
    guard a > 0, a.isFinite else { return 0 }
    var e = log10(a).rounded(.down)
    if pow(10, e + 1) <= a { e += 1 }  // log10 rounded down across a power of ten
    if pow(10, e) > a { e -= 1 }
    return Int(e)
  }

  /// A value in 4 significant digits, as a legend gives it: `-0.9254`, `1.5e6`, `nan`.
  static func compact(_ v: Double) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : v > 0 ? "inf" : "-inf" }
    return shortExponent(CFormat.format("%.4g", v == 0 ? 0 : v))
  }

  /// A value in 3 significant digits: a percentage (`17.9`, `0.05`).
  static func compact3(_ v: Double) -> String {
    guard v.isFinite else { return compact(v) }
    return shortExponent(CFormat.format("%.3g", v == 0 ? 0 : v))
  }

  /// `1.50e+06` as `1.5e+06`, `2.0e-05` as `2e-05`: no trailing zeros after the point.
  static func trimmingMantissa(_ text: String) -> String {
    guard let e = text.firstIndex(of: "e"), text[..<e].contains(".") else { return text }
    var mantissa = text[..<e]
    while mantissa.last == "0" { mantissa = mantissa.dropLast() }
    if mantissa.last == "." { mantissa = mantissa.dropLast() }
    return String(mantissa + text[e...])
  }

  /// `1.5e+06` as `1.5e6`, `2e-05` as `2e-5`.
  static func shortExponent(_ text: String) -> String {
    guard let e = text.firstIndex(of: "e") else { return text }
    var exponent = text[text.index(after: e)...]
    var sign = ""
    if exponent.first == "+" || exponent.first == "-" {
      sign = exponent.first == "-" ? "-" : ""
      exponent = exponent.dropFirst()
    }
    let digits = exponent.drop { $0 == "0" }
    return text[..<e] + "e" + sign + (digits.isEmpty ? "0" : digits)
  }
}
