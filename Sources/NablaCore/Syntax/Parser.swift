/// Parses nabla source into statements, one recursive-descent function per
/// precedence level, loosest first:
///
///     lambda      params -> expr    (right-associative: the body extends as far as it can)
///     conditional a if c else b     (right-associative)
///     or, and     a or b, a and b   (left-associative)
///     not         not a
///     comparison  == != < <= > >=   (non-associative: `1 < x < 3` is an error)
///     additive    + -               (left-associative)
///     product     * @ .* / ./ % //  (one level, left-associative)
///     unary       - + !
///     power       ^ ** .^           (right-associative; binds tighter than unary minus)
///     postfix     f(args) a[i] a' a.T a.shape
///     primary     literals, names, (tuples), [lists]
///
/// Nesting is bounded (``maxDepth``) so deep input is a diagnostic, never a stack overflow.
public struct Parser {
  public static let maxDepth = 96

  private var tokens: [Token]
  private var position = 0
  private var depth = 0
  private let file: SourceFile

  /// Parses a whole program; the first syntax error is thrown.
  public static func parse(_ file: SourceFile) throws(Diagnostic) -> [Statement] {
    var statements: [Statement] = []
    for item in parseRecovering(file) { statements.append(try item.get()) }
    return statements
  }

  /// Parses statement by statement, recovering from a syntax error by skipping to the next
  /// `;` or newline (for `--keep-going`): each item is a statement or the error in its place.
  /// A lexical error (an unterminated string) still ends the program.
  public static func parseRecovering(_ file: SourceFile) -> [Result<Statement, Diagnostic>] {
    let tokens: [Token]
    do {
      tokens = try Lexer.tokenize(file)
    } catch {
      return [.failure(error)]
    }
    var parser = Parser(tokens: tokens, file: file)
    var items: [Result<Statement, Diagnostic>] = []
    while true {
      while parser.current.kind == .separator { _ = parser.advance() }
      if parser.current.kind == .end { return items }
      do throws(Diagnostic) {
        let statement = try parser.parseStatement()
        switch parser.current.kind {
        case .separator, .end: items.append(.success(statement))
        default:
          throw Diagnostic(
            .statementSeparator(found: parser.current.description), at: parser.current.range)
        }
      } catch {
        items.append(.failure(error))
        parser.depth = 0
        while parser.current.kind != .separator && parser.current.kind != .end {
          _ = parser.advance()
        }
      }
    }
  }

  private init(tokens: [Token], file: SourceFile) {
    self.tokens = tokens
    self.file = file
  }

  // MARK: - Tokens

  private var current: Token { tokens[position] }
  private var next: Token { tokens[min(position + 1, tokens.count - 1)] }

  private mutating func advance() -> Token {
    let t = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return t
  }

  private mutating func accept(_ symbol: String) -> Token? {
    current.isSymbol(symbol) ? advance() : nil
  }

  private mutating func expect(_ symbol: String, _ what: String? = nil) throws(Diagnostic) -> Token
  {
    if let t = accept(symbol) { return t }
    throw Diagnostic(
      .expectedToken(what ?? "'\(symbol)'", found: current.description), at: current.range)
  }

  /// The closing bracket of `opener`. When it is missing at the end of the input, or where
  /// the next token is on a later line, the error points at the bracket left open (as rustc's
  /// "unclosed delimiter"), with a label where the closing one was expected.
  private mutating func expectClosing(_ symbol: String, _ what: String, opener: Token)
    throws(Diagnostic) -> Token
  {
    if let t = accept(symbol) { return t }
    if current.kind == .end || isOnALaterLine(current) {
      let open = opener.range.file.text(of: opener.range)
      throw Diagnostic(.unclosedDelimiter(open, closer: symbol), at: opener.range)
        .labeled(current.range, "expected '\(symbol)' before this")
    }
    throw Diagnostic(.expectedToken(what, found: current.description), at: current.range)
  }

  /// Whether `token` starts on a later line than the token before it ends.
  private func isOnALaterLine(_ token: Token) -> Bool {
    guard position > 0 else { return false }
    let file = token.range.file
    return file.location(of: token.range.start).line
      > file.location(of: tokens[position - 1].range.end).line
  }

  private func span(_ a: SourceRange, _ b: SourceRange) -> SourceRange { a.merged(with: b) }

  // MARK: - Statements

