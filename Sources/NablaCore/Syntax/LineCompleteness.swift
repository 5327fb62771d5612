/// Whether a REPL input is unfinished, so the next line continues it: brackets are open, or
/// the last token is one that needs something after it (a binary operator, `=`, `->`).
public enum LineCompleteness {
  /// Symbols and keywords after which an expression must follow, so a newline after them continues the
  /// statement (the lexer reads it as a space).
  static let operators: Set<String> = Parser.keywords.union([
    "+", "-", "*", "/", "@", ".*", "./", "%", "//", "^", "**", ".^", "==", "!=", "<", "<=", ">",
    ">=", "=", "->",
  ])

  /// True while more `(`/`[` are open than closed (strings and comments aside), or the input
  /// ends with a token that needs an operand after it.
  public static func isOpen(_ text: String) -> Bool {
    guard let tokens = try? Lexer.tokenize(SourceFile(name: "<repl>", text: text)) else {
      return false
    }
    var depth = 0
    for t in tokens {
      if t.isSymbol("(") || t.isSymbol("[") { depth += 1 }
      if t.isSymbol(")") || t.isSymbol("]") { depth -= 1 }
    }
    if depth > 0 { return true }
    let last = tokens.last { token in
      switch token.kind {
      case .separator, .end: false
      default: true
      }
    }
    guard let last else { return false }
    let s: String
    switch last.kind {
    case .symbol(let symbol): s = symbol
    case .identifier(let word) where Parser.keywords.contains(word): s = word
    default: return false
    }
    // a statement ended by ';' or a newline is finished whatever came before it
    if let end = tokens.last(where: { $0.kind == .separator }), end.range.start > last.range.start {
      return false
    }
    return operators.contains(s)
  }
}
