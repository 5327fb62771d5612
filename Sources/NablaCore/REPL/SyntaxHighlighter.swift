/// Colours a REPL input line as it is typed: numbers, strings, built-in functions, constants
/// and `assert`, comments, and closing brackets without an opener (in red). Only colour
/// escapes are added, so the visible text is unchanged; a line the lexer cannot read yet (an
/// unterminated string) is returned as it is.
public enum SyntaxHighlighter {
  enum Style: String {
    case number = "36"
    case string = "32"
    case function = "34"
    case constant = "35"
    case comment = "2"
    case unmatched = "1;31"
  }

  public static func highlight(_ line: String) -> String {
    guard !line.contains("\n"),
      let tokens = try? Lexer.tokenize(SourceFile(name: "<repl>", text: line))
    else { return line }
    let bytes = Array(line.utf8)
    var out = ""
    var position = 0
    var depth = 0
    func text(_ from: Int, _ to: Int) -> String {
      String(decoding: bytes[max(0, from)..<min(bytes.count, to)], as: UTF8.self)
    }
    func gap(upTo end: Int) {
      // between tokens: spaces, and a comment running to the end of the line
      let between = text(position, end)
      if let hash = between.firstIndex(of: "#") {
        out += String(between[..<hash]) + paint(String(between[hash...]), .comment)
      } else {
        out += between
      }
      position = end
    }
    for token in tokens {
      let (start, end) = (token.range.start, token.range.end)
      guard end > start, start >= position else { continue }
      gap(upTo: start)
      let word = text(start, end)
      var style: Style?
      switch token.kind {
      case .number: style = .number
      case .string: style = .string
      case .identifier(let name):
        if name == "assert" || Constants.names.contains(name) {
          style = .constant
        } else if Builtins.table[name] != nil {
          style = .function
        }
      case .symbol(let s):
        if s == "(" || s == "[" { depth += 1 }
        if s == ")" || s == "]" {
          if depth == 0 { style = .unmatched } else { depth -= 1 }
        }
      case .separator, .end: break
      }
      out += style.map { paint(word, $0) } ?? word
      position = end
    }
    gap(upTo: bytes.count)
    return out
  }

  private static func paint(_ s: String, _ style: Style) -> String {
    "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m"
  }
}
