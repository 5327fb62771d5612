/// A nabla session: the bindings, the random generator and the options, and the machinery
/// that runs statements (parse → trace → graph → interpreter → print).
///
/// The REPL, scripts and one-shot programs all drive a session; it never writes to the
/// terminal itself but hands text to ``output``.
public final class Session {
  public enum Stream: Sendable {
    /// Results (stdout).
    case values
    /// Diagnostics, timings and graphs (stderr).
    case diagnostics
  }

  public var options: SessionOptions
  public private(set) var bindings: [String: Value] = [:]
  /// The order names were first bound, for `:vars` and `:save`.
  public private(set) var bindingOrder: [String] = []
  var generator = TorchGenerator(seed: Session.torchDefaultSeed)
  /// What `:save` records (``ReplayLog``).
  private var replay = ReplayLog()
  /// The lines `:save` writes so `nabla -f` reproduces the session: every statement that
  /// changed it (bindings, definitions, random draws, seeds, files), in order.
  public var replayLog: [String] { replay.lines }
  /// The default dtype when the replay log's first statement ran (the current one before any):
  /// the `--dtype` a saved session is replayed with. Later changes are in the log.
  public var replayDType: DType { replay.startDType ?? options.dtype }

  /// The value of the last expression statement or assignment (for `--output`).
  public private(set) var lastValue: Value?
  /// The module `--emit=stablehlo` printed for the program's last statement (for `--output`).
  public internal(set) var lastModule: StableHLOModule?
  /// Checked between equations, inside long kernels and while tracing; Ctrl-C sets it.
  public let cancellation: CancellationFlag
  /// Where text goes; the default discards it.
  public var output: (Stream, String) -> Void = { _, _ in }

  /// A session whose evaluations stop early once `cancellation` is set (the executable
  /// passes the flag its Ctrl-C handler sets).
  public init(
    options: SessionOptions = SessionOptions(), cancellation: CancellationFlag = CancellationFlag()
  ) {
    self.options = options
    self.cancellation = cancellation
  }

  /// How graphs of this session are built: its memory limit, constant folding that stops
  /// when the session is interrupted, and the derivative rules (the tests' hook).
  var buildOptions: GraphBuilder.Options {
    var folder = ConstantFolder(memoryLimit: options.memoryLimit, cancellation: cancellation)
    folder.leavesNonFinite = options.checkNaNs
    var build = GraphBuilder.Options(
      memoryLimit: options.memoryLimit, folding: folder,
      // derivative equations are attributed for the NaN search and for DOT graphs' marks
      checksNonFinite: options.checkNaNs || options.graph == .dot)
    build.derivativeRules = options.derivativeRules
    return build
  }

  /// `seed(n)`: PyTorch's `manual_seed`.
  public func seed(_ n: Int64) {
    generator.manualSeed(n)
    lastSeed = n
  }

  /// The seed last given to ``seed(_:)`` (PyTorch's start-up seed before any), for `:seed`.
  public private(set) var lastSeed = Session.torchDefaultSeed

  /// The seed PyTorch's CPU generator has when a process starts, so unseeded `randn` gives
  /// the numbers an unseeded PyTorch script gets.
  public static let torchDefaultSeed: Int64 = 67_280_421_310_721

  /// Forgets every binding and reseeds as at start-up.
  public func reset() {
    bindings = [:]
    bindingOrder = []
    generator = TorchGenerator(seed: Session.torchDefaultSeed)
    lastSeed = Session.torchDefaultSeed
    lastValue = nil
    replay = ReplayLog()
    results = []
    resultNames = [:]
  }

  public func bind(_ name: String, _ value: Value) {
    if bindings[name] == nil { bindingOrder.append(name) }
    bindings[name] = value
  }

  // MARK: - Running programs

  /// Runs every statement of a program, printing values and diagnostics. Stops at the first
  /// error unless `keepGoing`; returns the exit status (0, 1 or 2).
  @discardableResult
  public func run(_ file: SourceFile, keepGoing: Bool = false) -> Int32 {
    withLargeStack { runStatements(file, keepGoing: keepGoing) }
  }

