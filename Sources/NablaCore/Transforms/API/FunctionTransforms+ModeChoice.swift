/// Choosing a Jacobian's mode by predicted cost.
///
/// Reverse mode runs one VJP per output element, forward mode one JVP per input element; the
/// wrong mode costs about `m/n` times more, but structure (a diagonal Jacobian, a broadcast)
/// can make either cheap. When one mode needs at least ``decisiveRatio`` times fewer basis
/// vectors, it is taken without more ado; otherwise both are traced on their own graphs,
/// optimised and planned, and the plan with the lower ``PlanCost/total`` runs (the requested
/// mode on a tie). `--literal-modes` runs the mode the user named. `--explain` prints the
/// candidates with their costs and the reason for the choice.
extension FunctionTransforms {
  /// A basis-size ratio from which counting basis vectors decides alone.
  static let decisiveRatio = 4

  func chooseMode(_ tf: TracedFunction, _ inputLeaves: [Int], requested: JacobianMode?)
    throws(Diagnostic) -> JacobianMode
  {
    let outputs = tf.outputTypes.reduce(0) { $0 + $1.count }
    let inputs = inputLeaves.reduce(0) { $0 + tf.inputType($1).count }
    let fewer: JacobianMode = outputs > inputs ? .forward : .reverse
    // a custom_vjp function has reverse mode only (jacfwd of one is an error, as in JAX)
    if tf.graph.refusesForwardMode { return requested ?? .reverse }
    let explains = session.options.explain
    let literal = !session.options.choosesJacobianMode
    let decisive = max(inputs, outputs) >= Self.decisiveRatio * max(1, min(inputs, outputs))
    if literal && !explains { return requested ?? fewer }
    if decisive && !explains { return fewer }
    // a mode whose graph cannot be built (over the memory limit) costs more than any other
    let unbuildable = PlanCost(flops: .infinity, bytes: .infinity)
    let costs: [(JacobianMode, PlanCost, Int?)] = [JacobianMode.reverse, .forward].map { mode in
      let predicted = try? predictedCost(tf, inputLeaves, mode)
      return (mode, predicted?.0 ?? unbuildable, predicted?.1)
    }
    var mode = requested ?? fewer
    var reason: String
    if literal {
      reason = "--literal-modes"
    } else if decisive {
      mode = fewer
      reason = "\(Self.modeName(fewer)) needs \(Self.decisiveRatio)× fewer basis vectors or more"
    } else {
      let (reverse, forward) = (costs[0].1.total, costs[1].1.total)
      if reverse < forward { mode = .reverse }
      if forward < reverse { mode = .forward }
      let (low, high) = (min(reverse, forward), max(reverse, forward))
      reason =
        low == high
        ? "equal predicted cost: the mode asked for"
        : "predicted \(Self.ratioText(high / max(low, 1)))× cheaper"
    }
    if explains {
      // a Hessian is a Jacobian (forward) of a Jacobian (reverse) of the function
      let part = name != "hessian" ? "" : requested == .reverse ? " (inner)" : " (outer)"
      explain(tf, inputLeaves, name + part, chosen: mode, costs: costs, reason)
    }
    return mode
  }

  /// The cost and peak memory of the plan that computes `tf`'s Jacobian in `mode` alone: the
  /// blocks traced on a graph of their own, with symbolic inputs of `tf`'s input types, then
  /// optimised and planned as a statement would be.
  func predictedCost(_ tf: TracedFunction, _ inputLeaves: [Int], _ mode: JacobianMode)
    throws(Diagnostic) -> (PlanCost, Int?)
  {
    let scratch = Tracer(session: session, parent: Tracer(session: session))
    let inputs = tf.inputs.map { t in scratch.traced(scratch.builder.input(t.type)) }
    let k = tf.argumentInputs.count
    let isolated = TracedFunction(
      graph: tf.graph, arguments: tf.arguments, argumentLeaves: tf.argumentLeaves,
      argumentInputs: Array(inputs[..<k]), captures: Array(inputs[k...]), output: tf.output,
      aux: tf.aux)
    var transforms = FunctionTransforms(tracer: scratch, name: name, range: range)
    transforms.chunkSize = chunkSize
    let blocks =
      switch mode {
      case .forward: try transforms.forwardBlocks(isolated, inputLeaves)
      case .reverse: try transforms.reverseBlocks(isolated, inputLeaves)
      }
    let outputs = blocks.flatMap { row in inputLeaves.compactMap { row[$0]?.v } }
    let graph = try Simplifier.simplify(
      scratch.builder.finish(outputs: outputs), options: session.buildOptions)
    let plan = ExecutionPlan(graph)
    return (plan.cost, plan.peakBytes)
  }

  /// Records for `--explain` how this transform runs.
  private func explain(
    _ tf: TracedFunction, _ inputLeaves: [Int], _ transform: String, chosen: JacobianMode,
    costs: [(JacobianMode, PlanCost, Int?)], _ reason: String
  ) {
    let (line, column) = range.file.location(of: range.start)
    let from = inputLeaves.map { "\(tf.inputType($0))" }.joined(separator: ", ")
    let to = tf.outputTypes.map { "\($0)" }.joined(separator: ", ")
    let outputs = tf.outputTypes.reduce(0) { $0 + $1.count }
    let inputs = inputLeaves.reduce(0) { $0 + tf.inputType($1).count }
    var text = "explain: \(transform) at \(line):\(column), Jacobian of \(to) by \(from)\n"
    for (mode, cost, peak) in costs {
      let vectors = mode == .reverse ? "\(outputs) VJPs" : "\(inputs) JVPs"
      let memory = peak.map(ByteCount.text) ?? "unknown"
      text +=
        "  \(mode == chosen ? "*" : " ") \(Self.modeName(mode).padding(8)) \(vectors.padding(9)) \(cost), peak \(memory)\n"
    }
    text += "  ran \(Self.modeName(chosen)) mode: \(reason)\n"
    tracer.explanations.append(text)
  }

  static func modeName(_ mode: JacobianMode) -> String {
    mode == .reverse ? "reverse" : "forward"
  }

  /// `1.4`, `12`: a ratio with two significant digits.
  static func ratioText(_ r: Double) -> String {
    guard r.isFinite, r < 1e15 else { return "many" }
    return r >= 10 ? String(Int(r.rounded())) : String(Double(Int((r * 10).rounded())) / 10)
  }
}

extension String {
  /// The string padded with spaces to `width` characters.
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
