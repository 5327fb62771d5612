/// The colours pictures use: ANSI escapes on a terminal, hexadecimal colours in SVG.
enum ANSI {
  /// SGR foreground colours of the curves, in order: blue, red, green, magenta, cyan, yellow.
  static let curveCodes = [34, 31, 32, 35, 36, 33]
  /// The same colours in SVG (matplotlib's), so a file looks like its terminal picture.
  static let curveHex = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#17becf", "#ff7f0e"]

  static let reset = "\u{1B}[0m"

  /// The escape that starts curve colour `index` (cycling through the six).
  static func curve(_ index: Int) -> String {
    "\u{1B}[\(curveCodes[index % curveCodes.count])m"
  }

  /// The escape that starts colour `code` of the 256-colour palette.
  static func color256(_ code: Int) -> String { "\u{1B}[38;5;\(code)m" }

  static func hex(curve index: Int) -> String { curveHex[index % curveHex.count] }

  /// `text` in curve colour `index` when `color`, else as it is.
  static func painted(_ text: String, curve index: Int, _ color: Bool) -> String {
    color ? curve(index) + text + reset : text
  }
}
