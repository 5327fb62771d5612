/// Whether a REPL input still has open brackets, so the next line continues it.
public enum LineCompleteness {
  /// True while more `(`/`[` are open than closed (strings and comments aside).
  public static func isOpen(_ text: String) -> Bool {
    guard let tokens = try? Lexer.tokenize(SourceFile(name: "<repl>", text: text)) else {
      return false
    }
    var depth = 0
    for t in tokens {
      if t.isSymbol("(") || t.isSymbol("[") { depth += 1 }
      if t.isSymbol(")") || t.isSymbol("]") { depth -= 1 }
    }
    return depth > 0
  }
}
