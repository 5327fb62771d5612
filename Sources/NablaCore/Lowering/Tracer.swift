/// Local names of a function body or lambda: its parameters and captured names.
typealias Scope = [String: Value]

/// Evaluates the syntax of one statement into a graph (JAX's tracing).
///
/// Tensors the statement reads from the session become graph inputs; literals and random
/// draws become constants; every tensor operation is emitted as an equation. Integers stay
/// exact ``Value/int(_:)`` values so that sizes, axes and indices are known while tracing.
/// Functions are expanded where they are called, so a graph contains only primitives.
public final class Tracer {
  unowned let session: Session
  let builder: GraphBuilder
  /// The concrete tensors behind the graph's inputs, in order.
  private(set) var inputTensors: [Tensor] = []
  /// The session names of inputs, by input index (`--emit=stablehlo` names its arguments).
  private(set) var inputNames: [Int: String] = [:]
  private var liftedNames: [String: Traced] = [:]
  /// Set when tracing drew random numbers, read a file or reseeded: such a graph must not be
  /// reused for a later statement.
  var hasSideEffects: Bool {
    get { budget.hasSideEffects }
    set { budget.hasSideEffects = newValue }
  }
  /// Why each transform of the statement runs as it does (`--explain`), in tracing order.
  var explanations: [String] {
    get { budget.explanations }
    set { budget.explanations = newValue }
  }
  /// `save` calls, carried out after the graph has run.
  var pendingSaves: [PendingSave] {
    get { budget.pendingSaves }
    set { budget.pendingSaves = newValue }
  }
  /// When set, Jacobians and `vmap`s whose batched graph needs more bytes than this are
  /// computed over slices of their basis or batch (see ``batchedInSlices(_:batched:size:_:inputs:)``).
  var chunkBytes: Int? {
    get { budget.chunkBytes }
    set { budget.chunkBytes = newValue }
  }
  /// Whether Jacobians may choose colouring by themselves (off where a graph is traced to be
  /// read back as a formula, which has no spelling for a gather).
  var automaticSparsity: Bool {
    get { budget.automaticSparsity }
    set { budget.automaticSparsity = newValue }
  }
  /// Nesting and call counts, shared by the nested traces of one statement.
  private let budget: Budget

  /// What one statement may spend, however its traces nest.
  final class Budget {
    var depth = 0
    var callDepth = 0
    var callCount = 0
    var pendingSaves: [PendingSave] = []
    var hasSideEffects = false
    var chunkBytes: Int?
    var explanations: [String] = []
    var automaticSparsity = true
  }

  /// Expression nesting across calls; beyond it evaluation stops with a diagnostic long
  /// before the (large) evaluation stack could overflow.
  static let maxDepth = 4000
  /// Nested calls of user functions.
  static let maxCallDepth = 200
  /// User-function calls expanded in one statement (guards against exponential expansion).
  static let maxCalls = 200_000

  /// The trace this one is nested in (tracing a function for a transform), if any.
  let parent: Tracer?
  /// Values of enclosing traces this graph uses, in the order of their inputs (which follow
  /// the inputs made by ``input(_:)``).
  private(set) var captures: [Traced] = []
  private var adopted: [Var: Traced] = [:]

  init(session: Session, parent: Tracer? = nil) {
    self.session = session
    self.parent = parent
    self.budget = parent?.budget ?? Budget()
    self.builder = GraphBuilder(session.buildOptions)
  }

  var defaultDType: DType { session.options.dtype }

  // MARK: - Expressions