  /// Parses a program; a syntax error is reported and returned as `nil`.
  public func parse(_ file: SourceFile) -> [Statement]? {
    do {
      return try Parser.parse(file)
    } catch {
      report(error)
      return nil
    }
  }

  private func runStatements(_ file: SourceFile, keepGoing: Bool) -> Int32 {
    // Without --keep-going a syntax error anywhere stops the program before it runs (as
    // Python does); with it, each statement stands alone and errors are reported in order.
    let items: [Result<Statement, Diagnostic>]
    if keepGoing {
      items = Parser.parseRecovering(file)
    } else {
      do {
        items = try Parser.parse(file).map { .success($0) }
      } catch {
        report(error)
        return error.category.exitCode
      }
    }
    // with --last, only the last expression statement prints
    // with --emit, the last statement is exported and the others run silently
    let emitted: Int? = options.emit != nil ? items.count - 1 : nil
    let printed: Int? =
      emitted
      ?? (options.printsOnlyLast
        ? items.lastIndex { item in
          if case .success(let s) = item, case .expression = s.kind { return true }
          return false
        } : nil)
    var status: Int32 = 0
    for (i, item) in items.enumerated() {
      do throws(Diagnostic) {
        if i == emitted {
          try emitStableHLO(try item.get())
          continue
        }
        try execute(try item.get(), printing: printed.map { $0 == i } ?? true)
      } catch {
        report(error)
        if status == 0 { status = error.category.exitCode }
        if !keepGoing || error.message.id == "interrupted()" { return status }
      }
    }
    return status
  }

  /// The last diagnostic reported (for tests and the REPL).
  public private(set) var lastDiagnostic: Diagnostic?

  /// Renders a diagnostic to the diagnostics stream.
  public func report(_ d: Diagnostic) {
    lastDiagnostic = d
    output(.diagnostics, DiagnosticRenderer(useColor: options.color).render(d))
  }

  /// Runs one statement, printing the value of an expression.
  public func execute(_ statement: Statement) throws(Diagnostic) {
    try execute(statement, printing: true)
  }

  /// Runs one statement. Without `printing` nothing goes to the values stream: an expression
  /// is evaluated for its effects (random draws, seeds, files) but neither printed nor kept
  /// as ``lastValue``, and assignments are not echoed.
  func execute(_ statement: Statement, printing: Bool) throws(Diagnostic) {
    cancellation.reset()
    startDType = options.dtype
    lastBoundResult = false
    lastHadSideEffects = false
    let source = recordedSource(of: statement)
    try executeStatement(statement, printing: printing)
    switch statement.kind {
    case .assign, .define: record(.statement(source))
    case .expression where printing && lastBoundResult:
      record(.result(source, number: results.count, hadSideEffects: lastHadSideEffects))
    case .expression, .assert: if lastHadSideEffects { record(.statement(source)) }
    }
  }

  /// The statement's source as `:save` writes it: the names of earlier results it reads
  /// (`ans`, `_`, `__`, `___`) replaced by the numbered results they stand for now. A
  /// definition is kept as written (its body reads names when it is called).
  private func recordedSource(of statement: Statement) -> String {
    let range = statement.range
    let file = SourceFile(name: "<replay>", text: range.file.text(of: range))
    switch statement.kind {
    case .define: return file.text
    case .assign(_, let value):
      return ReplayLog.resolvingResultNames(
        file, resultNames, excluding: 0..<max(0, value.range.start - range.start))
    case .expression, .assert: return ReplayLog.resolvingResultNames(file, resultNames)
    }
  }

  private func record(_ entry: ReplayLog.Entry) {
    if replay.startDType == nil { replay.startDType = startDType }
    replay.append(entry)
  }

  /// The default dtype before the statement being run changed it (`set_default_dtype`).
  private var startDType: DType = .f32

