/// Rewrites a finished graph into a cheaper one computing the same values: every equation is
/// re-emitted through a ``Rewriter``, which applies algebraic identities and uses the
/// structure of Jacobian bases, and through its ``GraphBuilder`` (so CSE and constant folding
/// apply again); equations whose values are no longer needed are pruned.
///
/// A second pass folds the transposed constants no contraction absorbed and rewrites again,
/// now that equal constants are one value. Inputs keep their order and outputs their
/// positions, so results still match the traced values they came from.
public enum Simplifier {
  public static func simplify(_ g: Graph, options: GraphBuilder.Options = .init())
    throws(Diagnostic) -> Graph
  {
    let rewritten = try pass(g, options)
    guard var folder = options.folding as? ConstantFolder else { return rewritten }
    folder.foldsTransposes = true
    var last = options
    last.folding = folder
    return try pass(rewritten, last)
  }

  private static func pass(_ g: Graph, _ options: GraphBuilder.Options) throws(Diagnostic)
    -> Graph
  {
    let rewriter = Rewriter(options)
    let inputs = g.inputs.map { rewriter.builder.input(g.type(of: $0)) }
    var walk = try GraphWalk(g, into: rewriter.builder, inputs: inputs)
    try walk.reemit { eq, inputs throws(Diagnostic) in
      try emit(eq, inputs, rewriter)
    }
    return rewriter.builder.finish(outputs: try walk.outputs())
  }

  /// Re-emits `eq` through the rewriter; a call of a function with custom derivative rules is
  /// replaced by the function's own equations (a simplified graph is run, never transformed
  /// again, so the rules are no longer needed), which are rewritten in turn.
  private static func emit(_ eq: Equation, _ inputs: [Var], _ rewriter: Rewriter)
    throws(Diagnostic) -> Var
  {
    if let (function, output) = eq.primitive.heldFunction {
      var inner = try GraphWalk(
        function, into: rewriter.builder, inputs: Array(inputs.prefix(function.inputs.count)))
      try inner.reemit { e, x throws(Diagnostic) in try emit(e, x, rewriter) }
      return try inner.value(function.outputs[output])
    }
    // under --check-nans, what a rewrite emits instead keeps the equation's provenance
    return try rewriter.builder.attributing(eq.provenance) { () throws(Diagnostic) in
      try rewriter.emit(eq.primitive, inputs, provenance: eq.provenance)
    }
  }
}
