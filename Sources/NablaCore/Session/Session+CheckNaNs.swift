/// `--check-nans` and `:nans on`: a statement whose result holds NaN or ±∞ that an operation
/// made from finite values is an error naming that operation.
extension Session {
  /// Throws the diagnostic of the non-finite origin of `results` (the outputs of `c`'s
  /// plan), if any: the plan's graph is run again unfused to find it (``NonFiniteSearch``).
  /// Results that are finite cost one pass over them; non-finite values that were inputs or
  /// constants are no error.
  func checkFinite(_ results: [Tensor], of c: CompiledExpression) throws(Diagnostic) {
    guard results.contains(where: { !$0.isFinite }) else { return }
    let origin: NonFiniteOrigin?
    do {
      origin = try NonFiniteSearch.origin(
        of: c.plan.graph, inputs: c.inputs, memoryLimit: options.memoryLimit,
        cancellation: cancellation)
    } catch {
      throw error.located(at: c.range)
    }
    if let origin { throw origin.diagnostic(fallback: c.range) }
  }
}
