/// What `:save` writes so that `nabla -f` reproduces a session: the source of every statement
/// that changed it (bindings, definitions, random draws, seeds, files), in order.
///
/// A printed result the REPL bound to `ans` and `_` is kept as a result: it is written as
/// `ans = …` only when a later statement reads `ans` or `_` before the next result rebinds
/// them, as the expression alone when it drew random numbers or touched files, and not at all
/// otherwise. (Re-evaluating the expression at its place in the log gives the same value.)
struct ReplayLog {
  enum Entry {
    case statement(String)
    case result(String, hadSideEffects: Bool)
  }

  private(set) var entries: [Entry] = []
  /// The default dtype when the first entry was recorded.
  var startDType: DType?

  mutating func append(_ entry: Entry) { entries.append(entry) }

  /// The script's lines.
  var lines: [String] {
    var lines: [String] = []
    for (i, entry) in entries.enumerated() {
      switch entry {
      case .statement(let source):
        lines.append(source)
      case .result(let source, let hadSideEffects):
        if isRead(after: i) {
          lines.append("ans = \(source)")
          lines.append("_ = ans")
        } else if hadSideEffects {
          lines.append(source)
        }
      }
    }
    return lines
  }

  /// Whether a statement after entry `i` reads the result `i` bound, before (or in) the next
  /// result.
  private func isRead(after i: Int) -> Bool {
    for entry in entries[(i + 1)...] {
      switch entry {
      case .statement(let source):
        if Self.readsLastResult(source) { return true }
      case .result(let source, _):
        return Self.readsLastResult(source)
      }
    }
    return false
  }

  /// Whether `source` names `ans` or `_`.
  static func readsLastResult(_ source: String) -> Bool {
    guard let tokens = try? Lexer.tokenize(SourceFile(name: "<replay>", text: source)) else {
      return true  // cannot tell: keep the binding
    }
    return tokens.contains { token in
      if case .identifier(let name) = token.kind { return name == "ans" || name == "_" }
      return false
    }
  }
}
