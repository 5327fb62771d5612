/// The REPL's `:help` texts.
enum Help {
  static func text(for topic: String) -> String {
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
    if t == "builtins" || t == "functions" {
      return Builtins.all.map(\.name).joined(separator: " ")
    }
    if let b = Builtins.table[t] {
      return "\(b.signature)\n  \(b.summary)\n  example: \(b.example)"
    }
    let suggestion = Suggestions.nearest(
      to: t, in: Builtins.names + ["commands", "transforms", "builtins"])
    return "no help on '\(t)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
  }

  private static func pad(_ s: String, _ n: Int) -> String {
    s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
  }

  static let overview = """
    nabla: write a function, ask for a derivative.

      f(x) = sum(sin(x)^2)          define a function
      x = randn(4)                  bind a value (the REPL echoes its type)
      grad(f)(x)                    the gradient; also jacrev, jacfwd, hessian, hvp, vmap, …
      J = jacrev(x -> tanh(x))(x)   lambdas work too

    :help transforms     the transforms        :help NAME      one built-in, with an example
    :help builtins       every built-in        :help commands  the :commands
    Tab completes names, keyword arguments and files; Ctrl-C cancels; Ctrl-D leaves.
    """
}
