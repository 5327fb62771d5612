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
  /// A plot, heat map or sparsity pattern; it holds tensors as a tuple does.
  case figure(Figure)
  /// A sparse matrix (a sparse Jacobian or Hessian); it holds its values as a tuple does.
  case sparse(SparseMatrix)

  /// Whether this is `None` (what a call that returns nothing gives).
  public var isNoneValue: Bool {
    if case .none = self { return true }
    return false
  }

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
    case .figure(let f):
      switch f.kind {
      case .lines: "a plot"
      case .heatmap: "a heat map"
      case .spy: "a sparsity pattern"
      }
    case .sparse(let s): "a \(s.summary)"
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
    case .figure(let f): f.summary
    case .sparse(let s): s.summary
    }
  }
}
