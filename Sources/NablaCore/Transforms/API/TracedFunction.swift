/// A function traced on its own graph for a transform: the graph's inputs are the tensor
/// leaves of the arguments, then the values it captured from enclosing traces.
struct TracedFunction {
  let graph: Graph
  /// Graph inputs that come from argument leaves (the rest are captures).
  let leafCount: Int
  /// For each argument leaf, which positional argument it belongs to.
  let leafArgument: [Int]
  /// The enclosing trace's values for the trailing capture inputs.
  let captures: [Traced]
  /// The function's result with its tensor leaves standing for the graph's outputs, in order.
  let output: Value

  /// The types of the output leaves.
  var outputTypes: [TensorType] { graph.outputs.map(graph.type(of:)) }
}

extension Tracer {
  /// Traces `f` applied to `arguments` onto a new graph whose inputs are the arguments'
  /// tensor leaves (with `leafTypes` overriding their types, for `vmap`).
  func traceFunction(
    _ f: Function, _ arguments: [(Value, SourceRange)], leafTypes: [TensorType]? = nil,
    callRange: SourceRange
  ) throws(Diagnostic) -> TracedFunction {
    let inner = Tracer(session: session, parent: self)
    var leafArgument: [Int] = []
    var innerArguments: [(Value, SourceRange)] = []
    var leafIndex = 0
    for (i, (v, r)) in arguments.enumerated() {
      var leaves: [Value] = []
      for leaf in v.tensorLeaves {
        let outer = try asTraced(leaf, r, context: "a transformed function's argument")
        var t = inner.traced(inner.builder.input(leafTypes?[leafIndex] ?? outer.type))
        t.isWeak = outer.isWeak
        leaves.append(.traced(t))
        leafArgument.append(i)
        leafIndex += 1
      }
      var slice = leaves[...]
      innerArguments.append((v.replacingTensorLeaves(&slice), r))
    }
    let result = try inner.call(f, innerArguments, [], callRange: callRange)
    var outputs: [Var] = []
    for leaf in result.tensorLeaves {
      outputs.append(
        try inner.asTraced(leaf, callRange, context: "a transformed function's result").v)
    }
    if case .function = result {
      throw Diagnostic(.transformOutput(got: result.typeDescription), at: callRange)
    }
    let graph = inner.builder.finish(outputs: outputs)
    return TracedFunction(
      graph: graph, leafCount: leafArgument.count, leafArgument: leafArgument,
      captures: inner.captures,
      output: result)
  }

  /// The graph inputs for a traced function: its argument leaves and its captures.
  func inputs(of tf: TracedFunction, _ arguments: [(Value, SourceRange)]) throws(Diagnostic)
    -> [Traced]
  {
    var out: [Traced] = []
    for (v, r) in arguments {
      for leaf in v.tensorLeaves {
        out.append(try asTraced(leaf, r, context: "a transformed function's argument"))
      }
    }
    return out + tf.captures
  }
}
