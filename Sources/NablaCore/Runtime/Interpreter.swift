/// Runs a ``Graph`` on concrete tensors, equation by equation.
///
/// Before anything is allocated it computes the plan's peak memory from value lifetimes and
/// refuses a plan over the limit; while running it drops each value after its last use
/// (JAX's `clean_up_dead_vars`) and checks the cancellation flag between equations.
public struct Interpreter {
  public var memoryLimit: Int
  public var cancellation: CancellationFlag?
  /// Called with the fraction of the plan's work done (by output elements), at most ten times
  /// a second once a run has taken a second, and with 1 at the end of such a run.
  public var progress: ((Double) -> Void)?

  public init(
    memoryLimit: Int = .max, cancellation: CancellationFlag? = nil,
    progress: ((Double) -> Void)? = nil
  ) {
    self.memoryLimit = memoryLimit
    self.cancellation = cancellation
    self.progress = progress
  }

  /// The most bytes alive at once while running `graph`, with every value freed after its
  /// last use; `nil` if the count overflows.
  public static func peakBytes(_ graph: Graph) -> Int? { ExecutionPlan(graph).peakBytes }

  public func run(_ graph: Graph, inputs: [Tensor]) throws(Diagnostic) -> [Tensor] {
    try run(ExecutionPlan(graph), inputs: inputs)
  }

  /// The value of `v`, which `eq` reads.
  private func value(_ v: Var, _ env: [Tensor?], _ eq: Equation) throws(Diagnostic) -> Tensor {
    guard let t = env[v.id] else {
      throw Diagnostic(.internalError("value %\(v.id) has no value when used"), at: eq.source)
    }
    return t
  }

  /// Runs a planned graph.
  public func run(_ plan: ExecutionPlan, inputs: [Tensor]) throws(Diagnostic) -> [Tensor] {
    let graph = plan.graph
    guard let peak = plan.peakBytes, peak <= memoryLimit else {
      throw Diagnostic(
        .memoryLimitExceeded(bytes: plan.peakBytes ?? .max, limit: memoryLimit), at: nil)
    }
    var env: [Tensor?] = Array(repeating: nil, count: graph.types.count)
    for (v, t) in zip(graph.inputs, inputs) { env[v.id] = t }
    for (v, t) in graph.constants { env[v.id] = t }
    let lastUse = plan.lastUse
    if let c = cancellation, c.isCancelled { throw Diagnostic(.interrupted(), at: nil) }
    var reporter = progress.map { ProgressReporter(total: plan.work.last ?? 0, report: $0) }
    var assemblies: [Int: Assembly] = [:]
    /// Copies `t` into the concatenation computed by equation `p.into`, allocating that the
    /// first time.
    func place(_ t: Tensor, _ p: ExecutionPlan.Placement) {
      var assembly =
        assemblies.removeValue(forKey: p.into)
        ?? Assembly(graph.type(of: graph.equations[p.into].output), axis: p.axis)
      assembly.place(t, at: p.offset)
      assemblies[p.into] = assembly
    }
    defer { reporter?.finish() }
    for (i, eq) in graph.equations.enumerated() {
      switch plan.steps[i] {
      case .fusedAway:
        continue
      case .evaluate:
        var args: [Tensor] = []
        args.reserveCapacity(eq.inputs.count)
        for v in eq.inputs { args.append(try value(v, env, eq)) }
        let result = plan.rules[i].evaluate(args, polling: cancellation)
        if let operation = eq.primitive.singularOperation(args, result) {
          throw Diagnostic(.singularMatrix(operation), at: eq.source)
        }
        env[eq.output.id] = result
      case .strided(let rule, let walked, let strides):
        var views: [StridedView] = []
        views.reserveCapacity(strides.count)
        for (v, s) in zip(plan.reads[i], strides) {
          views.append(StridedView(tensor: try value(v, env, eq), strides: s))
        }
        let result = rule.evaluate(views, shape: walked)
        env[eq.output.id] = result.reshaped(graph.type(of: eq.output).shape)
      case .fusedReduction(let program, let kind):
        var leaves: [Tensor] = []
        leaves.reserveCapacity(plan.reads[i].count)
        for v in plan.reads[i] { leaves.append(try value(v, env, eq)) }
        env[eq.output.id] = program.reduce(leaves, kind: kind)
      case .fused(let program, let reused):
        var leaves: [Tensor?] = []
        leaves.reserveCapacity(plan.reads[i].count)
        for v in plan.reads[i] { leaves.append(v == reused ? nil : try value(v, env, eq)) }
        var buffer: Tensor?
        if let reused {
          buffer = try value(reused, env, eq)
          env[reused.id] = nil  // the buffer's one reference, so it is written in place
        }
        env[eq.output.id] = program.evaluate(leaves, over: &buffer)
      case .assembled(let axis, let offsets):
        for (v, offset) in zip(plan.reads[i], offsets) {
          place(try value(v, env, eq), .init(value: v, into: i, axis: axis, offset: offset))
        }
        guard let assembly = assemblies.removeValue(forKey: i) else {
          throw Diagnostic(
            .internalError("concatenation %\(eq.output.id) was not assembled"), at: eq.source)
        }
        env[eq.output.id] = assembly.tensor
      }
      // After each kernel: a long one stops early when cancelled, so its result is discarded.
      if let c = cancellation, c.isCancelled { throw Diagnostic(.interrupted(), at: eq.source) }
      for v in plan.reads[i] where lastUse[v.id] == i { env[v.id] = nil }
      for p in plan.placements[i] {
        place(try value(p.value, env, eq), p)
        env[p.value.id] = nil
      }
      reporter?.update(done: plan.work[i])
    }
    var results: [Tensor] = []
    for v in graph.outputs {
      guard let t = env[v.id] else {
        throw Diagnostic(.internalError("output %\(v.id) has no value"), at: nil)
      }
      results.append(t)
    }
    return results
  }
}

/// Paces progress reports: silent for the first second, then at most every 0.1 s.
private struct ProgressReporter {
  let total: Int
  let report: (Double) -> Void
  let start = ContinuousClock.now
  var last: ContinuousClock.Instant?

  mutating func update(done: Int) {
    let now = ContinuousClock.now
    guard total > 0, now - start >= .seconds(1) else { return }
    if let last, now - last < .milliseconds(100) { return }
    last = now
    report(Double(done) / Double(total))
  }

  func finish() {
    if last != nil { report(1) }
  }
}
