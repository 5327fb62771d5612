/// A formula in nabla's language (what ``FormulaPrinter`` prints) as LaTeX math: the text is
/// parsed back and each expression written in mathematical notation. Matrix products are
/// juxtaposed (`W x`), elementwise products are `\odot`, quotients `\frac`, transposes
/// `^{\top}`, comparisons Iverson brackets `[x > 0]` (they are 1 or 0); functions with a
/// LaTeX command use it (`\tanh`, `\sqrt{x}`, `|x|`), others `\operatorname`. A local
/// definition `t(x) = …` becomes a line of its own; lines are separated by `\\`.
enum LaTeXRenderer {
  /// The LaTeX of a formula's lines, or `nil` when they do not parse.
  static func render(_ formula: String) -> String? {
    let file = SourceFile(name: "<formula>", text: formula)
    guard let statements = try? Parser.parse(file) else { return nil }
    var lines: [String] = []
    for statement in statements {
      switch statement.kind {
      case .define(let name, let parameters, let body):
        lines.append(
          "\(identifier(name))(\(parameters.map(identifier).joined(separator: ", "))) = "
            + expression(body))
      case .expression(let e):
        lines.append(expression(e))
      case .assign, .assert:
        return nil
      }
    }
    return lines.joined(separator: " \\\\\n")
  }

  /// How tightly a rendered expression binds, loosest first.
  private enum Level: Int, Comparable {
    case lambda = 0, comparison, sum, product, unary, power, atom
    static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
  }

  private static func expression(_ e: Expr) -> String { render(e).text }

  private static func wrapped(_ e: Expr, _ needs: Level) -> String {
    let (text, level) = render(e)
    return level >= needs ? text : "\\left(" + text + "\\right)"
  }

  private static func render(_ e: Expr) -> (text: String, level: Level) {
    switch e.kind {
    case .integer(let n): return (String(n), n < 0 ? .unary : .atom)
    case .real(let x): return (number(x), x < 0 ? .unary : .atom)
    case .string(let s): return ("\\text{\(s)}", .atom)
    case .name(let n): return (identifier(n), .atom)
    case .tuple(let items):
      return ("(" + items.map(expression).joined(separator: ", ") + ")", .atom)
    case .list(let items): return (matrix(items), .atom)
    case .unary(let op, let x):
      switch op {
      case .negate: return ("-" + wrapped(x, .product), .unary)
      case .plus: return render(x)
      case .not: return ("\\lnot " + wrapped(x, .unary), .unary)
      }
    case .binary(let op, let a, let b, _):
      return binary(op, a, b)
    case .call(let callee, let arguments):
      return (call(callee, arguments), .atom)
    case .index(let x, let items):
      let parts = items.map { item in
        switch item {
        case .expr(let i): expression(i)
        case .slice(let start, let stop, let step, _):
          [start, stop, step].prefix(step == nil ? 2 : 3).map { $0.map(expression) ?? "" }
            .joined(separator: ":")
        case .ellipsis: "\\ldots"
        }
      }
      return (wrapped(x, .atom) + "_{" + parts.joined(separator: ",") + "}", .atom)
    case .transpose(let x): return (wrapped(x, .atom) + "^{\\top}", .power)
    case .member(let x, let name, _): return (wrapped(x, .atom) + ".\\mathrm{\(name)}", .atom)
    case .conditional(let value, let condition, let otherwise):
      return (
        "\\begin{cases}" + expression(value) + " & " + expression(condition) + " \\\\ "
          + expression(otherwise) + " & \\text{otherwise}\\end{cases}", .atom
      )
    case .logical(let op, let a, let b):
      let symbol = op == .and ? " \\land " : " \\lor "
      return (wrapped(a, .comparison) + symbol + wrapped(b, .comparison), .lambda)
    case .lambda(let parameters, let body):
      let head =
        parameters.count == 1
        ? identifier(parameters[0]) : "(" + parameters.map(identifier).joined(separator: ", ") + ")"
      return (head + " \\mapsto " + expression(body), .lambda)
    }
  }

