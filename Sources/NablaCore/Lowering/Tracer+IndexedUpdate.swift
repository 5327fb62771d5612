/// JAX's functional updates: `x.at[i].set(v)`, `.add(v)`, `.mul(v)` and `.get()` give a new
/// tensor (x is unchanged), differentiable in x and v.
extension Tracer {
  static let updateMethods = ["set", "add", "mul", "get"]

  /// `x.at[items].method(arguments)`. The indexed elements' flat positions in x are found by
  /// indexing the constant `0, 1, 2, …` of x's shape the same way; v is broadcast to the
  /// indexed shape and scattered into place. A position indexed twice takes the last value
  /// under `set` (JAX leaves it unspecified), the sum under `add`, the product under `mul`.
  func indexedUpdate(
    _ xExpr: Expr, _ items: [IndexItem], method: String, methodRange: SourceRange,
    _ arguments: [CallArgument], _ range: SourceRange, _ scope: Scope
  ) throws(Diagnostic) -> Value {
    guard Self.updateMethods.contains(method) else {
      throw Diagnostic(
        .unknownName(
          ".at[…].\(method)",
          suggestion: Suggestions.nearest(to: method, in: Self.updateMethods).map { ".at[…].\($0)" }
        ),
        at: methodRange)
    }
    let x = try asTraced(try evaluate(xExpr, scope), xExpr.range, context: "'.at'")
    let resolved = try resolvedItems(items, rank: x.type.rank, range, scope)
    func indexed(_ t: Traced) throws(Diagnostic) -> Traced {
      resolved.contains(where: \.isArray)
        ? try advancedIndex(t, resolved, range) : try basicIndex(t, resolved, range)
    }
    let expected = method == "get" ? 0 : 1
    guard arguments.count == expected, arguments.allSatisfy({ $0.label == nil }) else {
      throw Diagnostic(
        .invalidArgument(
          ".at[…].\(method)", "takes \(expected == 0 ? "no arguments" : "one value")"),
        at: range)
    }
    if method == "get" { return .traced(try indexed(x)) }
    let n = x.type.count
    let iota = try constant(
      Tensor(shape: x.type.shape, values: (0..<n).map(Double.init), dtype: .f64))
    let picked = try indexed(iota)
    guard picked.builder == builder.id, let positions = builder.constantValue(picked.v) else {
      throw Diagnostic(.internalError("the positions of '.at[…]' are not known"), at: range)
    }
    let targets = (0..<positions.count).map { Int(positions[flat: $0]) }
    let argument = arguments[0]
    var v = try asTraced(try evaluate(argument.value, scope), argument.range, context: "the value")
    // the result has x's dtype, as in JAX: `set` and `add` take the value in it, `mul` makes
    // the product in it (`.at[i].mul(2.5)` of integers rounds the product, not the factor)
    let target = x
    let type = ElementType(x.kind, x.type.dtype)
    if method != "mul" { v = try cast(v, to: type, range) }
    guard Shape.broadcast(v.type.shape, picked.type.shape) == picked.type.shape else {
      throw Diagnostic(
        .shapeMismatch(
          "cannot \(method) a value of \(v.type) at positions of shape \(parameterList(picked.type.shape))"
        ),
        at: argument.range)
    }
    v = try reshape(try broadcast(v, to: picked.type.shape, range), [targets.count], range)
    let dtype = target.type.dtype
    switch method {
    case "add":
      return .traced(
        try elementwise(
          .add, target, try scattered(v, targets, into: x.type.shape, range), range, nil, nil))
    case "set":
      // the last occurrence of each position wins
      var last: [Int: Int] = [:]
      for (i, p) in targets.enumerated() { last[p] = i }
      let table = targets.enumerated().map { i, p in last[p] == i ? p : -1 }
      let mask = try constant(maskTensor(Set(targets), n, x.type.shape, dtype))
      return .traced(
        try select(mask, try scattered(v, table, into: x.type.shape, range), target, range))
    default:  // mul: each round scatters positions not yet multiplied in this round
      var result = target
      var remaining = Array(targets.indices)
      while !remaining.isEmpty {
        var seen = Set<Int>()
        var round: [Int] = []
        var later: [Int] = []
        for i in remaining {
          if seen.insert(targets[i]).inserted { round.append(i) } else { later.append(i) }
        }
        let chosen = Set(round)
        let table = targets.enumerated().map { i, p in chosen.contains(i) ? p : -1 }
        let mask = try constant(maskTensor(Set(round.map { targets[$0] }), n, x.type.shape, dtype))
        let factors = try select(
          mask, try scattered(v, table, into: x.type.shape, range),
          try scalar(1, dtype, weak: true, kind: x.kind),
          range)
        result = try elementwise(.mul, result, factors, range, nil, nil)
        remaining = later
      }
      return .traced(try cast(result, to: type, range))
    }
  }

  /// `v`'s element i added at flat position `table[i]` of a zero tensor of `shape` (−1: left out).
  private func scattered(_ v: Traced, _ table: [Int], into shape: [Int], _ r: SourceRange)
    throws(Diagnostic) -> Traced
  {
    let flat = try emit(
      .scatterAdd(ElementTable(table), shape: [shape.reduce(1, *)]), [v], r)
    return try reshape(flat, shape, r)
  }

  /// 1 at `positions`, else 0, in `shape`.
  private func maskTensor(_ positions: Set<Int>, _ n: Int, _ shape: [Int], _ dtype: DType) -> Tensor
  {
    var mask = Tensor(
      shape: shape, values: (0..<n).map { positions.contains($0) ? 1 : 0 }, dtype: dtype)
    mask.kind = .boolean
    return mask
  }
}
