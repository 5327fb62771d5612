/// `plot`, `heatmap` and `spy`: the figures' data, traced into the statement's graph.
extension Tracer {
  /// The most samples `plot(f, a, b, samples=n)` takes.
  static let maximumSamples = 10_000_000

  /// `plot(f, a, b)`, `plot((f, g), a, b)`, `plot(x, y)` or `plot(y)`.
  func plot(_ a: Arguments) throws(Diagnostic) -> Figure {
    let limits = try yLimits(a)
    if let functions = try plottedFunctions(a) {
      return try functionPlot(functions, a, limits)
    }
    return try dataPlot(a, limits)
  }

  /// The functions of `plot(f, …)` or `plot((f, g), …)`, or `nil` when the first argument is
  /// data.
  private func plottedFunctions(_ a: Arguments) throws(Diagnostic) -> [Function]? {
    switch a.value("f") {
    case .function(let f): return [f]
    case .tuple(let items):
      let functions = items.compactMap { if case .function(let f) = $0 { f } else { nil } }
      if functions.isEmpty { return nil }
      guard functions.count == items.count else {
        throw Diagnostic(
          .invalidArgument(
            "plot", "the tuple mixes functions and other values",
            help: "plot((f, g), a, b) plots functions; plot(x, (y1, y2)) plots data"),
          at: a.range("f"))
      }
      return functions
    default: return nil
    }
  }

  /// `ylim=(lo, hi)`, or `nil`.
  private func yLimits(_ a: Arguments) throws(Diagnostic) -> ClosedRange<Double>? {
    if a.isNone("ylim") { return nil }
    let r = a.range("ylim")
    guard case .tuple(let items) = a.value("ylim"), items.count == 2 else {
      throw Diagnostic(
        .wrongType(
          "'plot' argument 'ylim'", expected: "a pair (lo, hi)",
          got: a.value("ylim").typeDescription), at: r)
    }
    let lo = try staticDouble(items[0], r, context: "'plot' argument 'ylim'")
    let hi = try staticDouble(items[1], r, context: "'plot' argument 'ylim'")
    guard lo.isFinite, hi.isFinite, lo < hi else {
      throw Diagnostic(
        .invalidArgument(
          "plot",
          "ylim must be two finite numbers, the lower first, not (\(Ticks.compact(lo)), \(Ticks.compact(hi)))"
        ), at: r)
    }
    return lo...hi
  }

  // MARK: - Matrices

  /// `heatmap(M)` and `spy(M)`: M a matrix, or a vector shown as one row.
  func matrixFigure(_ kind: Figure.Kind, _ a: Arguments) throws(Diagnostic) -> Figure {
    let name = kind == .heatmap ? "heatmap" : "spy"
    if kind == .spy, case .sparse(let s) = a.value("M") {
      guard s.pattern.rows > 0, s.pattern.columns > 0 else {
        throw Diagnostic(
          .invalidArgument(name, "M is empty (\(s.summary)): there is nothing to draw"),
          at: a.range("M"))
      }
      return Figure(kind: .spy, data: [.sparse(s)])
    }
    var m = try a.tensor("M")
    guard m.type.rank == 1 || m.type.rank == 2 else {
      let help =
        m.type.rank == 0
        ? "\(name) draws a matrix or a vector"
        : "draw one matrix of the batch: \(name)(M[0])" + (m.type.rank > 3 ? "[0]…" : "")
      throw Diagnostic(
        .invalidArgument(name, "M must be a matrix or a vector, got \(m.type)", help: help),
        at: a.range("M"))
    }
    guard m.type.count > 0 else {
      throw Diagnostic(
        .invalidArgument(name, "M is empty (\(m.type)): there is nothing to draw"),
        at: a.range("M"))
    }
    if m.type.rank == 1 { m = try reshape(m, [1, m.type.shape[0]], a.range("M")) }
    return Figure(kind: kind, data: [.traced(m)])
  }
}
