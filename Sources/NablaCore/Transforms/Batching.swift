/// `vmap` as a graph transform: from `y = g(x)` build the graph that applies `g` to every
/// index of a new leading batch axis of the inputs marked `batched`.
///
/// Values that do not depend on a batched input stay unbatched (computed once); each
/// equation with a batched operand is rewritten by its rule's batching rule, which keeps the
/// batch axis first.
public enum Batching {
  /// Inputs marked `batched` get a leading axis of `size`; every output has one.
  public static func transform(
    _ g: Graph, batched: [Bool], size: Int, memoryLimit: Int = .max
  ) throws(Diagnostic) -> Graph {
    let b = GraphBuilder(memoryLimit: memoryLimit)
    var value: [Var: Var] = [:]
    var isBatched = Set<Var>()
    for (v, isB) in zip(g.inputs, batched) {
      let t = g.type(of: v)
      value[v] = b.input(isB ? t.with(shape: [size] + t.shape) : t)
      if isB { isBatched.insert(v) }
    }
    for (v, t) in g.constants.sorted(by: { $0.key < $1.key }) { value[v] = try b.constant(t) }
    for eq in g.equations {
      let inputs = eq.inputs.map { value[$0] ?? $0 }
      let flags = eq.inputs.map(isBatched.contains)
      if flags.contains(true) {
        do {
          value[eq.output] = try eq.primitive.rule.batch(inputs, flags, size: size, b)
        } catch {
          throw error.located(at: eq.source)
        }
        isBatched.insert(eq.output)
      } else {
        value[eq.output] = try b.emit(eq.primitive, inputs, source: eq.source)
      }
    }
    var outputs: [Var] = []
    for v in g.outputs {
      let x = value[v] ?? v
      outputs.append(isBatched.contains(v) ? x : try b.batched(x, size: size))
    }
    return b.finish(outputs: outputs)
  }
}
