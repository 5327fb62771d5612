/// Which arguments a transform differentiates: `argnums=2` or `argnums=(0, 1)`.
public struct Argnums: Sendable {
  public var indices: [Int]
  /// A tuple `argnums` gives a tuple of results, even of one element.
  public var isTuple: Bool

  public static let first = Argnums(indices: [0], isTuple: false)

  var text: String {
    isTuple
      ? "(" + indices.map(String.init).joined(separator: ", ") + (indices.count == 1 ? ",)" : ")")
      : "\(indices[0])"
  }
}

/// A function made by a transform (`grad(f)`, `vmap(f)`, the `vjp_fn` that `vjp` returns).
public indirect enum Transform: Sendable {
  case grad(argnums: Argnums, hasAux: Bool, withValue: Bool)
  case jacrev(argnums: Argnums, hasAux: Bool)
  case jacfwd(argnums: Argnums, hasAux: Bool)
  case jacobian(argnums: Argnums)
  case hessian(argnums: Argnums)
  case vmap(inDims: Value, outDims: Value)
  /// The `vjp_fn` of `vjp(f, primals…)`: cotangents of the outputs to cotangents of the primals.
  case pullback(primals: [Value], hasAux: Bool)
  /// The `jvp_fn` of `linearize(f, primals…)`: tangents of the primals to the output's tangent.
  case pushforward(primals: [Value])

  /// How the function prints: `jacrev(predict, argnums=2)`.
  func text(_ base: String) -> String {
    func nums(_ a: Argnums) -> String {
      a.indices == [0] && !a.isTuple ? "" : ", argnums=\(a.text)"
    }
    func aux(_ h: Bool) -> String { h ? ", has_aux=True" : "" }
    switch self {
    case .grad(let a, let h, let v):
      return "\(v ? "value_and_grad" : "grad")(\(base)\(nums(a))\(aux(h)))"
    case .jacrev(let a, let h): return "jacrev(\(base)\(nums(a))\(aux(h)))"
    case .jacfwd(let a, let h): return "jacfwd(\(base)\(nums(a))\(aux(h)))"
    case .jacobian(let a): return "jacobian(\(base)\(nums(a)))"
    case .hessian(let a): return "hessian(\(base)\(nums(a)))"
    case .vmap(let i, let o):
      let inText = if case .int(0) = i { "" } else { ", in_dims=\(ValueFormatter.shortText(i))" }
      let outText = if case .int(0) = o { "" } else { ", out_dims=\(ValueFormatter.shortText(o))" }
      return "vmap(\(base)\(inText)\(outText))"
    case .pullback: return "vjp_fn(\(base))"
    case .pushforward: return "jvp_fn(\(base))"
    }
  }

  /// Values the transform holds (the primals of a `vjp_fn`).
  var heldValues: [Value] {
    switch self {
    case .pullback(let p, _), .pushforward(let p): p
    default: []
    }
  }

  func replacingHeldValues(_ values: [Value]) -> Transform {
    switch self {
    case .pullback(_, let h): .pullback(primals: values, hasAux: h)
    case .pushforward: .pushforward(primals: values)
    default: self
    }
  }
}

extension Value {
  /// Every tensor leaf, including those held by functions (lambda captures, `vjp_fn`
  /// primals), in a fixed order.
  func tracedLeaves() -> [Traced] {
    switch self {
    case .traced(let t): return [t]
    case .tuple(let items): return items.flatMap { $0.tracedLeaves() }
    case .function(let f): return f.heldValues.flatMap { $0.tracedLeaves() }
    default: return []
    }
  }

  /// The same value with every traced leaf (also inside functions) replaced by `transform`.
  func mappingTraced(_ transform: (Traced) throws(Diagnostic) -> Value) throws(Diagnostic) -> Value
  {
    switch self {
    case .traced(let t): return try transform(t)
    case .tuple(let items):
      var out: [Value] = []
      for item in items { out.append(try item.mappingTraced(transform)) }
      return .tuple(out)
    case .function(let f): return .function(try f.mappingHeldValues(transform))
    default: return self
    }
  }

  /// The tensor leaves (concrete or traced) of nested tuples, in order.
  var tensorLeaves: [Value] {
    switch self {
    case .traced, .tensor: [self]
    case .tuple(let items): items.flatMap(\.tensorLeaves)
    default: []
    }
  }

  /// The same tuple structure with its tensor leaves replaced, in order.
  func replacingTensorLeaves(_ leaves: inout ArraySlice<Value>) -> Value {
    switch self {
    case .traced, .tensor:
      guard let next = leaves.first else { return self }
      leaves = leaves.dropFirst()
      return next
    case .tuple(let items): return .tuple(items.map { $0.replacingTensorLeaves(&leaves) })
    default: return self
    }
  }
}

extension Function {
  /// Values the function holds: a lambda's captures, a transform's primals, recursively.
  var heldValues: [Value] {
    switch body {
    case .lambda(_, _, let captured): captured.keys.sorted().compactMap { captured[$0] }
    case .transformed(let base, let t): [.function(base)] + t.heldValues
    case .user, .builtin: []
    }
  }

  func mappingHeldValues(_ transform: (Traced) throws(Diagnostic) -> Value) throws(Diagnostic)
    -> Function
  {
    switch body {
    case .lambda(let p, let body, let captured):
      var mapped: [String: Value] = [:]
      for (k, v) in captured { mapped[k] = try v.mappingTraced(transform) }
      return Function(name: name, body: .lambda(parameters: p, body: body, captured: mapped))
    case .transformed(let base, let t):
      var held: [Value] = []
      for v in t.heldValues { held.append(try v.mappingTraced(transform)) }
      return Function(
        name: name,
        body: .transformed(base: try base.mappingHeldValues(transform), t.replacingHeldValues(held))
      )
    case .user, .builtin:
      return self
    }
  }
}
