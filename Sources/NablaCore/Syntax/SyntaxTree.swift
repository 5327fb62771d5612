/// An expression of the nabla language, with the source range it was parsed from.
public struct Expr: Sendable {
  public indirect enum Kind: Sendable {
    /// An integer literal (written without '.' or exponent, and small enough for Int).
    case integer(Int)
    /// Any other number literal.
    case real(Double)
    case string(String)
    case name(String)
    /// `(a, b)`, `(a,)`, `()`, or an unparenthesised `a, b` at statement level.
    case tuple([Expr])
    /// `[1, 2, 3]`, `[[1, 2], [3, 4]]`.
    case list([Expr])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr, operatorRange: SourceRange)
    case call(Expr, [CallArgument])
    case index(Expr, [IndexItem])
    /// `a'` and `a.T`.
    case transpose(Expr)
    /// `a.shape` and other `a.name` accessors.
    case member(Expr, String, nameRange: SourceRange)
    case lambda(parameters: [String], body: Expr)
    /// `a if c else b` (Python's conditional expression).
    case conditional(Expr, condition: Expr, otherwise: Expr)
    /// `a and b`, `a or b`.
    case logical(LogicalOperator, Expr, Expr)
  }

  public var kind: Kind
  public var range: SourceRange

  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// The text the expression was parsed from.
  public var sourceText: String { range.file.text(of: range) }

  /// Whether the expression is a call (`seed(0)`, `f(x)`).
  public var isCall: Bool {
    if case .call = kind { return true }
    return false
  }
}

/// A call argument, positional (`label == nil`) or keyword (`argnums=2`).
public struct CallArgument: Sendable {
  public var label: String?
  public var value: Expr
  public var range: SourceRange
}

/// One item of `a[…]`.
public enum IndexItem: Sendable {
  case expr(Expr)
  case slice(start: Expr?, stop: Expr?, step: Expr?, range: SourceRange)
  /// `...`: as many whole axes as the other items leave.
  case ellipsis(SourceRange)
}

/// Python's `and` and `or`.
public enum LogicalOperator: String, Sendable {
  case and, or
}

public enum UnaryOperator: String, Sendable {
  case negate = "-"
  case plus = "+"
  case not = "!"
}

public enum BinaryOperator: String, Sendable {
  case add = "+"
  case subtract = "-"
  /// `*` and `@`: matrix product for tensors of rank ≥ 1, scaling when either is a scalar.
  case matmul = "*"
  case elementwiseMultiply = ".*"
  case divide = "/"
  /// `%`: the remainder with the divisor's sign (Python's, NumPy's and `torch.remainder`'s).
  case remainder = "%"
  /// `//`: the quotient rounded down (Python's and NumPy's floor division).
  case floorDivide = "//"
  case power = "^"
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
}

/// What an assignment binds: a name, or a tuple of targets that unpacks a tuple of values
/// (nested as deeply as the value is).
public indirect enum AssignmentTarget: Sendable, Equatable {
  case name(String)
  case tuple([AssignmentTarget], range: SourceRange)

  /// The names bound, in order.
  public var names: [String] {
    switch self {
    case .name(let n): [n]
    case .tuple(let items, _): items.flatMap(\.names)
    }
  }
}

/// A statement of a program.
public struct Statement: Sendable {
  public enum Kind: Sendable {
    case expression(Expr)
    /// `x = e`, `a, b = e`, `(a, (b, c)) = e`.
    case assign(AssignmentTarget, value: Expr)
    /// `f(x, y) = e`.
    case define(name: String, parameters: [String], body: Expr)
    /// `assert e` or `assert e, "message"`.
    case assert(Expr, message: Expr?)
  }

  public var kind: Kind
  public var range: SourceRange
}
