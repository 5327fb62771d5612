/// What `:save` writes so that `nabla -f` reproduces a session: the source of every statement
/// that changed it (bindings, definitions, random draws, seeds, files), in order.
///
/// The REPL numbers its printed results: result `k` is `_k`, and `ans`, `_`, `__`, `___` are
/// the last three. Statements are recorded with those names already resolved to the numbered
/// result they meant when they ran (``resolvingResultNames(_:_:)``), so a result is written as
/// `_k = …` only when a later statement reads `_k`, as the expression alone when it drew
/// random numbers or touched files, and not at all otherwise. (Re-evaluating the expression at
/// its place in the log gives the same value.)
struct ReplayLog {
  enum Entry {
    case statement(String)
    case result(String, number: Int, hadSideEffects: Bool)
  }

  private(set) var entries: [Entry] = []
  /// The default dtype when the first entry was recorded.
  var startDType: DType?

  mutating func append(_ entry: Entry) { entries.append(entry) }

  /// The script's lines.
  var lines: [String] {
    var read = Set<String>()
    for entry in entries {
      switch entry {
      case .statement(let source), .result(let source, _, _): read.formUnion(Self.names(in: source))
      }
    }
    var lines: [String] = []
    for entry in entries {
      switch entry {
      case .statement(let source):
        lines.append(source)
      case .result(let source, let number, let hadSideEffects):
        if read.contains("_\(number)") {
          lines.append("_\(number) = \(source)")
        } else if hadSideEffects {
          lines.append(source)
        }
      }
    }
    return lines
  }

  /// `source` with each name of `resultNames` (`ans`, `_`, … → the number of the result it is
  /// bound to) replaced by `_k`, outside `excluded` (an assignment's target).
  static func resolvingResultNames(
    _ source: SourceFile, _ resultNames: [String: Int], excluding excluded: Range<Int>? = nil
  ) -> String {
    guard !resultNames.isEmpty, let tokens = try? Lexer.tokenize(source) else { return source.text }
    var bytes = Array(source.text.utf8)
    for token in tokens.reversed() {
      guard case .identifier(let name) = token.kind, let k = resultNames[name],
        !(excluded?.contains(token.range.start) ?? false),
        token.range.start >= 0, token.range.end <= bytes.count
      else { continue }
      bytes.replaceSubrange(token.range.start..<token.range.end, with: Array("_\(k)".utf8))
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The identifiers `source` names.
  private static func names(in source: String) -> Set<String> {
    guard let tokens = try? Lexer.tokenize(SourceFile(name: "<replay>", text: source)) else {
      return []
    }
    var names = Set<String>()
    for token in tokens {
      if case .identifier(let name) = token.kind { names.insert(name) }
    }
    return names
  }
}