  /// Whether the last compiled expression drew random numbers, seeded or touched files.
  private var lastHadSideEffects = false
  /// Whether the last statement bound its value to `ans` and `_`.
  private var lastBoundResult = false
  /// The REPL's printed results: result `k` is bound to `_k` (IPython's `Out[k]`).
  public private(set) var results: [(source: String, value: Value)] = []
  /// The names bound to a recent result, with its number: `ans` and `_` the last, `__` the one
  /// before, `___` the one before that (until a statement rebinds the name).
  private var resultNames: [String: Int] = [:]

  /// The names ``results`` bind besides `_k`, with how far back each reaches.
  static let recentResultNames = [("ans", 0), ("_", 0), ("__", 1), ("___", 2)]

  /// Whether `name` is one the REPL binds to results: `ans`, `_`, `__`, `___` or `_k`.
  static func isResultName(_ name: String) -> Bool {
    recentResultNames.contains { $0.0 == name } || Suggestions.resultNumber(name) != nil
  }

  /// Binds `value`, printed for `source`, as the next numbered result and the recent ones.
  private func bindResult(_ value: Value, source: String) {
    results.append((source, value))
    let k = results.count
    bind("_\(k)", value)
    for (name, back) in Self.recentResultNames where k - back >= 1 {
      bind(name, results[k - back - 1].value)
      resultNames[name] = k - back
    }
    lastBoundResult = true
  }

  private func executeStatement(_ statement: Statement, printing: Bool) throws(Diagnostic) {
    switch statement.kind {
    case .expression(let e):
      let value = try evaluate(e)
      guard printing else { return }
      lastValue = value
      if case .function(let f) = value, options.format == .pretty,
        let formula = FormulaPrinter.formula(of: f, in: self)
      {
        // a function prints as the formula it computes (of scalar arguments)
        output(.values, formula + "\n")
      } else if let text = ValueFormatter.format(
        value, options.format, defaultDType: options.dtype, printOptions: options.printOptions,
        picture: options.picture)
      {
        output(.values, text + "\n")
      } else if options.format == .json, !e.isCall {
        output(.values, "null\n")  // `None` written out; calls that return nothing print nothing
      }
      if options.bindsLastResult, !value.isNoneValue {
        bindResult(value, source: e.range.file.text(of: e.range))
      }
    case .assign(let target, let valueExpr):
      let value = try evaluate(valueExpr)
      // unpack first, so a value that does not fit binds nothing
      for (n, v) in try Self.unpack(value, into: target, valueExpr.range) {
        bindEchoing(n, v, printing: printing)
        resultNames[n] = nil
      }
      if printing { lastValue = value }  // what `-o` writes after a program ending in `x = …`
    case .define(let name, let parameters, let body):
      let f = Function(name: name, body: .user(parameters: parameters, body: body))
      bind(name, .function(f))
      resultNames[name] = nil
      if printing && options.echoAssignments { output(.values, "\(name): \(f.description)\n") }
    case .assert(let condition, let messageExpr):
      let value = try evaluate(condition)
      guard try Self.isTrue(value) else {
        var message: String?
        if let messageExpr {
          let m = try evaluate(messageExpr)
          if case .string(let s) = m { message = s } else { message = ValueFormatter.shortText(m) }
        }
        throw Diagnostic(.assertionFailed(message), at: condition.range)
      }
    }
  }

  private func bindEchoing(_ name: String, _ value: Value, printing: Bool) {
    bind(name, value)
    if printing && options.echoAssignments { output(.values, "\(name): \(value.summary)\n") }
  }

  /// The names of `target` with the parts of `value` they bind.
  static func unpack(_ value: Value, into target: AssignmentTarget, _ range: SourceRange)
    throws(Diagnostic) -> [(String, Value)]
  {
    switch target {
    case .name(let n): return [(n, value)]
    case .tuple(let targets, let targetRange):
      guard case .tuple(let items) = value, items.count == targets.count else {
        throw Diagnostic(
          .destructureCount(names: targets.count, got: value.typeDescription), at: range
        )
        .labeled(targetRange)
      }
      var out: [(String, Value)] = []
      for (t, v) in zip(targets, items) { out += try unpack(v, into: t, range) }
      return out
    }
  }

