/// Tab completion for the REPL: built-ins, bound names, keyword arguments of the function
/// being called, attributes after `.`, `:commands`, and file names inside `load("…")` or after
/// `:load`/`:save` (directories with a `/`, so completion goes on into them; `~` is home).
extension ReplEngine {
  /// Characters that end the word being completed.
  public static let wordBreaks = " \t\n()[],;=+-*/^<>!'\".:@"

  /// Candidates for the word ending at `cursor` in `line` (the word is what follows the last
  /// word-break character before the cursor).
  public func completions(line: String, cursor: Int) -> [String] {
    let chars = Array(line.prefix(cursor))
    var start = chars.count
    let breaks = Set(Self.wordBreaks)
    while start > 0, !breaks.contains(chars[start - 1]) { start -= 1 }
    let word = String(chars[start...])

    let typed = String(chars).trimmingSpaces()
    if typed.hasPrefix(":"), !typed.contains(" ") {
      return ReplCommand.names.map { String($0.dropFirst()) }.filter { $0.hasPrefix(word) }
    }
    if let pathStart = filePathStart(chars) {
      let quote = pathStart > 0 && "\"'".contains(chars[pathStart - 1]) ? chars[pathStart - 1] : nil
      return fileCompletions(String(chars[pathStart...]), replacing: word, closingWith: quote)
    }
    if start > 1, chars[start - 1] == ".",
      chars[start - 2].isLetter || chars[start - 2].isNumber || chars[start - 2] == "_"
        || chars[start - 2] == ")" || chars[start - 2] == "]"
    {
      return Tracer.tensorAttributes.filter { $0.hasPrefix(word) }
    }
    var candidates = Builtins.names + Array(session.bindings.keys) + Constants.names
    if let callee = enclosingCallee(String(chars[..<start])) {
      candidates = keywords(of: callee).map { $0 + "=" } + candidates
    }
    return Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
  }

  /// Where a file path being typed starts: after `load("` (unclosed) or `:load `/`:save `.
  private func filePathStart(_ chars: [Character]) -> Int? {
    let text = String(chars)
    for prefix in [":load ", ":save "] where text.hasPrefix(prefix) { return prefix.count }
    guard let quote = chars.lastIndex(where: { $0 == "\"" || $0 == "'" }) else { return nil }
    let quotes = chars.filter { $0 == "\"" || $0 == "'" }.count
    guard quotes % 2 == 1 else { return nil }
    let head = String(chars[..<quote]).trimmingSpaces()
    return head.hasSuffix("load(") || head.hasSuffix("save(") ? quote + 1 : nil
  }

  /// File names completing `path`, each cut to the part that replaces `word` (readline
  /// replaces only the text after the last word-break character, such as `.` or `/`). A
  /// directory ends in `/`, so completion goes on into it; a file ends in the `quote` that
  /// opened the string, if any.
  private func fileCompletions(
    _ path: String, replacing word: String, closingWith quote: Character?
  )
    -> [String]
  {
    let directory: String
    let prefix: String
    if let slash = path.lastIndex(of: "/") {
      directory = String(path[...slash])
      prefix = String(path[path.index(after: slash)...])
    } else {
      directory = ""
      prefix = path
    }
    var listed = directory.isEmpty ? "./" : directory
    if listed.hasPrefix("~/"), let home = homeDirectory {
      listed = home + listed.dropFirst()
    }
    let names = listDirectory(listed)
    let typedBeforeWord = max(0, prefix.count - word.count)
    return names.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }
      .map { name in
        String(name.dropFirst(typedBeforeWord))
          + (isDirectory(listed + name) ? "/" : quote.map { String($0) } ?? "")
      }.sorted()
  }

  /// The function whose argument list the cursor is in: `jacrev(f, arg` → `jacrev`.
  private func enclosingCallee(_ text: String) -> String? {
    var depth = 0
    let chars = Array(text)
    var i = chars.count - 1
    while i >= 0 {
      switch chars[i] {
      case ")", "]": depth += 1
      case "[": depth -= 1
      case "(":
        if depth == 0 {
          var end = i
          while end > 0, chars[end - 1] == " " { end -= 1 }
          var j = end
          while j > 0, chars[j - 1].isLetter || chars[j - 1].isNumber || chars[j - 1] == "_" {
            j -= 1
          }
          return j < end ? String(chars[j..<end]) : nil
        }
        depth -= 1
      default: break
      }
      i -= 1
    }
    return nil
  }

  /// Keyword parameters of a built-in or a user function.
  private func keywords(of name: String) -> [String] {
    if case .function(let f)? = session.bindings[name] {
      switch f.body {
      case .user(let p, _), .lambda(let p, _, _): return p
      case .builtin(let b): return b.parameters.map(\.name)
      case .transformed: return []
      }
    }
    guard let b = Builtins.table[name] else { return [] }
    return b.parameters.map(\.name) + b.aliases.keys
  }
}
