/// A colour scale centred at 0 for a matrix's values: blue below 0, white at 0, red above.
///
/// With L the largest finite |v|, a value v ≠ 0 falls in level sign(v)·⌈4|v|/L⌉ (at most 4 on
/// each side, so each level spans L/4); only an exact 0 is level 0, so a structural zero and a
/// small entry look different. The terminal draws levels in the 256-colour palette, or without
/// colour as a sign and a shade (`-█` … `-░`, ` ·`, `+░` … `+█`); SVG interpolates colours
/// continuously.
struct DivergingScale {
  /// The largest finite magnitude (1 when every value is 0 or not finite).
  let limit: Double

  /// Levels on each side of 0.
  static let steps = 4

  init(_ values: [Double]) {
    var largest = 0.0
    for v in values where v.isFinite { largest = max(largest, abs(v)) }
    limit = largest > 0 ? largest : 1
  }

  /// The level of `v`, from −4 to 4 (infinities at the ends), or `nil` for NaN.
  func level(_ v: Double) -> Int? {
    if v.isNaN { return nil }
    if v == 0 { return 0 }
    let k = min(Double(Self.steps), (Double(Self.steps) * abs(v) / limit).rounded(.up))
    let magnitude = k.isFinite ? max(1, Int(k)) : Self.steps
    return v < 0 ? -magnitude : magnitude
  }

  /// 256-colour palette entries for levels −4…4: the colour cube's blues (0,0,4) to (4,4,5),
  /// white (5,5,5), reds (5,4,4) to (4,0,0).
  static let codes = [20, 63, 147, 189, 231, 224, 210, 203, 160]

  /// Two characters for a level without colour.
  static func glyphs(_ level: Int) -> String {
    let shades = ["░", "▒", "▓", "█"]
    if level == 0 { return " ·" }
    let shade = shades[min(shades.count, abs(level)) - 1]
    return (level < 0 ? "-" : "+") + shade
  }

  /// A row of cells of the terminal picture: `██` in each level's colour (one escape for a
  /// run of one colour), or their glyphs; `??` for NaN.
  static func cells(_ levels: [Int?], color: Bool) -> String {
    var out = ""
    var open: Int?
    for level in levels {
      guard let level else {
        if open != nil { out += ANSI.reset }
        open = nil
        out += "??"
        continue
      }
      guard color else {
        out += glyphs(level)
        continue
      }
      if open != level {
        if open != nil { out += ANSI.reset }
        out += ANSI.color256(codes[level + steps])
        open = level
      }
      out += "██"
    }
    if open != nil { out += ANSI.reset }
    return out
  }

  /// The SVG colour of `v`: ColorBrewer's RdBu, #2166ac at −L through #92c5de, #f7f7f7 at 0
  /// and #f4a582 to #b2182b at L, linear between; NaN grey.
  func hex(_ v: Double) -> String {
    if v.isNaN { return "#999999" }
    let t = max(-1, min(1, v / limit))
    let stops: [(Double, (Double, Double, Double))] =
      t < 0
      ? [(0, (247, 247, 247)), (0.5, (146, 197, 222)), (1, (33, 102, 172))]
      : [(0, (247, 247, 247)), (0.5, (244, 165, 130)), (1, (178, 24, 43))]
    let a = abs(t)
    let (lo, hi) = a <= 0.5 ? (stops[0], stops[1]) : (stops[1], stops[2])
    let u = (a - lo.0) / (hi.0 - lo.0)
    func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * u).rounded()) }
    return SVGDocument.hex(mix(lo.1.0, hi.1.0), mix(lo.1.1, hi.1.1), mix(lo.1.2, hi.1.2))
  }
}