  func evaluate(_ e: Expr, _ scope: Scope) throws(Diagnostic) -> Value {
    budget.depth += 1
    defer { budget.depth -= 1 }
    guard budget.depth <= Self.maxDepth else {
      throw Diagnostic(.nestingTooDeep(limit: Self.maxDepth), at: e.range)
    }
    switch e.kind {
    case .integer(let n):
      return .int(n)
    case .real(let x):
      return .traced(try scalar(x, defaultDType, weak: true, kind: .float))
    case .string(let s):
      return .string(s)
    case .name(let n):
      return try lookup(n, e.range, scope)
    case .tuple(let items):
      var values: [Value] = []
      for item in items { values.append(try evaluate(item, scope)) }
      return .tuple(values)
    case .list(let items):
      return .traced(try listLiteral(items, e.range, scope))
    case .unary(let op, let operand):
      return try unaryOperation(op, try evaluate(operand, scope), e.range, operand.range)
    case .binary(let op, let lhs, let rhs, let opRange):
      let a = try evaluate(lhs, scope)
      let b = try evaluate(rhs, scope)
      return try binaryOperation(op, a, b, opRange: opRange, lhs: lhs.range, rhs: rhs.range)
    case .call(let calleeExpr, let arguments):
      if case .member(let target, let method, let methodRange) = calleeExpr.kind,
        case .index(let at, let items) = target.kind, case .member(let x, "at", _) = at.kind
      {
        return try indexedUpdate(
          x, items, method: method, methodRange: methodRange, arguments, e.range, scope)
      }
      if case .member(let target, let method, let methodRange) = calleeExpr.kind,
        let cast = Builtins.castMethods[method], let b = Builtins.table[cast.builtin]
      {
        // `x.astype(dtype)`, `x.long()`: the conversion with x first
        var (positional, keywords) = try evaluateArguments(arguments, scope)
        if let dtype = cast.dtype {
          guard positional.isEmpty, keywords.isEmpty else {
            throw Diagnostic(.invalidArgument(".\(method)()", "takes no arguments"), at: e.range)
          }
          positional = [(.string(dtype), methodRange)]
        }
        positional.insert((try evaluate(target, scope), target.range), at: 0)
        return try call(
          Function(name: b.name, body: .builtin(b)), positional, keywords, callRange: e.range)
      }
      let callee = try evaluate(calleeExpr, scope)
      guard case .function(let f) = callee else {
        var help: String?
        switch callee {
        case .tensor, .traced: help = "index a tensor with brackets: \(calleeExpr.sourceText)[…]"
        default: break
        }
        throw Diagnostic(
          .notAFunction(callee.typeDescription, help: help), at: calleeExpr.range)
      }
      let (positional, keywords) = try evaluateArguments(arguments, scope)
      return try call(f, positional, keywords, callRange: e.range)
    case .index(let baseExpr, let items):
      let base = try evaluate(baseExpr, scope)
      return try index(base, items, e.range, baseExpr.range, scope)
    case .transpose(let operand):
      let x = try asTraced(try evaluate(operand, scope), operand.range, context: "transpose")
      return .traced(try transposed(x, nil, e.range))
    case .member(let operand, let name, let nameRange):
      return try member(try evaluate(operand, scope), name, nameRange, operand.range)
    case .conditional(let value, let conditionExpr, let otherwise):
      let condition = try evaluate(conditionExpr, scope)
      if let truth = Self.staticTruth(condition) {
        // known now: only the branch taken is evaluated (so a recursion can end)
        return try evaluate(truth ? value : otherwise, scope)
      }
      let c = try asTraced(condition, conditionExpr.range, context: "the condition of 'if'")
      let a = try asTraced(try evaluate(value, scope), value.range, context: "'if … else'")
      let b = try asTraced(try evaluate(otherwise, scope), otherwise.range, context: "'if … else'")
      return .traced(try select(c, a, b, e.range))
    case .logical(let op, let lhs, let rhs):
      let a = try evaluate(lhs, scope)
      if let truth = Self.staticTruth(a) {
        // Python's short circuit for values known now
        if op == .and ? !truth : truth { return .bool(truth) }
        let b = try evaluate(rhs, scope)
        if let other = Self.staticTruth(b) { return .bool(other) }
        return .traced(try nonZero(b, rhs.range))
      }
      let x = try nonZero(a, lhs.range)
      let y = try nonZero(try evaluate(rhs, scope), rhs.range)
      var both = try elementwise(op == .and ? .min : .max, x, y, e.range, lhs.range, rhs.range)
      both.kind = .boolean
      return .traced(both)
    case .lambda(let parameters, let body):
      return .function(
        Function(name: "lambda", body: .lambda(parameters: parameters, body: body, captured: scope))
      )
    }
  }