  private static func binary(_ op: BinaryOperator, _ a: Expr, _ b: Expr) -> (String, Level) {
    switch op {
    case .add: return (wrapped(a, .sum) + " + " + wrapped(b, .product), .sum)
    case .subtract: return (wrapped(a, .sum) + " - " + wrapped(b, .product), .sum)
    case .matmul:
      // a number before a factor reads as a coefficient (`2 x`); otherwise a thin space
      let separator = isNumber(a) && !isNumber(b) ? " " : " \\, "
      return (wrapped(a, .product) + separator + wrapped(b, .unary), .product)
    case .elementwiseMultiply:
      return (wrapped(a, .product) + " \\odot " + wrapped(b, .unary), .product)
    case .divide:  // below atom, so a power of it is parenthesised: `(\\frac{x}{3})^{2}`
      return ("\\frac{" + expression(a) + "}{" + expression(b) + "}", .unary)
    case .power: return (wrapped(a, .atom) + "^{" + expression(b) + "}", .power)
    case .remainder: return (wrapped(a, .product) + " \\bmod " + wrapped(b, .unary), .product)
    case .floorDivide:
      let quotient = "\\frac{" + expression(a) + "}{" + expression(b) + "}"
      return ("\\left\\lfloor " + quotient + " \\right\\rfloor", .atom)
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
      let symbol =
        [
          BinaryOperator.equal: "=", .notEqual: "\\neq", .less: "<", .lessEqual: "\\le",
          .greater: ">", .greaterEqual: "\\ge",
        ][op] ?? "="
      return ("\\left[" + expression(a) + " " + symbol + " " + expression(b) + "\\right]", .atom)
    }
  }

  /// Functions LaTeX has a command for.
  private static let commands: Set<String> = [
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "exp", "log", "det", "max", "min",
  ]

  private static func call(_ callee: Expr, _ arguments: [CallArgument]) -> String {
    let texts = arguments.map { a in
      (a.label.map { "\\mathrm{\($0)}{=}" } ?? "") + expression(a.value)
    }
    let joined = texts.joined(separator: ", ")
    guard case .name(let name) = callee.kind else {
      return wrapped(callee, .atom) + "\\left(" + joined + "\\right)"
    }
    switch name {
    case "sqrt" where texts.count == 1: return "\\sqrt{" + joined + "}"
    case "abs" where texts.count == 1: return "\\left|" + joined + "\\right|"
    case "inv" where texts.count == 1: return wrapped(arguments[0].value, .atom) + "^{-1}"
    case "asin", "acos", "atan":
      return "\\arc\(name.suffix(3))\\left(" + joined + "\\right)"
    default:
      let head =
        commands.contains(name)
        ? "\\" + name : name.count == 1 ? name : "\\operatorname{\(name.replacingUnderscores)}"
      return head + "\\left(" + joined + "\\right)"
    }
  }

  /// `x`, `\mathrm{W1}` → `W_{1}`: a letter and digits as a subscript, longer names upright.
  private static func identifier(_ name: String) -> String {
    let letters = name.prefix { $0.isLetter }
    let rest = name.dropFirst(letters.count)
    if letters.count == 1, !rest.isEmpty, rest.allSatisfy(\.isNumber) {
      return "\(letters)_{\(rest)}"
    }
    return name.count == 1 ? name : "\\mathrm{\(name.replacingUnderscores)}"
  }

  private static func isNumber(_ e: Expr) -> Bool {
    switch e.kind {
    case .integer, .real: true
    default: false
    }
  }

  /// `1e-05` as `1 \times 10^{-5}`; other numbers as printed.
  private static func number(_ x: Double) -> String {
    let text = FormulaPrinter.number(x).text
    if x.isInfinite { return x > 0 ? "\\infty" : "-\\infty" }
    if x.isNaN { return "\\mathrm{NaN}" }
    guard let e = text.firstIndex(of: "e") else { return text }
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    return String(text[..<e]) + " \\times 10^{\(exponent)}"
  }

  /// A nested list as a matrix (a vector as a column).
  private static func matrix(_ rows: [Expr]) -> String {
    let lines = rows.map { row -> String in
      if case .list(let items) = row.kind { return items.map(expression).joined(separator: " & ") }
      return expression(row)
    }
    return "\\begin{bmatrix}" + lines.joined(separator: " \\\\ ") + "\\end{bmatrix}"
  }
}

extension String {
  /// Underscores escaped for LaTeX text.
  fileprivate var replacingUnderscores: String {
    split(separator: "_", omittingEmptySubsequences: false).joined(separator: "\\_")
  }
}
