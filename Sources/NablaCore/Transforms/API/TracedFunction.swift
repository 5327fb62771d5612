/// A function traced on its own graph for a transform (JAX: flattened to leaves, then traced
/// to a jaxpr).
///
/// The graph's inputs are the tensor leaves of the arguments, in order, then the values the
/// function captured from enclosing traces; its outputs are the leaves of the result, then
/// those of the auxiliary value (`has_aux`).
struct TracedFunction {
  let graph: Graph
  /// Each argument's structure.
  let arguments: [TreeStructure]
  /// For each argument, the positions of its leaves among the graph's inputs.
  let argumentLeaves: [Range<Int>]
  /// The values of the enclosing trace the argument leaves came from.
  let argumentInputs: [Traced]
  /// The enclosing trace's values for the trailing capture inputs.
  let captures: [Traced]
  /// The result's structure; its leaves are the graph's first ``outputCount`` outputs.
  let output: TreeStructure
  /// The auxiliary value's structure (`has_aux`); its leaves are the remaining outputs.
  let aux: TreeStructure?
  /// The positions among ``captures`` of values with a leading batch axis the function sees
  /// one item of: random numbers drawn per item under `vmap(…, randomness="different")`.
  var batchedCaptures: Set<Int> = []
  /// The kinds of the graph's outputs as the function gave them (`vmap` of an integer
  /// function gives integers).
  var outputKinds: [ElementKind] = []

  /// The graph's inputs where the function was called: the arguments' leaves, then captures.
  var inputs: [Traced] { argumentInputs + captures }

  /// The number of the result's leaves.
  var outputCount: Int { output.leafCount }

  /// The types of the result's leaves (not the auxiliary value's).
  var outputTypes: [TensorType] { graph.outputs.prefix(outputCount).map(graph.type(of:)) }

  /// The type of graph input `i`.
  func inputType(_ i: Int) -> TensorType { graph.type(of: graph.inputs[i]) }

  /// The graph-input positions of the leaves of the arguments `positions`, in that order.
  func leaves(of positions: [Int]) -> [Int] { positions.flatMap { Array(argumentLeaves[$0]) } }

  /// The structure of what is differentiated: one argument's, or a tuple of them for a tuple
  /// `argnums` (JAX's `dyn_args`).
  func structure(of positions: [Int], isTuple: Bool) -> TreeStructure {
    isTuple ? .tuple(positions.map { arguments[$0] }) : arguments[positions[0]]
  }

  /// The result and the auxiliary value (`nil` without `has_aux`), from the values of the
  /// graph's outputs.
  func result(_ outputs: ArraySlice<Traced>) -> (Value, Value?) {
    let values = outputs.enumerated().map { k, t in Value.traced(withKind(t, output: k)) }
    let main = output.unflatten(Array(values.prefix(outputCount)))
    return (main, aux.map { $0.unflatten(Array(values.dropFirst(outputCount))) })
  }

  /// `t`, a value computed from output `k` as it is, with that output's kind.
  func withKind(_ t: Traced, output k: Int) -> Traced {
    var r = t
    if outputKinds.indices.contains(k) { r.kind = outputKinds[k] }
    return r
  }
}