  /// A call's arguments evaluated, positional and keyword (each keyword at most once).
  private func evaluateArguments(_ arguments: [CallArgument], _ scope: Scope) throws(Diagnostic)
    -> (positional: [(Value, SourceRange)], keywords: [(String, Value, SourceRange)])
  {
    var positional: [(Value, SourceRange)] = []
    var keywords: [(String, Value, SourceRange)] = []
    for a in arguments {
      let v = try evaluate(a.value, scope)
      if let label = a.label {
        guard !keywords.contains(where: { $0.0 == label }) else {
          throw Diagnostic(.keywordTwice(label), at: a.range)
        }
        keywords.append((label, v, a.range))
      } else {
        positional.append((v, a.range))
      }
    }
    return (positional, keywords)
  }

  /// Looks a name up in the local scope, then the session, then the built-ins.
  func lookup(_ name: String, _ range: SourceRange, _ scope: Scope) throws(Diagnostic) -> Value {
    if let v = scope[name] { return v }
    if let v = session.bindings[name] {
      if case .tensor(let t) = v {  // a session tensor becomes one graph input, however often used
        if let lifted = liftedNames[name] { return .traced(lifted) }
        let lifted = try liftInput(t)
        liftedNames[name] = lifted
        inputNames[inputTensors.count - 1] = name
        return .traced(lifted)
      }
      return v
    }
    if let c = Constants.value(of: name) {
      switch c {
      case .real(let x): return .traced(try scalar(x, defaultDType, weak: true, kind: .float))
      case .value(let v): return v
      }
    }
    if let b = Builtins.table[name] { return .function(Function(name: name, body: .builtin(b))) }
    let candidates =
      Array(scope.keys) + Array(session.bindings.keys) + Builtins.names + Constants.names
    throw Diagnostic(
      .unknownName(name, suggestion: Suggestions.nearest(to: name, in: candidates)), at: range)
  }

  /// The `randomness` of the `vmap` this trace is the function of, with its batch size.
  struct VmapRandomness {
    var mode: Randomness
    var size: Int
  }

  /// Set on the trace of a `vmap`ped function.
  var vmapRandomness: VmapRandomness?
  /// Positions among ``captures`` that carry a leading batch axis (``adoptBatched(_:)``).
  private(set) var batchedCaptures: Set<Int> = []

  /// `count` random numbers of `shape` from `draw`, as the enclosing `vmap`s' `randomness`
  /// allows: outside any, or with `"same"`, one draw; with `"different"` (directly in the
  /// `vmap`ped function), one draw per item, taken at once as PyTorch does, each item seeing
  /// its own; with `"error"` (the default), an error.
  func random(_ shape: [Int], _ range: SourceRange, _ draw: (Int) -> Tensor.Storage)
    throws(Diagnostic) -> Traced
  {
    hasSideEffects = true
    var trace: Tracer? = self
    while let t = trace, t.vmapRandomness == nil { trace = t.parent }
    guard let t = trace, let policy = t.vmapRandomness, policy.mode != .same else {
      return try liftInput(Tensor(shape: shape, storage: draw(shape.reduce(1, *))))
    }
    guard policy.mode == .different else {
      throw Diagnostic(
        .invalidArgument(
          "vmap", "the mapped function draws random numbers, and randomness is \"error\"",
          help:
            "pass randomness=\"same\" (one draw for every item) or randomness=\"different\" (a draw per item), as torch.func"
        ), at: range)
    }
    guard t === self, let parent else {
      throw Diagnostic(
        .invalidArgument(
          "vmap",
          "randomness=\"different\" draws inside a transform nested in the vmap are not supported",
          help: "draw the numbers in the mapped function itself, or pass randomness=\"same\""),
        at: range)
    }
    // every item's numbers at once, drawn as the enclosing trace draws (an enclosing vmap's
    // randomness applies to them in turn)
    try checkShape([policy.size] + shape, range)
    return try adoptBatched(try parent.random([policy.size] + shape, range, draw))
  }

