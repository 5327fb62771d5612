/// Loops (JAX's `fori_loop`, `scan` and `while_loop`), unrolled while tracing: the body is
/// called once per iteration, so the graph holds one copy of it per iteration and every
/// transform works on that graph as on any other (reverse mode keeps every carry it needs).
extension Tracer {
  /// Iterations one loop may unroll into the graph.
  static let maxLoopIterations = 10_000

  /// Refuses a loop of more than ``maxLoopIterations`` iterations.
  private func checkIterations(_ count: Int, _ function: String, _ range: SourceRange)
    throws(Diagnostic)
  {
    guard count <= Self.maxLoopIterations else {
      throw Diagnostic(
        .invalidArgument(
          function,
          "\(count) iterations is more than the \(Self.maxLoopIterations) a loop may have",
          help:
            "nabla unrolls a loop while tracing, so its graph is as long as all its iterations together; take fewer, larger steps"
        ),
        at: range)
    }
  }

  /// `fori_loop(lower, upper, body, init)`: `carry = body(i, carry)` for `i` from `lower` up
  /// to `upper − 1` (`i` an exact integer), starting from `init`; `init` when `upper ≤ lower`.
  func foriLoop(
    _ lower: Int, _ upper: Int, _ body: Function, _ initial: Value, _ arguments: Arguments
  ) throws(Diagnostic) -> Value {
    let (count, overflow) = upper.subtractingReportingOverflow(lower)
    guard !overflow else {
      throw Diagnostic(.integerOverflow("-"), at: arguments.range("upper"))
    }
    try checkIterations(count, arguments.function, arguments.callRange)
    let initRange = arguments.range("init_val")
    var carry = try LoopCarry(
      initial, self, initRange, context: "'\(arguments.function)' argument 'init_val'")
    var i = lower
    while i < upper {
      let returned = try call(
        body, [(.int(i), arguments.range("lower")), (carry.value, initRange)], [],
        callRange: arguments.callRange)
      carry = try carry.next(
        returned, iteration: i - lower, self, arguments.callRange, function: arguments.function)
      i += 1
    }
    return carry.value
  }

  /// `while_loop(cond, body, init)`: `carry = body(carry)` while `cond(carry)` holds. The
  /// condition must be known while tracing (nabla unrolls the loop), as `a if c else b`'s.
  func whileLoop(
    _ condition: Function, _ body: Function, _ initial: Value, _ arguments: Arguments
  ) throws(Diagnostic) -> Value {
    let initRange = arguments.range("init_val")
    var carry = try LoopCarry(
      initial, self, initRange, context: "'\(arguments.function)' argument 'init_val'")
    var iteration = 0
    while true {
      let holds = try call(
        condition, [(carry.value, initRange)], [], callRange: arguments.callRange)
      guard let truth = Self.knownTruth(holds) else {
        throw Diagnostic(
          .invalidArgument(
            arguments.function,
            "the condition must be known while tracing, but it is \(holds.typeDescription) "
              + "computed from the loop's inputs",
            help:
              "nabla unrolls loops while tracing; use fori_loop or scan with a number of steps known in advance"
          ),
          at: arguments.range("cond_fun"))
      }
      guard truth else { return carry.value }
      try checkIterations(iteration + 1, arguments.function, arguments.callRange)
      let returned = try call(body, [(carry.value, initRange)], [], callRange: arguments.callRange)
      carry = try carry.next(
        returned, iteration: iteration, self, arguments.callRange, function: arguments.function)
      iteration += 1
    }
  }

  /// The truth of a condition known while tracing: a boolean, an integer, or a one-element
  /// tensor whose value is known (computed from constants only).
  private static func knownTruth(_ v: Value) -> Bool? {
    if let truth = staticTruth(v) { return truth }
    switch v {
    case .traced(let t): return t.scalar.map { $0 != 0 }
    case .tensor(let t) where t.count == 1: return t[flat: 0] != 0
    default: return nil
    }
  }

  /// `scan(f, init, xs, length, reverse)`: `(carry, y) = f(carry, x)` for each `x` along the
  /// leading axis of `xs` (the tuples of one index of each leaf; `None` `length` times), from
  /// the last one when `reverse`; returns the final carry and the `y`s stacked along a new
  /// leading axis, in the order of `xs` either way (JAX's `scan`).
  func scan(
    _ f: Function, _ initial: Value, _ xs: Value, length: Int?, reverse: Bool,
    _ arguments: Arguments
  ) throws(Diagnostic) -> Value {
    let function = arguments.function
    let xsRange = arguments.range("xs")
    let items = try ScanItems(xs, length: length, self, arguments)
    try checkIterations(items.count, function, arguments.callRange)
    let initRange = arguments.range("init")
    var carry = try LoopCarry(initial, self, initRange, context: "'\(function)' argument 'init'")
    var ys = ScanOutputs(count: items.count)
    let order = reverse ? Array((0..<items.count).reversed()) : Array(0..<items.count)
    for (iteration, k) in order.enumerated() {
      let x = try items.item(k, self, arguments.callRange)
      let (c, y) = try scanStep(f, carry.value, initRange, x, xsRange, arguments)
      carry = try carry.next(c, iteration: iteration, self, arguments.callRange, function: function)
      try ys.record(y, at: k, iteration: iteration, self, arguments.callRange, function: function)
    }
    if items.count == 0 {
      // no iteration: f is traced once on zeros, only to learn the type of its y
      let x = try items.zeroItem(self, arguments.callRange)
      let (_, y) = try scanStep(f, carry.value, initRange, x, xsRange, arguments)
      try ys.record(y, at: nil, iteration: 0, self, arguments.callRange, function: function)
    }
    return .tuple([carry.value, try ys.stacked(self, arguments.callRange)])
  }

  /// One call of a scan's `f`, which must return a pair `(carry, y)`.
  private func scanStep(
    _ f: Function, _ carry: Value, _ carryRange: SourceRange, _ x: Value, _ xRange: SourceRange,
    _ arguments: Arguments
  ) throws(Diagnostic) -> (Value, Value) {
    let result = try call(
      f, [(carry, carryRange), (x, xRange)], [], callRange: arguments.callRange)
    guard case .tuple(let pair) = result, pair.count == 2 else {
      throw Diagnostic(
        .invalidArgument(
          arguments.function, "f must return a pair (carry, y), got \(result.typeDescription)"),
        at: arguments.range("f"))
    }
    return (pair[0], pair[1])
  }
}