  private mutating func parseStatement() throws(Diagnostic) -> Statement {
    if case .identifier("assert") = current.kind, !next.isSymbol("=") {
      let start = advance().range
      let condition = try parseExpression()
      var message: Expr?
      if accept(",") != nil { message = try parseExpression() }
      return Statement(
        kind: .assert(condition, message: message), range: span(start, (message ?? condition).range)
      )
    }
    var first = try parseExpression()
    if current.isSymbol(",") {  // an unparenthesised tuple: `a, b = …` or `1, 2`
      var items = [first]
      while accept(",") != nil {
        if current.kind == .separator || current.kind == .end || current.isSymbol("=") { break }
        items.append(try parseExpression())
      }
      first = Expr(.tuple(items), span(first.range, items[items.count - 1].range))
    }
    guard let eq = accept("=") else {
      return Statement(kind: .expression(first), range: first.range)
    }
    let value = try parseExpression()
    let range = span(first.range, value.range)
    switch first.kind {
    case .name, .tuple:
      return Statement(kind: .assign(try assignmentTarget(first), value: value), range: range)
    case .call(let callee, let args):
      guard case .name(let name) = callee.kind else {
        throw Diagnostic(.cannotAssign("a call"), at: first.range)
      }
      var parameters: [String] = []
      for a in args {
        guard a.label == nil, case .name(let p) = a.value.kind else {
          throw Diagnostic(.cannotAssign("a call with this argument"), at: a.range)
        }
        guard !parameters.contains(p) else { throw Diagnostic(.duplicateParameter(p), at: a.range) }
        parameters.append(p)
      }
      return Statement(kind: .define(name: name, parameters: parameters, body: value), range: range)
    default:
      throw Diagnostic(.cannotAssign("this expression"), at: first.range).labeled(eq.range)
    }
  }

  /// A name, or a tuple of targets nested like the tuple it unpacks (`(a, (b, c)) = …`).
  private func assignmentTarget(_ e: Expr) throws(Diagnostic) -> AssignmentTarget {
    switch e.kind {
    case .name(let n): return .name(n)
    case .tuple(let items):
      var targets: [AssignmentTarget] = []
      for item in items { targets.append(try assignmentTarget(item)) }
      return .tuple(targets, range: e.range)
    default:
      throw Diagnostic(.cannotAssign("this expression"), at: e.range)
    }
  }

  // MARK: - Expressions