  /// One item of `t`, a value of the enclosing trace with a leading batch axis: an input of
  /// this graph recorded among ``captures`` and ``batchedCaptures``.
  private func adoptBatched(_ t: Traced) throws(Diagnostic) -> Traced {
    let inner = traced(builder.input(t.type.with(shape: Array(t.type.shape.dropFirst()))))
    batchedCaptures.insert(captures.count)
    captures.append(t)
    return inner
  }

  /// Makes a concrete tensor part of the graph: an input of a statement's graph, a constant
  /// of a function's graph traced for a transform.
  func liftInput(_ t: Tensor) throws(Diagnostic) -> Traced {
    guard parent == nil else { return try constant(t) }
    inputTensors.append(t)
    var input = traced(builder.input(t.type))
    input.kind = t.kind
    return input
  }

  /// A value of this tracer's graph for `t`, which may belong to an enclosing trace: the
  /// body of `grad(x -> a * x)` captures `a` from outside. Captured values become inputs of
  /// this graph, recorded in ``captures`` so the caller can pass them in.
  func adopt(_ t: Traced) throws(Diagnostic) -> Traced {
    if t.builder == builder.id { return t }
    guard let parent else {
      throw Diagnostic(.internalError("a value of a finished evaluation was used"), at: nil)
    }
    let outer = try parent.adopt(t)
    if let existing = adopted[outer.v] { return existing }
    var inner = traced(builder.input(outer.type))
    inner.isWeak = outer.isWeak
    inner.kind = outer.kind
    inner.scalar = outer.scalar
    adopted[outer.v] = inner
    captures.append(outer)
    return inner
  }

  /// Emits the equations of `g` into this trace with `inputs` for its inputs (values of this
  /// or an enclosing trace); returns its outputs.
  func inline(_ g: Graph, _ inputs: [Traced], _ range: SourceRange?) throws(Diagnostic) -> [Traced]
  {
    var adopted: [Var] = []
    for t in inputs { adopted.append(try adopt(t).v) }
    var walk = try GraphWalk(g, into: builder, inputs: adopted)
    try walk.reemit { eq, inputs throws(Diagnostic) in
      var provenance = eq.provenance
      if provenance.range == nil { provenance.range = range }
      return try builder.emit(eq.primitive, inputs, provenance: provenance)
    }
    return try walk.outputs().map(traced)
  }

  // MARK: - Calls

  func call(
    _ f: Function, _ positional: [(Value, SourceRange)], _ keywords: [(String, Value, SourceRange)],
    callRange: SourceRange
  ) throws(Diagnostic) -> Value {
    switch f.body {
    case .builtin(let b):
      let args = try Arguments(
        binding: positional, keywords: keywords, to: b, callRange: callRange, tracer: self)
      do {
        return try b.implementation(self, args)
      } catch let d as Diagnostic {
        throw d.located(at: callRange)
      } catch {
        throw Diagnostic(.internalError("'\(b.name)' failed: \(error)"), at: callRange)
      }
    case .user(let parameters, let body):
      do {
        return try callExpanded(f, parameters, body, [:], positional, keywords, callRange)
      } catch {
        throw Self.noting(error, f.name, body, callRange)
      }
    case .lambda(let parameters, let body, let captured):
      do {
        return try callExpanded(f, parameters, body, captured, positional, keywords, callRange)
      } catch {
        throw Self.noting(error, f.name, body, callRange)
      }
    case .transformed(let base, let transform):
      guard keywords.isEmpty else {
        throw Diagnostic(
          .unknownKeyword(keywords[0].0, function: f.baseName, suggestion: nil), at: keywords[0].2)
      }
      budget.callDepth += 1
      defer { budget.callDepth -= 1 }
      guard budget.callDepth <= Self.maxCallDepth else {
        throw Diagnostic(.recursionTooDeep(f.baseName, limit: Self.maxCallDepth), at: callRange)
      }
      return try apply(transform, of: base, positional, callRange: callRange)
    }
  }

