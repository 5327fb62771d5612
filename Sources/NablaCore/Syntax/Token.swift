/// One lexical token with its source range.
public struct Token: Sendable {
  public enum Kind: Sendable, Equatable {
    case number(String)
    case string(String)
    case identifier(String)
    case symbol(String)
    /// Ends a statement: a newline outside brackets, or ';'.
    case separator
    case end
  }

  public var kind: Kind
  public var range: SourceRange

  /// How the token reads in a diagnostic: `'+'`, `number '3'`, `end of input`.
  public var description: String {
    switch kind {
    case .number(let t): "number '\(t)'"
    case .string: "a string"
    case .identifier(let n): "'\(n)'"
    case .symbol(let s): "'\(s)'"
    case .separator:
      range.end > range.start && range.file.text(of: range) == ";" ? "';'" : "end of line"
    case .end: "end of input"
    }
  }

  func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }

  /// Whether an expression can start with this token (a literal, a name, a bracket).
  var startsExpression: Bool {
    switch kind {
    case .number, .string, .identifier: true
    case .symbol(let s): s == "(" || s == "["
    case .separator, .end: false
    }
  }
}
