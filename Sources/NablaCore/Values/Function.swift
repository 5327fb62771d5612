/// A function value: a named definition, a lambda or a built-in.
public final class Function: Sendable, CustomStringConvertible {
  public enum Body: Sendable {
    /// `name(p…) = body`; free names resolve in the session when called.
    case user(parameters: [String], body: Expr)
    /// `p… -> body`, with the local names it closed over.
    case lambda(parameters: [String], body: Expr, captured: [String: Value])
    case builtin(Builtin)
    /// A function made by a transform of `base`.
    case transformed(base: Function, Transform)
  }

  public let name: String
  public let body: Body

  public init(name: String, body: Body) {
    self.name = name
    self.body = body
  }

  /// `<function predict(W, b, x)>`, `<function lambda(x)>`, `<function sin>`.
  public var description: String {
    switch body {
    case .user(let p, _): "<function \(name)(\(p.joined(separator: ", ")))>"
    case .lambda(let p, _, _): "<function lambda(\(p.joined(separator: ", ")))>"
    case .builtin: "<function \(name)>"
    case .transformed(let base, let t): "<function \(t.text(base.baseName))>"
    }
  }

  /// The name a transform shows for this function: `predict`, `lambda`, `grad(f)`.
  var baseName: String {
    switch body {
    case .transformed(let base, let t): t.text(base.baseName)
    case .user, .lambda, .builtin: name
    }
  }
}
