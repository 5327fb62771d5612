/// Refusing a statement whose plan does not fit `--max-memory`, saying why.
///
/// A plan's peak is `inputs + outputs + intermediates` alive at once (``PeakMemory``).
/// Slicing Jacobians, Hessians and `vmap`s shrinks only the intermediates; the result is
/// written in place slice by slice, so a sliced plan needs at least its output plus one slice.
/// The refusal names the largest of the three parts, whether slicing lowered the peak, and the
/// smallest limit found to work: the sliced plan's peak checked by tracing again at that limit
/// (slices grow with the limit), else the whole plan's peak.
extension Session {
  /// How many times a suggested limit is checked by tracing again before settling for the
  /// whole plan's peak.
  static let limitChecks = 4

  func memoryRefusal(
    _ e: Expr, whole: Result<CompiledExpression, Diagnostic>,
    sliced: Result<CompiledExpression, Diagnostic>
  ) -> Diagnostic {
    let limit = options.memoryLimit
    let wholePeak = try? whole.get().plan.peak
    let slicedPeak = try? sliced.get().plan.peak
    let helped = slicedPeak.map { s in wholePeak.map { s.total < $0.total } ?? true } ?? false
    guard let peak = (helped ? slicedPeak : wholePeak) ?? slicedPeak else {
      // tracing itself was refused: one tensor is over the limit
      let error: Diagnostic =
        switch whole {
        case .failure(let d): d
        case .success: Diagnostic(.internalError("no plan was traced"), at: nil)
        }
      return error.located(at: e.range)
    }
    var fit = wholePeak?.total
    var candidate = MemoryRefusal.rounded(peak.total)
    for _ in 0..<(helped ? Self.limitChecks : 0) where candidate < (fit ?? .max) {
      let (before, saved) = (generator, options.memoryLimit)
      options.memoryLimit = candidate
      let retraced = try? trace(e, chunkBytes: candidate / 4)
      (generator, options.memoryLimit) = (before, saved)
      guard let p = retraced?.plan.peakBytes else { break }
      if p <= candidate {
        fit = candidate
        break
      }
      candidate = MemoryRefusal.rounded(p)
    }
    let refusal = MemoryRefusal(
      peak: peak, limit: limit, sliceBytes: helped ? limit / 4 : nil,
      fit: fit.map(MemoryRefusal.rounded))
    return Diagnostic(.memoryPlanOverLimit(refusal), at: e.range)
  }
}