  /// An error inside a function's body (or inside a call noted there), with a note at the
  /// call that led there; the three innermost calls, so a deep recursion does not bury it.
  private static func noting(
    _ error: Diagnostic, _ name: String, _ body: Expr, _ callRange: SourceRange
  ) -> Diagnostic {
    guard let inner = error.notes.last?.range ?? error.range, inner.file === body.range.file,
      inner.start >= body.range.start, inner.end <= body.range.end, error.notes.count < 3,
      callRange != error.range, !error.notes.contains(where: { $0.range == callRange })
    else { return error }
    return error.noted(callRange, "in this call of '\(name)'")
  }

  private func callExpanded(
    _ f: Function, _ parameters: [String], _ body: Expr, _ captured: Scope,
    _ positional: [(Value, SourceRange)], _ keywords: [(String, Value, SourceRange)],
    _ callRange: SourceRange
  ) throws(Diagnostic) -> Value {
    let expected = "\(parameters.count) argument\(parameters.count == 1 ? "" : "s")"
    guard positional.count <= parameters.count else {
      throw Diagnostic(
        .argumentCount(
          f.name, expected: expected, got: positional.count + keywords.count,
          parameters: parameters),
        at: positional[parameters.count].1)
    }
    var scope = captured
    for (p, (v, _)) in zip(parameters, positional) { scope[p] = v }
    for (label, v, r) in keywords {
      guard parameters.contains(label) else {
        throw Diagnostic(
          .unknownKeyword(
            label, function: f.name, suggestion: Suggestions.nearest(to: label, in: parameters)),
          at: r)
      }
      guard let position = parameters.firstIndex(of: label), position >= positional.count else {
        throw Diagnostic(.keywordTwice(label), at: r)
      }
      scope[label] = v
    }
    let bound = positional.count + keywords.count
    guard bound == parameters.count else {
      throw Diagnostic(
        .argumentCount(f.name, expected: expected, got: bound, parameters: parameters),
        at: callRange)
    }
    budget.callDepth += 1
    budget.callCount += 1
    defer { budget.callDepth -= 1 }
    guard budget.callCount <= Self.maxCalls else {
      throw Diagnostic(.tooManyCalls(limit: Self.maxCalls), at: callRange)
    }
    if session.cancellation.isCancelled { throw Diagnostic(.interrupted(), at: callRange) }
    guard budget.callDepth <= Self.maxCallDepth else {
      throw Diagnostic(.recursionTooDeep(f.name, limit: Self.maxCallDepth), at: callRange)
    }
    return try evaluate(body, scope)
  }

  // MARK: - Operators

  func unaryOperation(
    _ op: UnaryOperator, _ v: Value, _ range: SourceRange, _ operandRange: SourceRange
  ) throws(Diagnostic) -> Value {
    if case .bool(let b) = v { return try unaryOperation(op, .int(b ? 1 : 0), range, operandRange) }
    if case .int(let n) = v {
      switch op {
      case .plus: return .int(n)
      case .negate:
        let (r, overflow) = 0.subtractingReportingOverflow(n)
        guard !overflow else { throw Diagnostic(.integerOverflow("-"), at: range) }
        return .int(r)
      case .not: return .bool(n == 0)
      }
    }
    if op == .not, case .bool(let b) = v { return .bool(!b) }
    let x = try asTraced(v, operandRange, context: "'\(op.rawValue)'")
    switch op {
    case .plus: return .traced(x)
    case .negate: return .traced(try unary(.neg, x, range))
    case .not:
      let zero = try scalar(0, x.type.dtype, weak: true)
      return .traced(try elementwise(.compare(.eq), x, zero, range, operandRange, range))
    }
  }

  /// The truth of a value known while tracing (a boolean or an integer), else `nil`.
  static func staticTruth(_ v: Value) -> Bool? {
    switch v {
    case .bool(let b): b
    case .int(let n): n != 0
    default: nil
    }
  }

  /// 1 where `v` is not zero, else 0 (`and`, `or` and `not` of tensors, elementwise).
  private func nonZero(_ v: Value, _ range: SourceRange) throws(Diagnostic) -> Traced {
    let x = try asTraced(v, range, context: "'and'/'or'")
    let zero = try scalar(0, x.type.dtype, weak: true)
    return try elementwise(.compare(.ne), x, zero, range, range, range)
  }

