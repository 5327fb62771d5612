/// A value split into its tensor leaves and the structure that holds them: JAX's pytrees
/// (`tree_flatten`, `tree_unflatten`, `PyTreeDef`).
///
/// Tuples are nodes; tensors are leaves; anything else (`None`, an integer that is not being
/// differentiated, a string, a function) is kept in the structure as it is. Every transform
/// flattens its arguments and results this way, transforms the leaves, and unflattens, so each
/// takes and returns any nesting of tuples. `(x, (y, 3))` with tensors `x` and `y` flattens to
/// the leaves `[x, y]` and the structure `(*, (*, 3))`.
public struct Pytree {
  public var structure: TreeStructure
  /// The tensors, in order (depth first, left to right).
  public var leaves: [Value]

  /// Flattens `value`. With `numbersAreLeaves`, integers and booleans are leaves too (they
  /// become tensors where a transform needs them: `grad(x -> x^2)(3)`); otherwise they stay in
  /// the structure as exact values.
  public init(_ value: Value, numbersAreLeaves: Bool = false) {
    var leaves: [Value] = []
    structure = TreeStructure.flatten(value, numbersAreLeaves: numbersAreLeaves, into: &leaves)
    self.leaves = leaves
  }
}

/// Where the leaves sit in a value (JAX's `PyTreeDef`).
public indirect enum TreeStructure: Sendable, Equatable, CustomStringConvertible {
  /// One tensor.
  case leaf
  case tuple([TreeStructure])
  /// A value kept as it is: `None`, an exact integer, a string, a function.
  case constant(Value)

  fileprivate static func flatten(_ v: Value, numbersAreLeaves: Bool, into leaves: inout [Value])
    -> TreeStructure
  {
    switch v {
    case .tensor, .traced:
      leaves.append(v)
      return .leaf
    case .int, .bool:
      guard numbersAreLeaves else { return .constant(v) }
      leaves.append(v)
      return .leaf
    case .tuple(let items):
      return .tuple(
        items.map { flatten($0, numbersAreLeaves: numbersAreLeaves, into: &leaves) })
    case .none, .string, .function, .figure, .sparse:
      return .constant(v)
    }
  }

  /// How many leaves the structure holds.
  public var leafCount: Int {
    switch self {
    case .leaf: 1
    case .tuple(let items): items.reduce(0) { $0 + $1.leafCount }
    case .constant: 0
    }
  }

  /// The value with `leaves` (at least ``leafCount`` of them, in order) in place of the leaves.
  public func unflatten(_ leaves: [Value]) -> Value {
    var rest = leaves[...]
    return unflatten(&rest)
  }

  private func unflatten(_ leaves: inout ArraySlice<Value>) -> Value {
    switch self {
    case .leaf:
      guard let next = leaves.popFirst() else { return .none }
      return next
    case .tuple(let items): return .tuple(items.map { $0.unflatten(&leaves) })
    case .constant(let v): return v
    }
  }

  /// The kept values that are not `None` (a transform's output may hold only tensors, tuples
  /// and `None`).
  public var constants: [Value] {
    switch self {
    case .leaf: []
    case .tuple(let items): items.flatMap(\.constants)
    case .constant(.none): []
    case .constant(let v): [v]
    }
  }

  /// `*` for a leaf, as JAX prints a `PyTreeDef`: `(*, (*, None))`.
  public var description: String {
    switch self {
    case .leaf: "*"
    case .tuple(let items):
      "(" + items.map(\.description).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .constant(let v): v.constantText
    }
  }

  /// Structures are equal when their nodes are, and their kept values are the same value.
  public static func == (a: TreeStructure, b: TreeStructure) -> Bool {
    switch (a, b) {
    case (.leaf, .leaf): true
    case (.tuple(let x), .tuple(let y)): x == y
    case (.constant(let x), .constant(let y)): x.isSameConstant(as: y)
    default: false
    }
  }
}

extension Value {
  /// How a kept value shows in a structure: `3`, `True`, `None`, `"text"`, `<function f>`.
  fileprivate var constantText: String {
    switch self {
    case .int(let n): "\(n)"
    case .bool(let b): b ? "True" : "False"
    case .string(let s): "\"\(s)\""
    case .function(let f): f.description
    case .none, .tensor, .traced, .tuple, .figure, .sparse: typeDescription
    }
  }

  /// Whether two values kept in a tree structure are the same: equal numbers, strings or
  /// `None`, or the same function.
  fileprivate func isSameConstant(as other: Value) -> Bool {
    switch (self, other) {
    case (.int(let a), .int(let b)): a == b
    case (.bool(let a), .bool(let b)): a == b
    case (.none, .none): true
    case (.string(let a), .string(let b)): a == b
    case (.function(let f), .function(let g)): f === g
    default: false
    }
  }
}
