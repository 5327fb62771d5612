/// A standalone SVG document built element by element: the XML declaration, an `<svg>` root
/// with its size and a white background, and the elements in the order added.
struct SVGDocument {
  let width: Int
  let height: Int
  private var elements: [String] = []

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// Adds one element, written as given (attributes escaped by the caller with ``escape(_:)``).
  mutating func add(_ element: String) { elements.append(element) }

  /// Adds a `<text>` element at (x, y); `anchor` is `start`, `middle` or `end`.
  mutating func text(
    _ s: String, x: Double, y: Double, anchor: String = "start", extra: String = ""
  ) {
    add(
      "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\"\(extra)>"
        + Self.escape(s) + "</text>")
  }

  /// Adds a straight line.
  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) {
    add(
      "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" "
        + "y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\"/>")
  }

  /// The whole document.
  var text: String {
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
      + "font-size=\"12\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    for e in elements { out += e + "\n" }
    return out + "</svg>\n"
  }

  /// Text with XML's special characters escaped, for content and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default:
        // characters XML 1.0 does not allow (controls other than tab, newline, return)
        if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { continue }
        out.unicodeScalars.append(c)
      }
    }
    return out
  }

  /// A coordinate with one decimal (`12.5`, `-3`), without a `-0`.
  static func number(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let tenths = (v * 10).rounded()
    guard abs(tenths) < 1e15 else { return "0" }
    let n = Int(tenths)
    let sign = n < 0 ? "-" : ""
    let whole = abs(n) / 10
    let fraction = abs(n) % 10
    return sign + String(whole) + (fraction == 0 ? "" : "." + String(fraction))
  }

  /// `#rrggbb`.
  static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
    let digits = Array("0123456789abcdef")
    var out = "#"
    for c in [r, g, b] {
      let v = max(0, min(255, c))
      out.append(digits[v / 16])
      out.append(digits[v % 16])
    }
    return out
  }

  /// The width of `s` in pixels at 12 px, roughly (7 px a character), for laying out labels.
  static func textWidth(_ s: String) -> Double { 7 * Double(s.count) }
}
