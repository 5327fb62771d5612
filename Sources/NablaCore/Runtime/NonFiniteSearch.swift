/// `--check-nans`: finds where a statement's non-finite result (NaN or ±∞) came from.
///
/// Normal runs never look at values (the check costs nothing when off). When a checked
/// statement's result holds a non-finite element, the session runs its graph again here,
/// unfused, equation by equation, noting for each equation whether its output is finite and
/// its first element that is not finite although the operands are (for an elementwise
/// equation, the operands at that element; for another, all of them). Walking back from the
/// non-finite results through non-finite operands gives the equations that can have caused
/// them; the first of those in running order that made a non-finite value from finite
/// operands is the origin. A value that is only carried along (a NaN input, `∞ + 1`) blames
/// nothing, and a non-finite value the program discards (`where` masks it) is never reached.
public enum NonFiniteSearch {
  /// The origin of the non-finite outputs of `graph` run on `inputs`, or `nil` when no
  /// equation made one (they were inputs or constants). Throws when the unfused run needs
  /// more than `memoryLimit` bytes, or when cancelled.
  public static func origin(
    of graph: Graph, inputs: [Tensor], memoryLimit: Int, cancellation: CancellationFlag?
  ) throws(Diagnostic) -> NonFiniteOrigin? {
    let plan = ExecutionPlan(graph, fusing: false)
    guard let peak = plan.peakBytes, peak <= memoryLimit else {
      throw Diagnostic(
        .nonFiniteSearchTooLarge(bytes: plan.peakBytes ?? .max, limit: memoryLimit), at: nil)
    }
    let primal = primalEquations(graph)
    // a derivative equation reads its operation's operands: keep them until then
    var lastUse = plan.lastUse
    for (i, p) in primal.enumerated() {
      guard let p else { continue }
      for v in graph.equations[p].inputs where lastUse[v.id] < i { lastUse[v.id] = i }
    }

    var env: [Tensor?] = Array(repeating: nil, count: graph.types.count)
    var finite = Array(repeating: true, count: graph.types.count)
    var hasNaN = Array(repeating: false, count: graph.types.count)
    func define(_ v: Var, _ t: Tensor) {
      env[v.id] = t
      finite[v.id] = t.isFinite
      hasNaN[v.id] = !finite[v.id] && t.firstElement(where: \.isNaN) != nil
    }
    for (v, t) in zip(graph.inputs, inputs) { define(v, t) }
    for (v, t) in graph.constants { define(v, t) }

    var origins: [Int: NonFiniteOrigin.Event] = [:]
    var nans: [Int: NonFiniteOrigin.Event] = [:]
    for (i, eq) in graph.equations.enumerated() {
      var args: [Tensor] = []
      for v in eq.inputs {
        guard let t = env[v.id] else {
          throw Diagnostic(.internalError("value %\(v.id) has no value when used"), at: eq.source)
        }
        args.append(t)
      }
      let result = plan.rules[i].evaluate(args, polling: cancellation)
      if let c = cancellation, c.isCancelled { throw Diagnostic(.interrupted(), at: eq.source) }
      define(eq.output, result)
      if !finite[eq.output.id] {
        let primalArgs =
          primal[i].map { graph.equations[$0].inputs.map { env[$0.id] } }
          ?? eq.provenance.derivation?.constantOperands.map { $0.map(Optional.some) }
        let run = Run(equation: eq, operands: args, result: result, primalOperands: primalArgs)
        origins[i] = run.first({ !$0.isFinite }, blaming: { !$0.isFinite })
        if hasNaN[eq.output.id] { nans[i] = run.first({ $0.isNaN }, blaming: { $0.isNaN }) }
      }
      for v in plan.reads[i] where lastUse[v.id] == i { env[v.id] = nil }
      for v in primal[i].map({ graph.equations[$0].inputs }) ?? [] where lastUse[v.id] == i {
        env[v.id] = nil
      }
    }
    return trace(graph, finite: finite, hasNaN: hasNaN, origins: origins, nans: nans)
  }

