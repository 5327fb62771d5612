/// A grid of characters, each a Unicode braille cell of 2 × 4 dots, to draw lines on: a
/// canvas of `columns × rows` characters has `2·columns × 4·rows` dots, dot (0, 0) at the top
/// left. Each character keeps the colour of the last curve that set one of its dots.
struct BrailleCanvas {
  let columns: Int
  let rows: Int
  private var bits: [UInt8]
  /// Per character: 0 for none, else a colour index + 1.
  private var colors: [UInt8]

  var dotColumns: Int { 2 * columns }
  var dotRows: Int { 4 * rows }

  init(columns: Int, rows: Int) {
    self.columns = max(1, columns)
    self.rows = max(1, rows)
    bits = Array(repeating: 0, count: self.columns * self.rows)
    colors = bits
  }

  /// The bit of dot (dx, dy) = (x mod 2, y mod 4) in a braille character (U+2800 + bits):
  /// dots 1–3 and 7 down the left column (bits 0, 1, 2, 6), 4–6 and 8 down the right (bits 3,
  /// 4, 5, 7), so bit dy + 3·dx for dy < 3, and 6 + dx for dy = 3.
  private static func dotBit(_ dx: Int, _ dy: Int) -> UInt8 {
    dy < 3 ? UInt8(1) << UInt8(dy + 3 * dx) : UInt8(0x40) << UInt8(dx)
  }

  /// Sets dot (x, y) in colour `color` (an index into the palette); dots off the canvas are
  /// ignored.
  mutating func set(_ x: Int, _ y: Int, color: Int) {
    guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
    let cell = (y / 4) * columns + x / 2
    bits[cell] |= Self.dotBit(x % 2, y % 4)
    colors[cell] = UInt8(truncatingIfNeeded: color % 255 + 1)
  }

  /// Whether the character at (column, row) has any dot set.
  func isSet(column: Int, row: Int) -> Bool { bits[row * columns + column] != 0 }

  /// Draws the dots of the straight line (x0, y0) → (x1, y1) (Bresenham's: one dot per step
  /// along the longer axis), those `dash` keeps on. `phase` counts the dots drawn along the
  /// whole curve, so dashes run on from one segment to the next; a segment that continues
  /// the one before it leaves out its first dot (`continues`), which that one drew.
  mutating func line(
    _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: Int, dash: Figure.Dash,
    phase: inout Int, continues: Bool = false
  ) {
    let dx = abs(x1 - x0)
    let dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1
    let sy = y0 < y1 ? 1 : -1
    var error = dx + dy
    var (x, y) = (x0, y0)
    var first = continues
    while true {
      if first {
        first = false
      } else {
        if Self.isOn(dash, phase) { set(x, y, color: color) }
        phase &+= 1
      }
      if x == x1 && y == y1 { break }
      let e2 = 2 * error
      if e2 >= dy {
        error += dy
        x += sx
      }
      if e2 <= dx {
        error += dx
        y += sy
      }
    }
  }

  /// Whether the dot at `phase` along a curve is drawn: dashes of 4 dots with gaps of 2,
  /// dots with gaps of 1.
  static func isOn(_ dash: Figure.Dash, _ phase: Int) -> Bool {
    switch dash {
    case .solid: true
    case .dashed: phase % 6 < 4
    case .dotted: phase % 2 == 0
    }
  }

  /// One row of characters: blank cells as spaces, coloured runs wrapped in `paint`'s escapes
  /// (`nil`: no colour).
  func text(row: Int, paint: ((Int) -> String)?) -> String {
    var out = ""
    var open: UInt8 = 0
    for column in 0..<columns {
      let cell = row * columns + column
      let b = bits[cell]
      let c = b == 0 ? 0 : colors[cell]
      if let paint, c != open {
        if open != 0 { out += ANSI.reset }
        if c != 0 { out += paint(Int(c) - 1) }
        open = c
      }
      out.unicodeScalars.append(b == 0 ? " " : Unicode.Scalar(0x2800 + UInt32(b)) ?? " ")
    }
    if open != 0 { out += ANSI.reset }
    return out
  }
}