  public mutating func parseExpression() throws(Diagnostic) -> Expr {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw Diagnostic(.nestingTooDeep(limit: Self.maxDepth), at: current.range)
    }
    let lhs = try parseConditional()
    guard let arrow = accept("->") else { return lhs }
    let parameters: [String]
    switch lhs.kind {
    case .name(let n): parameters = [n]
    case .tuple(let items):
      var names: [String] = []
      for item in items {
        guard case .name(let n) = item.kind else {
          throw Diagnostic(
            .expectedToken("a parameter name", found: "an expression"), at: item.range)
        }
        guard !names.contains(n) else { throw Diagnostic(.duplicateParameter(n), at: item.range) }
        names.append(n)
      }
      parameters = names
    default:
      throw Diagnostic(
        .expectedToken("parameters before '->'", found: "an expression"), at: lhs.range
      )
      .labeled(arrow.range)
    }
    let body = try parseExpression()
    return Expr(.lambda(parameters: parameters, body: body), span(lhs.range, body.range))
  }

  /// Words that are operators, not names: `if`, `else`, `and`, `or`, `not`.
  static let keywords: Set<String> = ["if", "else", "and", "or", "not"]

  private func isKeyword(_ word: String) -> Bool { current.kind == .identifier(word) }

  /// `a if c else b`, Python's conditional expression (right-associative: `a if c else b if d
  /// else e`), looser than `or`.
  private mutating func parseConditional() throws(Diagnostic) -> Expr {
    let value = try parseOr()
    guard isKeyword("if") else { return value }
    let ifRange = advance().range
    let condition = try parseOr()
    guard isKeyword("else") else {
      throw Diagnostic(.expectedToken("'else'", found: current.description), at: current.range)
        .labeled(ifRange)
    }
    _ = advance()
    // a chain of `else … if` nests as deeply as brackets do
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw Diagnostic(.nestingTooDeep(limit: Self.maxDepth), at: current.range)
    }
    let otherwise = try parseConditional()
    return Expr(
      .conditional(value, condition: condition, otherwise: otherwise),
      span(value.range, otherwise.range))
  }

  private mutating func parseOr() throws(Diagnostic) -> Expr {
    var lhs = try parseAnd()
    while isKeyword("or") {
      _ = advance()
      let rhs = try parseAnd()
      lhs = Expr(.logical(.or, lhs, rhs), span(lhs.range, rhs.range))
    }
    return lhs
  }

  private mutating func parseAnd() throws(Diagnostic) -> Expr {
    var lhs = try parseNot()
    while isKeyword("and") {
      _ = advance()
      let rhs = try parseNot()
      lhs = Expr(.logical(.and, lhs, rhs), span(lhs.range, rhs.range))
    }
    return lhs
  }

  /// `not a`: Python's, looser than comparisons (`not x == y` is `not (x == y)`).
  private mutating func parseNot() throws(Diagnostic) -> Expr {
    guard isKeyword("not") else { return try parseComparison() }
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw Diagnostic(.nestingTooDeep(limit: Self.maxDepth), at: current.range)
    }
    let start = advance().range
    let operand = try parseNot()
    return Expr(.unary(.not, operand), span(start, operand.range))
  }

  private static let comparisons: [String: BinaryOperator] = [
    "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual,
  ]

  /// A comparison has at most one comparison operator: `1 < x < 3` is an error pointing at the
  /// second operator, whose help spells out `(1 < x) .* (x < 3)`; `(1 < x) < 3` compares the
  /// result of the first comparison with 3.
  private mutating func parseComparison() throws(Diagnostic) -> Expr {
    let lhs = try parseAdditive()
    guard case .symbol(let s) = current.kind, let op = Self.comparisons[s] else { return lhs }
    let opRange = advance().range
    let rhs = try parseAdditive()
    if case .symbol(let second) = current.kind, Self.comparisons[second] != nil {
      let secondRange = advance().range
      // The help quotes the three operands; without a third one, or across lines, it cannot.
      var suggestion: String?
      if let last = try? parseAdditive() {
        let operands = [lhs, rhs, last].map { file.text(of: $0.range) }
        if !operands.contains(where: { $0.contains("\n") }) {
          suggestion =
            "(\(operands[0]) \(s) \(operands[1])) .* (\(operands[1]) \(second) \(operands[2]))"
        }
      }
      throw Diagnostic(.chainedComparison(suggestion: suggestion), at: secondRange)
        .labeled(opRange)
    }
    return Expr(.binary(op, lhs, rhs, operatorRange: opRange), span(lhs.range, rhs.range))
  }

  private mutating func parseAdditive() throws(Diagnostic) -> Expr {
    var lhs = try parseProduct()
    while case .symbol(let s) = current.kind, s == "+" || s == "-" {
      let opRange = advance().range
      let rhs = try parseProduct()
      let op: BinaryOperator = s == "+" ? .add : .subtract
      lhs = Expr(.binary(op, lhs, rhs, operatorRange: opRange), span(lhs.range, rhs.range))
    }
    return lhs
  }

  private static let products: [String: BinaryOperator] = [
    "*": .matmul, "@": .matmul, ".*": .elementwiseMultiply, "/": .divide, "./": .divide,
    "%": .remainder, "//": .floorDivide,
  ]

  private mutating func parseProduct() throws(Diagnostic) -> Expr {
    var lhs = try parseUnary()
    while case .symbol(let s) = current.kind, let op = Self.products[s] {
      let opRange = advance().range
      let rhs = try parseUnary()
      lhs = Expr(.binary(op, lhs, rhs, operatorRange: opRange), span(lhs.range, rhs.range))
    }
    return lhs
  }

  private mutating func parseUnary() throws(Diagnostic) -> Expr {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw Diagnostic(.nestingTooDeep(limit: Self.maxDepth), at: current.range)
    }
    if case .symbol(let s) = current.kind, let op = UnaryOperator(rawValue: s) {
      let start = advance().range
      let operand = try parseUnary()
      return Expr(.unary(op, operand), span(start, operand.range))
    }
    return try parsePower()
  }

  private mutating func parsePower() throws(Diagnostic) -> Expr {
    let base = try parsePostfix()
    if case .symbol(let s) = current.kind, s == "^" || s == "**" || s == ".^" {
      let opRange = advance().range
      let exponent = try parseUnary()
      return Expr(
        .binary(.power, base, exponent, operatorRange: opRange), span(base.range, exponent.range))
    }
    return base
  }

  private mutating func parsePostfix() throws(Diagnostic) -> Expr {
    var e = try parsePrimary()
    while true {
      if current.isSymbol("(") {
        let open = advance()
        let args = try parseArguments()
        let close = try expectClosing(")", "')' to close the call", opener: open)
        e = Expr(.call(e, args), span(e.range, close.range))
      } else if current.isSymbol("[") {
        let open = advance()
        let items = try parseIndexItems()
        let close = try expectClosing("]", "']' to close the index", opener: open)
        e = Expr(.index(e, items), span(e.range, close.range))
      } else if current.isSymbol("'") {
        let t = advance()
        e = Expr(.transpose(e), span(e.range, t.range))
      } else if current.isSymbol("."), case .identifier(let name) = next.kind {
        _ = advance()
        let nameToken = advance()
        let range = span(e.range, nameToken.range)
        e =
          name == "T"
          ? Expr(.transpose(e), range) : Expr(.member(e, name, nameRange: nameToken.range), range)
      } else {
        return e
      }
    }
  }

  private mutating func parseArguments() throws(Diagnostic) -> [CallArgument] {
    var args: [CallArgument] = []
    while !current.isSymbol(")") {
      if case .identifier(let label) = current.kind, next.isSymbol("=") {
        let start = advance().range
        _ = advance()
        let value = try parseExpression()
        args.append(CallArgument(label: label, value: value, range: span(start, value.range)))
      } else {
        let value = try parseExpression()
        args.append(CallArgument(label: nil, value: value, range: value.range))
      }
      if accept(",") == nil { break }
    }
    return args
  }

  private mutating func parseIndexItems() throws(Diagnostic) -> [IndexItem] {
    var items: [IndexItem] = []
    while !current.isSymbol("]") {
      if let dots = accept("...") {
        items.append(.ellipsis(dots.range))
        if accept(",") == nil { break }
        continue
      }
      let startRange = current.range
      var start: Expr?
      if !current.isSymbol(":") { start = try parseExpression() }
      if let colon = accept(":") {
        var stop: Expr?
        var step: Expr?
        var end = colon.range
        if !current.isSymbol(":") && !current.isSymbol(",") && !current.isSymbol("]") {
          stop = try parseExpression()
          end = stop?.range ?? end
        }
        if let c2 = accept(":") {
          end = c2.range
          if !current.isSymbol(",") && !current.isSymbol("]") {
            step = try parseExpression()
            end = step?.range ?? end
          }
        }
        items.append(.slice(start: start, stop: stop, step: step, range: span(startRange, end)))
      } else if let start {
        items.append(.expr(start))
      }
      if accept(",") == nil { break }
    }
    return items
  }

  private mutating func parsePrimary() throws(Diagnostic) -> Expr {
    let t = current
    switch t.kind {
    case .number(let text):
      _ = advance()
      let integral = !text.contains(".") && !text.contains("e") && !text.contains("E")
      if integral, let n = Int(text) { return Expr(.integer(n), t.range) }
      guard let v = Double(text) else { throw Diagnostic(.badLiteral(text), at: t.range) }
      return Expr(.real(v), t.range)
    case .string(let s):
      _ = advance()
      return Expr(.string(s), t.range)
    case .identifier(let n):
      _ = advance()
      return Expr(.name(n), t.range)
    case .symbol("("):
      _ = advance()
      if let close = accept(")") { return Expr(.tuple([]), span(t.range, close.range)) }
      let first = try parseExpression()
      if let close = accept(")") { return first.withRange(span(t.range, close.range)) }
      var items = [first]
      while accept(",") != nil {
        if current.isSymbol(")") { break }
        items.append(try parseExpression())
      }
      let close = try expectClosing(")", "')' to close the tuple", opener: t)
      return Expr(.tuple(items), span(t.range, close.range))
    case .symbol("["):
      _ = advance()
      var items: [Expr] = []
      while !current.isSymbol("]") {
        items.append(try parseExpression())
        if accept(",") == nil { break }
      }
      if current.startsExpression, !items.isEmpty, !isOnALaterLine(current) {
        // MATLAB's [1 2 3]
        throw Diagnostic(.listWithoutCommas(found: current.description), at: current.range)
      }
      let close = try expectClosing("]", "']' to close the list", opener: t)
      return Expr(.list(items), span(t.range, close.range))
    default:
      if t.isSymbol("="), position > 0, case .symbol(let op) = tokens[position - 1].kind,
        ["+", "-", "*", "/", "^", ".*", "./", "%", "//"].contains(op),
        tokens[position - 1].range.end == t.range.start
      {
        // C's and Python's x += 1
        var target = "x"
        if position > 1, case .identifier(let name) = tokens[position - 2].kind { target = name }
        throw Diagnostic(
          .compoundAssignment(op, target: target), at: span(tokens[position - 1].range, t.range))
      }
      throw Diagnostic(.expectedExpression(found: t.description), at: t.range)
    }
  }
}

extension Expr {
  /// The same expression with a wider range: a parenthesised group spans its parentheses.
  func withRange(_ range: SourceRange) -> Expr {
    var e = self
    e.range = range
    return e
  }
}