  func binaryOperation(
    _ op: BinaryOperator, _ a: Value, _ b: Value, opRange: SourceRange, lhs: SourceRange,
    rhs: SourceRange
  ) throws(Diagnostic) -> Value {
    if case .int(let x) = a.asInteger, case .int(let y) = b.asInteger,
      let result = try integerOperation(op, x, y, opRange)
    {
      return result
    }
    let x = try asTraced(a, lhs, context: "'\(op.rawValue)'")
    let y = try asTraced(b, rhs, context: "'\(op.rawValue)'")
    let result: Traced
    switch op {
    case .add: result = try elementwise(.add, x, y, opRange, lhs, rhs)
    case .subtract: result = try elementwise(.sub, x, y, opRange, lhs, rhs)
    case .elementwiseMultiply: result = try elementwise(.mul, x, y, opRange, lhs, rhs)
    case .divide: result = try elementwise(.div, x, y, opRange, lhs, rhs)
    case .remainder, .floorDivide:
      result = try floorDivision(
        remainder: op == .remainder, x, y, opRange: opRange, lhs: lhs, rhs: rhs)
    case .power: result = try power(x, y, opRange, lhs, rhs)
    case .matmul:
      result =
        x.type.rank == 0 || y.type.rank == 0
        ? try elementwise(.mul, x, y, opRange, lhs, rhs)
        : try matmul(x, y, opRange, lhs, rhs)
    case .equal: result = try elementwise(.compare(.eq), x, y, opRange, lhs, rhs)
    case .notEqual: result = try elementwise(.compare(.ne), x, y, opRange, lhs, rhs)
    case .less: result = try elementwise(.compare(.lt), x, y, opRange, lhs, rhs)
    case .lessEqual: result = try elementwise(.compare(.le), x, y, opRange, lhs, rhs)
    case .greater: result = try elementwise(.compare(.gt), x, y, opRange, lhs, rhs)
    case .greaterEqual: result = try elementwise(.compare(.ge), x, y, opRange, lhs, rhs)
    }
    return .traced(result)
  }

  /// `x // y`, the quotient rounded down, or `x % y = x − y ⌊x/y⌋` (the divisor's sign), as
  /// Python and NumPy have them, with derivatives 0, and 1 and −⌊x/y⌋. Integers stay integers,
  /// computed exactly in float64; a zero integer divisor known while tracing is an error, as
  /// in PyTorch (one found only when running gives a quotient of −2⁶³).
  private func floorDivision(
    remainder: Bool, _ a: Traced, _ b: Traced, opRange: SourceRange, lhs: SourceRange,
    rhs: SourceRange
  ) throws(Diagnostic) -> Traced {
    var (x, y) = (a, b)
    var kind: ElementKind?
    let unified = try unifyDTypes([a, b], opRange)
    if unified[0].kind != .float {
      kind = .integer
      (x, y) = (
        try convert(unified[0], to: .f64, opRange), try convert(unified[1], to: .f64, opRange)
      )
      if y.builder == builder.id, let divisor = builder.constantValue(y.v),
        divisor.firstElement(where: { $0 == 0 }) != nil
      {
        throw Diagnostic(.divisionByZero(), at: opRange).labeled(rhs)
      }
    }
    var quotient = try unary(
      .floor, try elementwise(.div, x, y, opRange, lhs, rhs, kind: kind), opRange)
    // a zero divisor found only when running gives −2⁶³, not an infinity
    if kind != nil { quotient = try saturated(quotient, opRange) }
    guard remainder else { return quotient }
    let multiple = try elementwise(.mul, y, quotient, opRange, rhs, opRange)
    return try elementwise(.sub, x, multiple, opRange, lhs, opRange)
  }

