import Testing

@testable import NablaCore

/// The grammar: precedence, statements, and where syntax errors point.
@Suite struct ParserTests {
  /// Parses one expression statement and prints it fully parenthesised.
  func shape(_ text: String) throws -> String {
    let statements = try Parser.parse(SourceFile(name: "<test>", text: text))
    guard statements.count == 1, case .expression(let e) = statements[0].kind else { return "?" }
    return render(e)
  }

  func render(_ e: Expr) -> String {
    switch e.kind {
    case .integer(let n): return String(n)
    case .real(let x): return String(x)
    case .string(let s): return "\"\(s)\""
    case .name(let n): return n
    case .tuple(let items):
      return "(" + items.map(render).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .list(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
    case .unary(let op, let x): return "(\(op.rawValue)\(render(x)))"
    case .binary(let op, let a, let b, _): return "(\(render(a)) \(op.rawValue) \(render(b)))"
    case .call(let f, let args):
      return render(f) + "("
        + args.map { ($0.label.map { $0 + "=" } ?? "") + render($0.value) }.joined(separator: ", ")
        + ")"
    case .index(let x, let items):
      return render(x) + "["
        + items.map { item in
          switch item {
          case .expr(let e): return render(e)
          case .slice(let a, let b, let c, _):
            return [a, b, c].map { $0.map(render) ?? "" }.joined(separator: ":")
          case .ellipsis: return "..."
          }
        }.joined(separator: ", ") + "]"
    case .transpose(let x): return "\(render(x))'"
    case .member(let x, let n, _): return "\(render(x)).\(n)"
    case .lambda(let p, let body): return "(\(p.joined(separator: ", ")) -> \(render(body)))"
    case .conditional(let a, let c, let b):
      return "(\(render(a)) if \(render(c)) else \(render(b)))"
    case .logical(let op, let a, let b): return "(\(render(a)) \(op.rawValue) \(render(b)))"
    }
  }

  @Test(arguments: [
    ("a if c else b if d else e", "(a if c else (b if d else e))"),
    ("x -> 1 if x > 0 else 2", "(x -> (1 if (x > 0) else 2))"),
    ("a or b and not c == d", "(a or (b and (!(c == d))))"),
    ("a and b or c", "((a and b) or c)"),
    ("a % b * c // d", "(((a % b) * c) // d)"),
    ("-7 % 3", "((-7) % 3)"),
    ("-x^2", "(-(x ^ 2))"),
    ("2^3^2", "(2 ^ (3 ^ 2))"),
    ("2**-1", "(2 ^ (-1))"),
    ("a .^ b", "(a ^ b)"),
    ("a + b * c", "(a + (b * c))"),
    ("a * b + c", "((a * b) + c)"),
    ("a @ b .* c ./ d", "(((a * b) .* c) / d)"),
    ("W * x .* y", "((W * x) .* y)"),
    ("a .* b * c", "((a .* b) * c)"),
    ("a / b * c", "((a / b) * c)"),
    ("-a * b", "((-a) * b)"),
    ("!a + b", "((!a) + b)"),
    ("-2^-1", "(-(2 ^ (-1)))"),
    ("x'^2", "(x' ^ 2)"),
    ("a + b < c * d", "((a + b) < (c * d))"),
    ("x -> x < 1", "(x -> (x < 1))"),
    ("a - b - c", "((a - b) - c)"),
    ("a < b + 1", "(a < (b + 1))"),
    ("(1 < x) < 3", "((1 < x) < 3)"),
    ("(a == b) != c", "((a == b) != c)"),
    ("a < (b < c)", "(a < (b < c))"),
    ("(a < b) .* (b <= c)", "((a < b) .* (b <= c))"),
    ("x -> y -> x + y", "(x -> (y -> (x + y)))"),
    ("(x, y) -> x", "(x, y -> x)"),
    ("() -> 1", "( -> 1)"),
    ("f(a, b=2)(c)", "f(a, b=2)(c)"),
    ("a[1:3, ::2, None, -1]", "a[1:3:, ::2, None, (-1)]"),
    ("a[..., 0]", "a[..., 0]"), ("x.at[i].set(v)", "x.at[i].set(v)"),
    ("a'", "a'"),
    ("a.T'", "a''"),
    ("a.shape", "a.shape"),
    ("W'*x", "(W' * x)"),
    ("load('f.npy')", "load(\"f.npy\")"),
    ("(a,)", "(a,)"),
    ("()", "()"),
    ("[[1, 2], [3, 4]]", "[[1, 2], [3, 4]]"),
    ("1e-3 + .5 + 2.", "((0.001 + 0.5) + 2.0)"),
    ("3.*x", "(3 .* x)"),
    ("f(\n  1,\n  2)", "f(1, 2)"),
  ])
  func precedence(_ text: String, _ expected: String) throws {
    #expect(try shape(text) == expected)
  }

  @Test func statementKinds() throws {
    let s = try Parser.parse(
      SourceFile(
        name: "<t>",
        text: "x = 1; a, b = t\n(c, d) = t; f(p, q) = p + q\nassert x, \"m\"\nx # comment\n"))
    #expect(s.count == 6)
    guard case .assign(.name("x"), _) = s[0].kind else { Issue.record("\(s[0].kind)"); return }
    for k in [1, 2] {
      guard case .assign(let target, _) = s[k].kind, case .tuple = target,
        target.names == (k == 1 ? ["a", "b"] : ["c", "d"])
      else {
        Issue.record("\(s[k].kind)")
        return
      }
    }
    guard case .define("f", ["p", "q"], _) = s[3].kind else { Issue.record("\(s[3].kind)"); return }
    guard case .assert(_, .some) = s[4].kind else { Issue.record("\(s[4].kind)"); return }
    guard case .expression = s[5].kind else { Issue.record("\(s[5].kind)"); return }
  }

  /// Syntax errors: the message, and the rendered diagnostic with its marker under the problem.
  @Test(arguments: [
    (
      "tanh(x +", "expectedExpression(found:)",
      """
      <t>:1:9: error: expected an expression, found end of input
      1 | tanh(x +
        |         ^

      """
    ),
    (
      "f(x", "unclosedDelimiter(_:closer:)",
      """
      <t>:1:2: error: unclosed '('
      1 | f(x
        |  ^ ~
        |    `- expected ')' before this
        = help: close it with ')'

      """
    ),
    (
      "y = [1, 2\nz = sin((3)", "unclosedDelimiter(_:closer:)",
      """
      <t>:1:5: error: unclosed '['
      1 | y = [1, 2
        |     ^
        = help: close it with ']'

      """
    ),
    (
      "x = = 1", "expectedExpression(found:)",
      """
      <t>:1:5: error: expected an expression, found '='
      1 | x = = 1
        |     ^

      """
    ),
    (
      "1 2", "statementSeparator(found:)",
      """
      <t>:1:3: error: expected ';' or a newline between statements, found number '2'
      1 | 1 2
        |   ^

      """
    ),
    (
      "a $ b", "unexpectedCharacter(_:)",
      """
      <t>:1:3: error: unexpected character '$'
      1 | a $ b
        |   ^

      """
    ),
    (
      "\"open", "unterminatedString()",
      """
      <t>:1:1: error: unterminated string
      1 | "open
        | ^^^^^
        = help: close it with '"'

      """
    ),
    (
      "f(1) + 1 = 2", "cannotAssign(_:)",
      """
      <t>:1:1: error: cannot assign to this expression
      1 | f(1) + 1 = 2
        | ^^^^^^^^ ~
        = help: assign to a name ('x = …'), a tuple of names ('a, b = …') or define a function ('f(x) = …')

      """
    ),
    (
      "f(x, x) = x", "duplicateParameter(_:)",
      """
      <t>:1:6: error: parameter 'x' appears twice
      1 | f(x, x) = x
        |      ^

      """
    ),
    (
      "(1 + 2) -> 3", "expectedToken(_:found:)",
      """
      <t>:1:1: error: expected parameters before '->', found an expression
      1 | (1 + 2) -> 3
        | ^^^^^^^ ~~

      """
    ),
  ])
  func syntaxErrorsPointAtTheProblem(_ text: String, _ id: String, _ rendered: String) {
    let file = SourceFile(name: "<t>", text: text)
    do {
      _ = try Parser.parse(file)
      Issue.record("expected a syntax error")
    } catch {
      #expect(error.message.id == id)
      #expect(error.category == .syntax)
      #expect(DiagnosticRenderer(useColor: false).render(error) == rendered)
    }
  }

  /// `a < b < c` does not parse: the second operator is marked, the first one underlined,
  /// and the help writes the two comparisons out from the operands as typed.
  @Test(arguments: [
    (
      "1 < x < 3",
      """
      <t>:1:7: error: comparison operators cannot be chained
      1 | 1 < x < 3
        |   ~   ^
        = help: comparisons do not chain; write (1 < x) .* (x < 3)

      """
    ),
    (
      "0 <= x[0] + 1 <= 2 * n",
      """
      <t>:1:15: error: comparison operators cannot be chained
      1 | 0 <= x[0] + 1 <= 2 * n
        |   ~~          ^^
        = help: comparisons do not chain; write (0 <= x[0] + 1) .* (x[0] + 1 <= 2 * n)

      """
    ),
    (
      "a == b != c > d",
      """
      <t>:1:8: error: comparison operators cannot be chained
      1 | a == b != c > d
        |   ~~   ^^
        = help: comparisons do not chain; write (a == b) .* (b != c)

      """
    ),
    (
      "f = x -> 0<x>=-1",
      """
      <t>:1:13: error: comparison operators cannot be chained
      1 | f = x -> 0<x>=-1
        |           ~ ^^
        = help: comparisons do not chain; write (0 < x) .* (x >= -1)

      """
    ),
    (
      "1 < x <",
      """
      <t>:1:7: error: comparison operators cannot be chained
      1 | 1 < x <
        |   ~   ^
        = help: comparisons do not chain; compare two operands at a time and multiply the results with '.*'

      """
    ),
  ])
  func chainedComparisonsAreASyntaxError(_ text: String, _ rendered: String) {
    do {
      _ = try Parser.parse(SourceFile(name: "<t>", text: text))
      Issue.record("expected a syntax error")
    } catch {
      #expect(error.message.id == "chainedComparison(suggestion:)")
      #expect(error.category == .syntax)
      #expect(DiagnosticRenderer(useColor: false).render(error) == rendered)
    }
  }

  /// Each case is the program and the 1-based column where nesting passes the limit.
  @Test func deepNestingIsADiagnosticNotACrash() {
    for (text, column) in [
      (String(repeating: "(", count: 100_000), 49),
      (String(repeating: "-", count: 100_000) + "1", 96),
      (String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), 49),
      (String(repeating: "f(", count: 5000), 97),
    ] {
      do {
        _ = try Parser.parse(SourceFile(name: "<t>", text: text))
        Issue.record("expected an error")
      } catch {
        #expect(error.message.id == "nestingTooDeep(limit:)")
        // a long line is shown as the 100 characters from 25 before the error, cut with '…'
        let characters = Array(text)
        let start = column - 1 - 25
        let window = String(characters[start..<(start + 100)])
        #expect(
          DiagnosticRenderer(useColor: false).render(error) == """
            <t>:1:\(column): error: expression nested more than 96 levels deep
            1 | …\(window)…
              | \(String(repeating: " ", count: 26))^
              = help: split it into smaller statements

            """)
      }
    }
  }

  @Test func hugeProgramsAreRefused() {
    let text = String(repeating: "1;", count: Lexer.maxBytes / 2 + 1)
    do {
      _ = try Parser.parse(SourceFile(name: "<t>", text: text))
      Issue.record("expected an error")
    } catch {
      #expect(error.message.id == "programTooLarge(limit:)")
      #expect(
        DiagnosticRenderer(useColor: false).render(error)
          == "<t>:1:1: error: program is longer than 4194304 bytes\n1 | \(text.prefix(100))…\n  | ^\n"
      )
    }
  }

  /// `a if c` without `else` points at where `else` was expected, with the `if` labelled.
  @Test func conditionalNeedsElse() {
    let run = Run("x = 1; 1 if x")
    #expect(run.diagnostic?.message.id == "expectedToken(_:found:)", "\(run.diagnostics)")
    #expect(run.diagnostics.contains("expected 'else'"), "\(run.diagnostics)")
  }
}
