/// A value of the nabla language.
///
/// Session bindings hold concrete values. While a statement is traced, tensors it computes
/// are ``Traced`` graph values; when the graph has run they are replaced by concrete tensors.
public indirect enum Value: Sendable {
  /// A concrete tensor.
  case tensor(Tensor)
  /// A tensor computed by the graph being traced.
  case traced(Traced)
  /// An exact integer: sizes, indices, axes, `argnums`; a tensor of the default dtype in
  /// tensor arithmetic.
  case int(Int)
  case bool(Bool)
  case none
  case string(String)
  case tuple([Value])
  case function(Function)

  /// How the value is named in diagnostics: `f32[3]`, `an integer`, `a tuple of 2 values`.
  public var typeDescription: String {
    switch self {
    case .tensor(let t): "\(t.type)"
    case .traced(let t): "\(t.type)"
    case .int(let n): "the integer \(n)"
    case .bool(let b): b ? "True" : "False"
    case .none: "None"
    case .string: "a string"
    case .tuple(let items): "a tuple of \(items.count) value\(items.count == 1 ? "" : "s")"
    case .function(let f): "the function '\(f.name)'"
    }
  }

  /// The short summary the REPL echoes after an assignment: `f32[16,16]`, `function`.
  public var summary: String {
    switch self {
    case .tensor(let t): "\(t.type)"
    case .traced(let t): "\(t.type)"
    case .int: "int"
    case .bool: "bool"
    case .none: "None"
    case .string: "string"
    case .tuple(let items):
      "(" + items.map(\.summary).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .function(let f): f.description
    }
  }
}

/// A tensor value inside a graph being built.
public struct Traced: Sendable {
  public var v: Var
  public var type: TensorType
  /// The ``GraphBuilder/id`` of the graph `v` belongs to: a nested trace (the body of
  /// `grad(f)`) has its own graph, and values it captures from an outer one are lifted in.
  public var builder: Int
  /// The value, when it is a one-element constant known while tracing (`2`, `pi`, `1e-5`):
  /// what sizes, tolerances and exponents are read from.
  public var scalar: Double?
  /// A "weak" type comes from a Python-style scalar literal (`2`, `2.5`, `pi`): in arithmetic
  /// with a tensor it takes the tensor's dtype instead of promoting it, as in PyTorch and JAX.
  public var isWeak = false
}

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
    default: name
    }
  }
}
