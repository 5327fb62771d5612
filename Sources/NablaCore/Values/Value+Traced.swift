/// The traced tensors a value holds, also inside functions (lambda captures, the primals of a
/// `vjp_fn`): what a statement's graph must compute, and where its results go.
extension Value {
  /// Every traced leaf, including those held by functions, in a fixed order.
  func tracedLeaves() -> [Traced] {
    switch self {
    case .traced(let t): return [t]
    case .tuple(let items): return items.flatMap { $0.tracedLeaves() }
    case .function(let f): return f.heldValues.flatMap { $0.tracedLeaves() }
    case .figure(let f): return f.data.flatMap { $0.tracedLeaves() }
    case .sparse(let s): return s.values.tracedLeaves()
    case .tensor, .int, .bool, .none, .string: return []
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
    case .figure(let f):
      var data: [Value] = []
      for item in f.data { data.append(try item.mappingTraced(transform)) }
      return .figure(f.replacingData(data))
    case .sparse(let s): return .sparse(s.replacingValues(try s.values.mappingTraced(transform)))
    case .tensor, .int, .bool, .none, .string: return self
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