  /// Exact integer arithmetic, or `nil` when the result is not an integer (`1 / 2`).
  private func integerOperation(
    _ op: BinaryOperator, _ x: Int, _ y: Int, _ range: SourceRange
  ) throws(Diagnostic) -> Value? {
    func checked(_ r: (partialValue: Int, overflow: Bool)) throws(Diagnostic) -> Value {
      guard !r.overflow else { throw Diagnostic(.integerOverflow(op.rawValue), at: range) }
      return .int(r.partialValue)
    }
    switch op {
    case .add: return try checked(x.addingReportingOverflow(y))
    case .subtract: return try checked(x.subtractingReportingOverflow(y))
    case .matmul, .elementwiseMultiply: return try checked(x.multipliedReportingOverflow(by: y))
    case .power:
      guard y >= 0 else { return nil }
      var result = 1
      for _ in 0..<min(y, 64) {
        let (r, o) = result.multipliedReportingOverflow(by: x)
        guard !o else { throw Diagnostic(.integerOverflow("^"), at: range) }
        result = r
      }
      if y > 64, x != 0, x != 1, x != -1 { throw Diagnostic(.integerOverflow("^"), at: range) }
      if y > 64, x == -1 { result = y % 2 == 0 ? 1 : -1 }
      return .int(result)
    case .divide: return nil
    case .remainder, .floorDivide:
      guard y != 0 else { throw Diagnostic(.divisionByZero(), at: range) }
      let (q, overflow) = x.dividedReportingOverflow(by: y)
      guard !overflow else { throw Diagnostic(.integerOverflow(op.rawValue), at: range) }
      let r = x - q * y  // |r| < |y|: no overflow
      let floored = r != 0 && (r < 0) != (y < 0) ? (q - 1, r + y) : (q, r)  // toward −∞
      return .int(op == .remainder ? floored.1 : floored.0)
    case .equal: return .bool(x == y)
    case .notEqual: return .bool(x != y)
    case .less: return .bool(x < y)
    case .lessEqual: return .bool(x <= y)
    case .greater: return .bool(x > y)
    case .greaterEqual: return .bool(x >= y)
    }
  }

  // MARK: - Members

  /// What `x.name` can name on a tensor (completion offers them after a `.`).
  static let tensorAttributes = ["T", "dtype", "ndim", "shape"]

  private func member(
    _ v: Value, _ name: String, _ nameRange: SourceRange, _ operandRange: SourceRange
  ) throws(Diagnostic) -> Value {
    let members = Self.tensorAttributes
    if name == "at" {
      throw Diagnostic(
        .invalidArgument(
          ".at", "'.at[index]' is followed by .set(v), .add(v), .mul(v) or .get()",
          help: "x.at[0].set(5) is x with element 0 replaced by 5"),
        at: nameRange)
    }
    guard members.contains(name) else {
      if Builtins.table[name] != nil {
        // a NumPy or PyTorch method: nabla has the function
        throw Diagnostic(.noMethods(name), at: nameRange)
      }
      throw Diagnostic(
        .unknownName(
          ".\(name)", suggestion: Suggestions.nearest(to: name, in: members).map { "." + $0 }),
        at: nameRange)
    }
    if case .sparse(let s) = v, name != "T" {
      // a sparse matrix's size and dtype, as SciPy's have them
      switch name {
      case "shape": return .tuple([.int(s.pattern.rows), .int(s.pattern.columns)])
      case "ndim": return .int(2)
      default: return .string(s.dtype.longName)
      }
    }
    let x = try asTraced(v, operandRange, context: "'.\(name)'")
    switch name {
    case "shape": return .tuple(x.type.shape.map { .int($0) })
    case "ndim": return .int(x.type.rank)
    default: return .string(x.kind.dtypeName(x.type.dtype))
    }
  }
}

extension Value {
  /// Booleans count as the integers 0 and 1 in arithmetic.
  var asInteger: Value {
    if case .bool(let b) = self { return .int(b ? 1 : 0) }
    return self
  }

  /// Whether the value is an integer or a tensor of integers.
  var isInteger: Bool {
    switch self {
    case .int: true
    case .traced(let t): t.kind == .integer
    case .tensor(let t): t.kind == .integer
    default: false
    }
  }
}