  /// True when every element of every tensor in the value is non-zero.
  static func isTrue(_ v: Value) throws(Diagnostic) -> Bool {
    switch v {
    case .tensor(let t): return t.doubles.allSatisfy { $0 != 0 }
    case .int(let n): return n != 0
    case .bool(let b): return b
    case .tuple(let items):
      for item in items where !(try isTrue(item)) { return false }
      return true
    default:
      throw Diagnostic(
        .wrongType("assert", expected: "a tensor or a truth value", got: v.typeDescription), at: nil
      )
    }
  }

  // MARK: - Evaluation

  /// Traces, runs and returns the concrete value of an expression.
  public func evaluate(_ e: Expr) throws(Diagnostic) -> Value {
    let compiled = try compile(e)
    return try run(compiled)
  }

  /// Traces an expression into a graph. A plan over the memory limit is traced again with its
  /// Jacobians and `vmap`s computed over slices of their bases or batches
  /// (``FunctionTransforms/batched(_:batched:size:broadcastsOutputs:inputs:)``), and that plan
  /// is used if it fits; otherwise the statement is refused at its location, saying what
  /// dominates its memory and what limit would fit (``memoryRefusal(_:whole:sliced:)``).
  public func compile(_ e: Expr) throws(Diagnostic) -> CompiledExpression {
    let start = ContinuousClock.now
    let generatorBefore = generator
    let limit = options.memoryLimit
    let whole = try attempt(e, chunkBytes: nil)
    var compiled: CompiledExpression
    if case .success(let c) = whole, c.plan.fits(limit) {
      compiled = c
    } else {
      let generatorAfter = generator
      generator = generatorBefore
      let sliced = try attempt(e, chunkBytes: limit / 4)
      if case .success(var c) = sliced, c.plan.fits(limit) {
        let wholeText =
          if case .success(let w) = whole { w.plan.peakBytes.map(ByteCount.text) ?? "unknown" } else
          { "more than the limit" }
        c.explanations.append(
          "explain: the whole plan needs \(wholeText), over --max-memory \(ByteCount.text(limit)): "
            + "Jacobians and vmaps run in slices of their basis or batch of at most "
            + "\(ByteCount.text(limit / 4)) each; plan peak "
            + "\(c.plan.peakBytes.map(ByteCount.text) ?? "unknown")\n")
        compiled = c
      } else {
        generator = generatorBefore
        let refusal = memoryRefusal(e, whole: whole, sliced: sliced)
        generator = generatorAfter
        throw refusal
      }
    }
    compiled.compileTime = ContinuousClock.now - start
    if compiled.hasSideEffects { lastHadSideEffects = true }
    if options.explain { output(.diagnostics, compiled.explanation) }
    if let style = options.graph, compiled.computes {
      output(.diagnostics, GraphPrinter.show(compiled, style) + "\n")
    }
    return compiled
  }

  /// One trace of `e`, or the refusal of a tensor over the memory limit met while tracing (any
  /// other error is thrown); with `chunkBytes` (slicing), any error is a failure to slice.
  func attempt(_ e: Expr, chunkBytes: Int?) throws(Diagnostic)
    -> Result<CompiledExpression, Diagnostic>
  {
    do {
      return .success(try trace(e, chunkBytes: chunkBytes))
    } catch {
      guard chunkBytes != nil || error.message.id == Self.memoryLimitID else { throw error }
      return .failure(error)
    }
  }

  /// The catalog ID of the memory-limit refusal.
  static let memoryLimitID = DiagnosticMessage.memoryLimitExceeded(bytes: 0, limit: 0).id

