/// Shorthands rules use to emit IR: elementwise arithmetic on values of equal shape, constants
/// shaped like a value, and the structural moves transforms need.
extension GraphBuilder {
  public func add(_ a: Var, _ b: Var) throws(Diagnostic) -> Var { try emit(.add, [a, b]) }
  public func sub(_ a: Var, _ b: Var) throws(Diagnostic) -> Var { try emit(.sub, [a, b]) }
  public func mul(_ a: Var, _ b: Var) throws(Diagnostic) -> Var { try emit(.mul, [a, b]) }
  public func div(_ a: Var, _ b: Var) throws(Diagnostic) -> Var { try emit(.div, [a, b]) }
  public func neg(_ a: Var) throws(Diagnostic) -> Var { try emit(.neg, [a]) }
  public func unary(_ p: Primitive, _ a: Var) throws(Diagnostic) -> Var { try emit(p, [a]) }

  /// A tensor of `value` with the type of `v` (a broadcast scalar constant).
  public func full(_ value: Double, like v: Var) throws(Diagnostic) -> Var {
    try full(value, type(of: v))
  }

  public func full(_ value: Double, _ t: TensorType) throws(Diagnostic) -> Var {
    let s = try scalar(value, t.dtype)
    return t.rank == 0 ? s : try emit(.broadcast(shape: t.shape, dims: []), [s])
  }

  public func zeros(_ t: TensorType) throws(Diagnostic) -> Var { try full(0, t) }

  /// `v`, or zeros of the type of `like` for a symbolic zero.
  public func orZeros(_ v: Var?, like: Var) throws(Diagnostic) -> Var {
    if let v { return v }
    return try zeros(type(of: like))
  }

  /// `c · a` for a real constant c.
  public func scale(_ a: Var, _ c: Double) throws(Diagnostic) -> Var {
    try mul(a, try full(c, like: a))
  }

  /// `a + b` where either may be a symbolic zero (`nil`).
  public func addOptional(_ a: Var?, _ b: Var?) throws(Diagnostic) -> Var? {
    guard let a else { return b }
    guard let b else { return a }
    return try add(a, b)
  }

  public func reshape(_ a: Var, _ shape: [Int]) throws(Diagnostic) -> Var {
    type(of: a).shape == shape ? a : try emit(.reshape(shape: shape), [a])
  }

  public func transpose(_ a: Var, _ permutation: [Int]) throws(Diagnostic) -> Var {
    permutation == Array(0..<permutation.count)
      ? a : try emit(.transpose(permutation: permutation), [a])
  }

  /// Swaps the last two axes (the matrix transpose of a batch of matrices).
  public func matrixTranspose(_ a: Var) throws(Diagnostic) -> Var {
    let r = type(of: a).rank
    var p = Array(0..<r)
    p.swapAt(r - 1, r - 2)
    return try transpose(a, p)
  }

  public func reduceSum(_ a: Var, _ axes: [Int]) throws(Diagnostic) -> Var {
    axes.isEmpty ? a : try emit(.reduceSum(axes: axes), [a])
  }

  /// `a` broadcast back to `shape` after a reduction over `axes` removed them.
  public func unreduce(_ a: Var, _ shape: [Int], axes: [Int]) throws(Diagnostic) -> Var {
    let removed = Set(axes)
    let dims = (0..<shape.count).filter { !removed.contains($0) }
    return type(of: a).shape == shape ? a : try emit(.broadcast(shape: shape, dims: dims), [a])
  }

  /// `a` with a leading batch axis of `size` (for an operand that is not batched).
  public func batched(_ a: Var, size: Int) throws(Diagnostic) -> Var {
    let t = type(of: a)
    return try emit(.broadcast(shape: [size] + t.shape, dims: (0..<t.rank).map { $0 + 1 }), [a])
  }

  /// Operands with a leading batch axis, broadcasting those that have none.
  public func allBatched(_ inputs: [Var], _ batched: [Bool], size: Int) throws(Diagnostic) -> [Var]
  {
    var out: [Var] = []
    for (v, b) in zip(inputs, batched) { out.append(b ? v : try self.batched(v, size: size)) }
    return out
  }
}
