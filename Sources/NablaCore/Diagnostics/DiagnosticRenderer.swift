/// Renders a ``Diagnostic`` as text in Swift 6's layout plus rustc's `= help:` line:
///
///     <program>:1:6: error: cannot multiply f32[16,16] by f32[15]: inner dimensions differ (16 vs 15)
///     1 | tanh(W*x + b)
///       |      ~^~
///       = help: '.*' is the elementwise product
///
/// The primary span is marked with `^`, secondary spans with `~`; a labelled secondary span
/// gets its own `` `- label`` line. Colour is a decoration applied last, never part of layout.
public struct DiagnosticRenderer: Sendable {
  public var useColor: Bool

  public init(useColor: Bool = false) {
    self.useColor = useColor
  }

  public func render(_ diagnostic: Diagnostic) -> String {
    let severity = diagnostic.category == .internal ? "internal error" : "error"
    let text = diagnostic.message.text
    guard let range = diagnostic.range else {
      var out = "\(paint("nabla:", .bold)) \(paint(severity + ":", .red)) \(text)\n"
      if let help = diagnostic.message.help { out += "  = \(paint("help:", .cyan)) \(help)\n" }
      return out
    }
    let file = range.file
    let (line, column) = file.location(of: range.start)
    var out = "\(paint("\(file.name):\(line):\(column):", .bold)) "
    out += "\(paint(severity + ":", .red)) \(paint(text, .bold))\n"
    let gutter = String(line).count
    let pad = String(repeating: " ", count: gutter)
    let source = file.lineText(line)
    out += "\(line) | \(source)\n"
    var marks = Array(repeating: Character(" "), count: source.count + 1)
    var labelLines: [(Int, String)] = []
    for label in diagnostic.labels {
      guard let span = columns(of: label.range, onLine: line, in: file) else { continue }
      for c in span where c < marks.count && marks[c] == " " { marks[c] = "~" }
      if let t = label.text { labelLines.append((span.lowerBound, t)) }
    }
    if let span = columns(of: range, onLine: line, in: file) {
      for c in span where c < marks.count { marks[c] = "^" }
    }
    var markLine = String(marks)
    while markLine.last == " " { markLine.removeLast() }
    out += "\(pad) | \(paint(markLine, .red))\n"
    for (col, t) in labelLines.sorted(by: { $0.0 > $1.0 }) {
      out += "\(pad) | \(String(repeating: " ", count: col))`- \(t)\n"
    }
    if let help = diagnostic.message.help {
      out += "\(pad) = \(paint("help:", .cyan)) \(help)\n"
    }
    return out
  }

  /// The 0-based columns a range covers on a line (at least one column).
  private func columns(of range: SourceRange, onLine line: Int, in file: SourceFile) -> Range<Int>?
  {
    let (startLine, startColumn) = file.location(of: range.start)
    let (endLine, endColumn) = file.location(of: range.end)
    guard startLine <= line, endLine >= line else { return nil }
    let lower = startLine == line ? startColumn - 1 : 0
    let upper = endLine == line ? endColumn - 1 : file.lineText(line).count
    return lower..<max(upper, lower + 1)
  }

  private enum Style: String {
    case bold = "1"
    case red = "1;31"
    case cyan = "1;36"
  }

  private func paint(_ s: String, _ style: Style) -> String {
    useColor && !s.isEmpty ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
  }
}