  /// The equations that may have caused the non-finite outputs: the origin is the first of
  /// them that made a non-finite value from finite operands; the NaN event the first after
  /// it, fed by it, on the way to a NaN output.
  private static func trace(
    _ graph: Graph, finite: [Bool], hasNaN: [Bool], origins: [Int: NonFiniteOrigin.Event],
    nans: [Int: NonFiniteOrigin.Event]
  ) -> NonFiniteOrigin? {
    var producer: [Var: Int] = [:]
    for (i, eq) in graph.equations.enumerated() { producer[eq.output] = i }
    /// Equations reached backwards from the outputs through values `bad` holds for.
    func reached(_ bad: [Bool]) -> Set<Int> {
      var seen = Set<Int>()
      var stack = graph.outputs.filter { bad[$0.id] }.compactMap { producer[$0] }
      while let i = stack.popLast() {
        guard seen.insert(i).inserted else { continue }
        for v in graph.equations[i].inputs where bad[v.id] {
          if let j = producer[v] { stack.append(j) }
        }
      }
      return seen
    }
    let suspects = reached(finite.map { !$0 })
    guard let first = suspects.filter({ origins[$0] != nil }).min(), let origin = origins[first]
    else { return nil }
    var result = NonFiniteOrigin(origin: origin, nan: nil)
    guard !origin.value.isNaN else { return result }
    // the equations fed by the origin through non-finite values, on the way to a NaN output
    let towardsNaN = reached(hasNaN)
    var fed: Set<Var> = [graph.equations[first].output]
    for i in suspects.sorted() where i > first {
      let eq = graph.equations[i]
      guard eq.inputs.contains(where: fed.contains) else { continue }
      fed.insert(eq.output)
      if towardsNaN.contains(i), let nan = nans[i] {
        result.nan = nan
        break
      }
    }
    return result
  }

  /// For each equation a derivative rule emitted, the latest equation before it of the
  /// operation it differentiates (same span, no derivation, output of the same shape), when
  /// the graph still has one.
  static func primalEquations(_ graph: Graph) -> [Int?] {
    struct Key: Hashable {
      var kind: Primitive.Kind
      var range: SourceRange
      var shape: [Int]
    }
    var latest: [Key: Int] = [:]
    return graph.equations.enumerated().map { i, eq in
      guard let range = eq.source else { return nil }
      let shape = graph.type(of: eq.output).shape
      guard let d = eq.provenance.derivation else {
        latest[Key(kind: eq.primitive.kind, range: range, shape: shape)] = i
        return nil
      }
      return latest[Key(kind: d.primitive, range: range, shape: shape)]
    }
  }

  /// One equation's operands and result, to pick its offending element from.
  private struct Run {
    let equation: Equation
    let operands: [Tensor]
    let result: Tensor
    /// The operands of the operation a derivative equation differentiates.
    let primalOperands: [Tensor?]?

    /// The first element that is `bad` although the operands there are not `blamed` (for an
    /// equation that is not elementwise: the first `bad` element, when no operand has a
    /// `blamed` element anywhere).
    func first(_ bad: (Double) -> Bool, blaming blamed: (Double) -> Bool)
      -> NonFiniteOrigin.Event?
    {
      let shape = result.shape
      let elementwise =
        equation.primitive.isElementwise && operands.allSatisfy { $0.shape == shape }
      let found: Int?
      if elementwise {
        found = (0..<result.count).first { i in
          bad(result[flat: i]) && !operands.contains { blamed($0[flat: i]) }
        }
      } else if operands.contains(where: { $0.firstElement(where: blamed) != nil }) {
        found = nil
      } else {
        found = result.firstElement(where: bad)
      }
      guard let i = found else { return nil }
      // an operand of the result's shape at the element, or one number for every element
      var primal: [Double]?
      if let p = primalOperands, !p.isEmpty,
        p.allSatisfy({ $0.map { $0.shape == shape || $0.count == 1 } ?? false })
      {
        primal = p.compactMap { $0.map { $0.shape == shape ? $0[flat: i] : $0[flat: 0] } }
      }
      return NonFiniteOrigin.Event(
        equation: equation, index: Shape.index(ofFlat: i, in: shape), value: result[flat: i],
        dtype: result.dtype, operands: elementwise ? operands.map { $0[flat: i] } : nil,
        operandTypes: operands.map(\.type),
        operandMagnitudes: operands.map { t in
          (0..<t.count).reduce(0) { m, j in Swift.max(m, Swift.abs(t[flat: j])) }
        },
        primalOperands: primal)
    }
  }
}
