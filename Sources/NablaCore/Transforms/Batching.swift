/// `vmap` as a graph transform: from `y = g(x)` build the graph that applies `g` to every
/// index of a new leading batch axis of the inputs marked `batched`.
///
/// Values that do not depend on a batched input stay unbatched (computed once); each
/// equation with a batched operand is rewritten by its rule's batching rule, which keeps the
/// batch axis first.
public enum Batching {
  /// A batched graph and which of its outputs carry the batch axis.
  public struct Result {
    public var graph: Graph
    /// Per output: whether it has the leading batch axis (unbatched outputs are the same for
    /// every item, and are left without one when `broadcastsOutputs` is off).
    public var isBatched: [Bool]
  }

  /// Inputs marked `batched` get a leading axis of `size`; every output has one (outputs that
  /// do not depend on a batched input are broadcast).
  public static func transform(
    _ g: Graph, batched: [Bool], size: Int, options: GraphBuilder.Options = .init()
  ) throws(Diagnostic) -> Graph {
    try transform(g, batched: batched, size: size, broadcastsOutputs: true, options: options).graph
  }

  /// Inputs marked `batched` get a leading axis of `size`; so do the outputs that depend on
  /// one, and the others too when `broadcastsOutputs`.
  public static func transform(
    _ g: Graph, batched: [Bool], size: Int, broadcastsOutputs: Bool,
    options: GraphBuilder.Options = .init()
  ) throws(Diagnostic) -> Result {
    let b = GraphBuilder(options)
    var isBatched = Set<Var>()
    var inputs: [Var] = []
    for (v, isB) in zip(g.inputs, batched) {
      let t = g.type(of: v)
      inputs.append(b.input(isB ? t.with(shape: [size] + t.shape) : t))
      if isB { isBatched.insert(v) }
    }
    var walk = try GraphWalk(g, into: b, inputs: inputs)
    try walk.reemit { eq, inputs throws(Diagnostic) in
      let flags = eq.inputs.map(isBatched.contains)
      guard flags.contains(true) else {
        return try b.emit(eq.primitive, inputs, provenance: eq.provenance)
      }
      isBatched.insert(eq.output)
      do throws(Diagnostic) {
        return try b.attributing(eq.provenance) { () throws(Diagnostic) in
          try eq.primitive.rule.batch(inputs, flags, size: size, b)
        }
      } catch {
        throw error.located(at: eq.source)
      }
    }
    var outputs: [Var] = []
    var outputIsBatched: [Bool] = []
    for (v, x) in zip(g.outputs, try walk.outputs()) {
      let batchedOutput = isBatched.contains(v) || broadcastsOutputs
      outputs.append(isBatched.contains(v) || !broadcastsOutputs ? x : try b.batched(x, size: size))
      outputIsBatched.append(batchedOutput)
    }
    return Result(graph: b.finish(outputs: outputs), isBatched: outputIsBatched)
  }
}
