/// Runs a ``Graph`` on concrete tensors, equation by equation.
///
/// Before anything is allocated it computes the plan's peak memory from value lifetimes and
/// refuses a plan over the limit; while running it drops each value after its last use
/// (JAX's `clean_up_dead_vars`) and checks the cancellation flag between equations.
public struct Interpreter: Sendable {
  public var memoryLimit: Int
  public var cancellation: CancellationFlag?

  public init(memoryLimit: Int = .max, cancellation: CancellationFlag? = nil) {
    self.memoryLimit = memoryLimit
    self.cancellation = cancellation
  }

  /// The most bytes alive at once while running `graph`, with every value freed after its
  /// last use; `nil` if the count overflows.
  public static func peakBytes(_ graph: Graph) -> Int? {
    var lastUse: [Var: Int] = [:]
    for (i, eq) in graph.equations.enumerated() { for v in eq.inputs { lastUse[v] = i } }
    for v in graph.outputs { lastUse[v] = graph.equations.count }
    func bytes(_ v: Var) -> Int? {
      let t = graph.type(of: v)
      return Shape.elementCount(t.shape).flatMap {
        let (b, o) = $0.multipliedReportingOverflow(by: t.dtype.byteSize)
        return o ? nil : b
      }
    }
    var live = 0
    for v in graph.inputs + Array(graph.constants.keys) {
      guard let b = bytes(v) else { return nil }
      live += b
    }
    var peak = live
    for (i, eq) in graph.equations.enumerated() {
      guard let b = bytes(eq.output) else { return nil }
      let (l, o) = live.addingReportingOverflow(b)
      if o { return nil }
      live = l
      peak = max(peak, live)
      for v in Set(eq.inputs) where lastUse[v] == i && !graph.inputs.contains(v) {
        live -= bytes(v) ?? 0
      }
    }
    return peak
  }

  public func run(_ graph: Graph, inputs: [Tensor]) throws(Diagnostic) -> [Tensor] {
    guard let peak = Self.peakBytes(graph), peak <= memoryLimit else {
      throw Diagnostic(
        .memoryLimitExceeded(bytes: Self.peakBytes(graph) ?? .max, limit: memoryLimit), at: nil)
    }
    var env: [Tensor?] = Array(repeating: nil, count: graph.types.count)
    for (v, t) in zip(graph.inputs, inputs) { env[v.id] = t }
    for (v, t) in graph.constants { env[v.id] = t }
    var lastUse: [Int] = Array(repeating: -1, count: graph.types.count)
    for (i, eq) in graph.equations.enumerated() { for v in eq.inputs { lastUse[v.id] = i } }
    for v in graph.outputs { lastUse[v.id] = Int.max }
    for (i, eq) in graph.equations.enumerated() {
      if let c = cancellation, c.isCancelled { throw Diagnostic(.interrupted(), at: eq.source) }
      var args: [Tensor] = []
      args.reserveCapacity(eq.inputs.count)
      for v in eq.inputs {
        guard let t = env[v.id] else {
          throw Diagnostic(.internalError("value %\(v.id) has no value when used"), at: eq.source)
        }
        args.append(t)
      }
      env[eq.output.id] = eq.primitive.rule.evaluate(args)
      if let c = cancellation, c.isCancelled { throw Diagnostic(.interrupted(), at: eq.source) }
      for v in eq.inputs where lastUse[v.id] == i { env[v.id] = nil }
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