  /// One trace of `e` into an optimised, verified plan.
  func trace(_ e: Expr, chunkBytes: Int?) throws(Diagnostic) -> CompiledExpression {
    let tracer = Tracer(session: self)
    tracer.chunkBytes = chunkBytes
    let template = try tracer.evaluate(e, [:])
    var outputs: [Var] = []
    var seen = Set<Var>()
    for t in template.tracedLeaves() + tracer.pendingSaves.flatMap({ $0.value.tracedLeaves() })
    where seen.insert(t.v).inserted {
      outputs.append(t.v)
    }
    let traced = tracer.builder.finish(outputs: outputs)
    let graph = try Simplifier.simplify(traced, options: buildOptions)
    try Verifier.verify(graph)
    return CompiledExpression(
      plan: ExecutionPlan(graph), rawGraph: traced,
      computes: !traced.equations.isEmpty || tracer.builder.computedFolds > 0,
      explanations: tracer.explanations, results: outputs,
      inputs: tracer.inputTensors, inputNames: tracer.inputNames, template: template,
      saves: tracer.pendingSaves, hasSideEffects: tracer.hasSideEffects, range: e.range,
      compileTime: .zero)
  }

  /// Runs a compiled expression and substitutes the results into its value.
  public func run(_ c: CompiledExpression) throws(Diagnostic) -> Value {
    let start = ContinuousClock.now
    let interpreter = Interpreter(
      memoryLimit: options.memoryLimit, cancellation: cancellation,
      progress: options.showProgress
        ? { [output] fraction in
          let text = fraction < 1 ? "\r\u{1B}[Krunning… \(Int(fraction * 100))%" : "\r\u{1B}[K"
          output(.diagnostics, text)
        } : nil)
    let results: [Tensor]
    do {
      results = try interpreter.run(c.plan, inputs: c.inputs)
    } catch {
      throw error.located(at: c.range)
    }
    if options.checkNaNs { try checkFinite(results, of: c) }
    var byVar: [Var: Tensor] = [:]
    for (v, t) in zip(c.results, results) { byVar[v] = t }
    let value = Self.substitute(c.template, byVar, defaultDType: options.dtype)
    for save in c.saves {
      try FileIO.save(
        Self.substitute(save.value, byVar, defaultDType: options.dtype), to: save.path,
        range: save.range)
    }
    if options.showTime {
      output(
        .diagnostics,
        "time: compile \(Self.readable(Self.seconds(c.compileTime) * 1e6)), run \(Self.readable(Self.seconds(ContinuousClock.now - start) * 1e6))\n"
      )
    }
    return value
  }

  /// The value with each traced tensor (also inside functions) replaced by its result. A
  /// weak integer (`square(3)`, arithmetic of Python numbers) becomes a tensor of
  /// the default float dtype, as number literals do in tensor arithmetic.
  static func substitute(_ v: Value, _ values: [Var: Tensor], defaultDType: DType) -> Value {
    (try? v.mappingTraced { t in
      guard var tensor = values[t.v] else { return .traced(t) }
      if t.isWeak, t.kind == .integer { return .tensor(tensor.converted(to: defaultDType)) }
      tensor.kind = t.kind
      return .tensor(tensor)
    }) ?? v
  }

}

/// A traced expression ready to run, possibly many times (`--bench`, `:time`).
public struct CompiledExpression {
  let plan: ExecutionPlan
  /// The graph as traced, before optimisation (`--graph=raw`).
  public let rawGraph: Graph
  /// Whether tracing computed anything (an equation, or one folded into a constant), unlike a
  /// plain constant (`ones(3)`, `[1, 2]`), a random draw or a seed: `--graph` shows only these.
  let computes: Bool
  /// Why each transform runs as it does, and any slicing under the memory limit (`--explain`).
  var explanations: [String]
  /// ``explanations`` as printed.
  public var explanation: String { explanations.joined() }
  /// The traced values the plan's outputs compute, in order (the plan's own values are
  /// renumbered by the optimiser).
  let results: [Var]
  let inputs: [Tensor]
  /// The session names of inputs, by input index.
  let inputNames: [Int: String]
  let template: Value
  let saves: [PendingSave]
  /// Tracing drew random numbers, read a file or reseeded.
  let hasSideEffects: Bool
  /// The expression's span (where a diagnostic about the whole statement points).
  let range: SourceRange
  public internal(set) var compileTime: Duration

  public var graph: Graph { plan.graph }
}

/// A `save(path, value)` call, carried out once the graph has computed the value.
struct PendingSave {
  var path: String
  var value: Value
  var range: SourceRange
}
