/// The REPL's `:help` texts: built-ins, transforms, commands, syntax, the session's own names
/// (a user function shows its definition), and a search of every built-in's name and summary.
enum Help {
  static func text(for topic: String, in session: Session) -> String {
    let t = topic.trimmingSpaces()
    if t.isEmpty { return overview }
    if t == "commands" || t.hasPrefix(":") {
      let lines = ReplCommand.summaries.filter { t == "commands" || $0.0.hasPrefix(t) }
      if !lines.isEmpty { return lines.map { pad($0.0, 28) + $0.1 }.joined(separator: "\n") }
    }
    if t == "transforms" {
      return "Transforms return functions and compose to any depth:\n"
        + Builtins.transforms.map { "  " + pad($0.signature, 44) + $0.summary }.joined(
          separator: "\n")
    }
    if t == "plots" || t == "pictures" { return plots }
    if t == "builtins" || t == "functions" { return columns(Builtins.names.sorted()) }
    if t == "syntax" || t == "operators" { return syntax }
    if let value = session.bindings[t] { return describe(t, value) }
    if let b = Builtins.table[t] { return builtinText(b) }
    if t.contains("*") || t.contains("?") {
      let names = (Builtins.names + session.bindingOrder).filter { glob(t, matches: $0) }
      return names.isEmpty ? "no name matches '\(t)'" : columns(names.sorted())
    }
    let found = search(t)
    if !found.isEmpty {
      return "no built-in named '\(t)'; these mention it:\n"
        + found.map { "  " + pad($0.name, 20) + $0.summary }.joined(separator: "\n")
    }
    let suggestion = Suggestions.nearest(
      to: t,
      in: Builtins.names + session.bindingOrder + [
        "commands", "transforms", "builtins", "syntax", "plots",
      ])
    return "no help on '\(t)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
  }

  /// A session binding: a user function's definition as written, or a value's type.
  private static func describe(_ name: String, _ value: Value) -> String {
    guard case .function(let f) = value else { return "\(name): \(value.summary)" }
    switch f.body {
    case .user(let parameters, let body):
      return "\(name)(\(parameters.joined(separator: ", "))) = \(source(body))\n"
        + "  defined in this session"
    case .lambda(let parameters, let body, _):
      let head = parameters.count == 1 ? parameters[0] : "(\(parameters.joined(separator: ", ")))"
      return "\(name) = \(head) -> \(source(body))\n  a lambda bound in this session"
    case .builtin(let b):
      return "\(name) is the built-in \(b.name):\n" + builtinText(b)
    case .transformed:
      return "\(name) = \(f.description)\n  a transformed function bound in this session"
    }
  }

  private static func source(_ e: Expr) -> String { e.range.file.text(of: e.range) }

  private static func builtinText(_ b: Builtin) -> String {
    "\(b.signature)\n  \(b.summary)\n  example: \(b.example)"
  }

  /// Built-ins whose name or summary contains `word` (case-insensitive).
  private static func search(_ word: String) -> [Builtin] {
    let w = word.lowercased()
    guard w.count >= 3 else { return [] }
    return Builtins.all.filter {
      $0.name.lowercased().contains(w) || $0.summary.lowercased().contains(w)
    }
  }

  /// `*` any run of characters, `?` one character.
  static func glob(_ pattern: String, matches name: String) -> Bool {
    let p = Array(pattern)
    let s = Array(name)
    func match(_ i: Int, _ j: Int) -> Bool {
      if i == p.count { return j == s.count }
      if p[i] == "*" { return (j...s.count).contains { match(i + 1, $0) } }
      guard j < s.count, p[i] == "?" || p[i] == s[j] else { return false }
      return match(i + 1, j + 1)
    }
    return match(0, 0)
  }

  /// Names in columns across 80 characters.
  static func columns(_ names: [String]) -> String {
    let width = (names.map(\.count).max() ?? 0) + 2
    let perLine = max(1, 80 / max(1, width))
    var lines: [String] = []
    var i = 0
    while i < names.count {
      let row = names[i..<min(i + perLine, names.count)]
      lines.append(row.map { pad($0, width) }.joined().trimmingSpaces())
      i += perLine
    }
    return lines.joined(separator: "\n")
  }

  private static func pad(_ s: String, _ n: Int) -> String {
    s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
  }

  /// `:help plots`: the figures, and where they go.
  static var plots: String {
    "Pictures are values: printed, they fit the terminal (in colour where it is on);\n"
      + "save(\"fig.svg\", …) and -o fig.svg write SVG; --format json gives their data.\n"
      + Builtins.plots.map { "  \($0.signature)\n      \($0.summary)\n      e.g. \($0.example)" }
      .joined(separator: "\n")
  }

  static let syntax = """
    Statements, separated by ';' or newlines:
      x = expr            bind a value (a, b = pair unpacks a tuple)
      f(x, y) = expr      define a function
      assert cond, "why"  stop with an error unless cond holds
      expr                print its value (the REPL keeps it as ans and _)
    Expressions, loosest first:
      x -> e, (x, y) -> e        lambdas
      ==  !=  <  <=  >  >=       comparisons, 1. or 0. (they do not chain)
      +  -                       sums, broadcast as in NumPy
      *  @  .*  /  ./            one level, left to right: * and @ the matrix product,
                                 .* / ./ elementwise
      -x  +x  !x                 negation, not
      ^  **  .^                  powers, right to left (-x^2 is -(x^2))
      f(a)  x[i, 1:3]  x'  x.T   calls, indexing, transposes; x.shape x.ndim x.dtype
    Literals: 3, 2.5, 1e-3, pi, e, inf, nan, True, None, "text", [1, 2], [[1, 2], [3, 4]], (a, b)
    """

  static let overview = """
    nabla: write a function, ask for a derivative.

      f(x) = sum(sin(x)^2)          define a function
      x = randn(4)                  bind a value (the REPL echoes its type)
      grad(f)(x)                    the gradient; also jacrev, jacfwd, hessian, hvp, vmap, …
      J = jacrev(x -> tanh(x))(x)   lambdas work too

    :help transforms     the transforms        :help NAME      one built-in, or your function
    :help builtins       every built-in        :help commands  the :commands
    :help syntax         statements, operators :help WORD      search (also :help *grad*)
    :help plots          plot, heatmap, spy
    NAME? and help(NAME) also work. Tab completes names, keyword arguments and files;
    Ctrl-C cancels; Ctrl-D leaves.
    """
}
