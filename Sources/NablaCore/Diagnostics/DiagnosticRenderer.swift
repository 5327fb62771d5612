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
    let pad = String(repeating: " ", count: String(line).count)
    out += snippet(range, labels: diagnostic.labels, mark: "^")
    if let help = diagnostic.message.help {
      out += "\(pad) = \(paint("help:", .cyan)) \(help)\n"
    }
    for note in diagnostic.notes {
      let (noteLine, noteColumn) = note.range.file.location(of: note.range.start)
      out += "\(paint("\(note.range.file.name):\(noteLine):\(noteColumn):", .bold)) "
      out += "\(paint("note:", .cyan)) \(note.text)\n"
      out += snippet(note.range, labels: [], mark: "-")
    }
    return out
  }

  /// Characters of a source line shown around a span; a longer line is cut to a window.
  static let window = 100

  /// The source line of `range` with its span marked by `mark` and the labels on that line
  /// marked by `~` (and their texts below); a line longer than ``window`` characters is cut
  /// to a window around the span, with `…` where it was cut.
  private func snippet(_ range: SourceRange, labels: [Diagnostic.Label], mark: Character)
    -> String
  {
    let file = range.file
    let line = file.location(of: range.start).line
    let pad = String(repeating: " ", count: String(line).count)
    let full = Array(file.lineText(line))
    var marks = Array(repeating: Character(" "), count: full.count + 1)
    var labelLines: [(Int, String)] = []
    for label in labels {
      guard let span = columns(of: label.range, onLine: line, in: file) else { continue }
      for c in span where c < marks.count && marks[c] == " " { marks[c] = "~" }
      if let t = label.text { labelLines.append((span.lowerBound, t)) }
    }
    let primary = columns(of: range, onLine: line, in: file)
    if let span = primary {
      for c in span where c < marks.count { marks[c] = mark }
    }
    // the window: from a little before the span, `window` characters wide
    var lower = 0
    var upper = full.count
    if full.count > Self.window, let span = primary {
      lower = max(0, min(span.lowerBound - Self.window / 4, full.count - Self.window))
      upper = min(full.count, lower + Self.window)
    }
    let cutLeft = lower > 0
    let cutRight = upper < full.count
    let source =
      (cutLeft ? "…" : "") + String(full[lower..<upper]) + (cutRight ? "…" : "")
    var markLine =
      (cutLeft ? " " : "") + String(marks[lower..<min(marks.count, max(lower, upper + 1))])
    while markLine.last == " " { markLine.removeLast() }
    var out = "\(line) | \(source)\n"
    out += "\(pad) | \(paint(markLine, mark == "^" ? .red : .cyan))\n"
    for (col, t) in labelLines.sorted(by: { $0.0 > $1.0 }) where col >= lower && col <= upper {
      let shown = col - lower + (cutLeft ? 1 : 0)
      out += "\(pad) | \(String(repeating: " ", count: shown))`- \(t)\n"
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
