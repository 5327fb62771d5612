/// The legend's names of plotted curves.
///
/// A function is called by its name (`f`, `sin`), a lambda by the next free one of `f`, `g`,
/// `h`, …; f's k-th derivative carries k primes. When the formula printer can write a curve's
/// function briefly, the label gives it: `f(x) = x^2 * sin(x)`, `f′(x) = …`. Data are called
/// by the source text of their argument.
enum PlotLabels {
  /// Formulas longer than this are left out of labels.
  static let longestFormula = 40

  /// A name for each function: its own, or for a lambda a letter no other one takes.
  static func names(for functions: [Function]) -> [String] {
    let taken = Set(functions.compactMap(ownName))
    var letters = ["f", "g", "h", "p", "q", "r", "u", "v", "w"].filter { !taken.contains($0) }[...]
    return functions.enumerated().map { i, f in
      ownName(f) ?? letters.popFirst() ?? "f\(i + 1)"
    }
  }

  /// The name a function has, `nil` for a lambda.
  private static func ownName(_ f: Function) -> String? {
    switch f.body {
    case .user: f.name
    case .builtin(let b): b.name
    case .transformed: f.baseName
    case .lambda: nil
    }
  }

  /// The labels of `f` (called `name`) and its derivatives up to `order`.
  static func labels(_ f: Function, name: String, order: Int, session: Session) -> [String] {
    let variable: String
    switch f.body {
    case .user(let p, _), .lambda(let p, _, _): variable = p.count == 1 ? p[0] : "x"
    case .builtin, .transformed: variable = "x"
    }
    var g = f
    var out: [String] = []
    for k in 0...max(0, order) {
      if k > 0 {
        g = Function(
          name: f.name,
          body: .transformed(
            base: g, .grad(argnums: .first, hasAux: false, withValue: false, name: "grad")))
      }
      let head = name + ["", "′", "″"][min(k, 2)] + "(\(variable))"
      if let formula = formula(g, variable, session), formula != head {
        out.append(head + " = " + formula)
      } else {
        out.append(head)
      }
    }
    return out
  }

  /// The body of the function's formula for a scalar argument, if short and on one line.
  private static func formula(_ f: Function, _ variable: String, _ session: Session) -> String? {
    guard let text = FormulaPrinter.formula(of: f, in: session), !text.contains("\n") else {
      return nil
    }
    let prefix = variable + " -> "
    guard text.hasPrefix(prefix) else { return nil }
    let body = String(text.dropFirst(prefix.count))
    return body.count <= longestFormula ? body : nil
  }

  /// The source texts of the items of a tuple written out, `(sin(t), cos(t))`, or `nil` when
  /// the text is not a parenthesised list of `count` items.
  static func tupleItems(_ text: String, count: Int) -> [String]? {
    let chars = Array(text.trimmingSpaces())
    guard chars.first == "(", chars.last == ")", chars.count >= 2 else { return nil }
    var items: [String] = []
    var depth = 0
    var quote: Character?
    var current = ""
    var previous: Character = " "
    for c in chars[1..<(chars.count - 1)] {
      // `'` after a name, number or bracket is a transpose, not a quote
      let transposes = previous.isLetter || previous.isNumber || "_)]'".contains(previous)
      if c != " " { previous = c }
      if let q = quote {
        if c == q { quote = nil }
      } else if c == "\"" || (c == "'" && !transposes) {
        quote = c
      } else if "([{".contains(c) {
        depth += 1
      } else if ")]}".contains(c) {
        depth -= 1
      } else if c == ",", depth == 0 {
        items.append(current.trimmingSpaces())
        current = ""
        continue
      }
      current.append(c)
    }
    let last = current.trimmingSpaces()
    if !last.isEmpty { items.append(last) }
    return items.count == count && items.allSatisfy({ !$0.isEmpty }) ? items : nil
  }
}
