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

  // MARK: - Functions

  /// f (and each function of a tuple) and its derivatives up to `order`, each evaluated at
  /// `samples` points of [a, b] by `vmap` of f, `grad(f)` and `grad(grad(f))`: one batched
  /// computation per curve, all in the statement's one graph.
  private func functionPlot(
    _ functions: [Function], _ a: Arguments, _ limits: ClosedRange<Double>?
  ) throws(Diagnostic) -> Figure {
    guard !a.isNone("a"), !a.isNone("b") else {
      throw Diagnostic(
        .invalidArgument(
          "plot", "plotting a function needs the interval's ends",
          help: "write plot(f, a, b), e.g. plot(sin, 0, 2*pi)"), at: a.callRange)
    }
    let lo = try a.double("a")
    let hi = try a.double("b")
    for (name, v) in [("a", lo), ("b", hi)] where !v.isFinite {
      throw Diagnostic(
        .invalidArgument("plot", "\(name) must be a finite number, not \(Ticks.compact(v))"),
        at: a.range(name))
    }
    guard lo < hi else {
      throw Diagnostic(
        .invalidArgument(
          "plot",
          lo == hi
            ? "the interval [\(Ticks.compact(lo)), \(Ticks.compact(hi))] is empty"
            : "a must be less than b, not [\(Ticks.compact(lo)), \(Ticks.compact(hi))]",
          help: lo == hi ? "give two different ends" : "write the lower end first"),
        at: a.range("a").merged(with: a.range("b")))
    }
    guard (hi - lo).isFinite else {
      throw Diagnostic(
        .invalidArgument(
          "plot",
          "the interval [\(Ticks.compact(lo)), \(Ticks.compact(hi))] is too wide to sample"),
        at: a.range("a").merged(with: a.range("b")))
    }
    for f in functions {
      let count: Int? =
        switch f.body {
        case .user(let p, _), .lambda(let p, _, _): p.count
        case .builtin, .transformed: nil
        }
      if let count, count != 1 {
        throw Diagnostic(
          .invalidArgument(
            "plot", "\(f.description) takes \(count) arguments; plot draws functions of one",
            help: "fix the others in a lambda: plot(x -> f(x, 2), a, b)"),
          at: a.range("f"))
      }
    }
    let order = try a.int("order")
    guard (0...2).contains(order) else {
      throw Diagnostic(
        .invalidArgument(
          "plot", "order must be 0 (f), 1 (f and f′) or 2 (f, f′ and f″), not \(order)"),
        at: a.range("order"))
    }
    let n = try sampleCount(a, curves: functions.count * (order + 1))
    let step = (hi - lo) / Double(n - 1)
    // as linspace: the first half counts up from a, the second half down from b
    let xs = (0..<n).map { i in i < n / 2 ? lo + Double(i) * step : hi - Double(n - 1 - i) * step }
    let x = try constant(Tensor(shape: [n], values: xs, dtype: defaultDType))

    var ys: [Value] = []
    var curves: [Figure.Curve] = []
    let names = PlotLabels.names(for: functions)
    for (f, name) in zip(functions, names) {
      var g = f
      let labels = PlotLabels.labels(f, name: name, order: order, session: session)
      for k in 0...order {
        if k > 0 {
          g = Function(
            name: f.name,
            body: .transformed(
              base: g, .grad(argnums: .first, hasAux: false, withValue: false, name: "grad")))
        }
        let mapped = Function(
          name: f.name, body: .transformed(base: g, .vmap(inDims: .int(0), outDims: .int(0))))
        let y = try call(mapped, [(.traced(x), a.range("a"))], [], callRange: a.callRange)
        guard case .traced(let yt) = y, yt.type.shape == [n] else {
          throw Diagnostic(
            .invalidArgument(
              "plot",
              "\(f.description) must map a number to a number; at \(n) points it gives \(y.typeDescription)",
              help: "plot draws functions of one real variable; sum or index a tensor result"),
            at: a.range("f"))
        }
        ys.append(y)
        curves.append(Figure.Curve(label: labels[k], dash: [.solid, .dashed, .dotted][k]))
      }
    }
    return Figure(
      kind: .lines, data: [.traced(x)] + ys, curves: curves, yLimits: limits, isSampled: true)
  }

  /// `samples=`, or one sample per dot column of the picture at the terminal's width.
  private func sampleCount(_ a: Arguments, curves: Int) throws(Diagnostic) -> Int {
    guard let n = try a.optionalInt("samples") else {
      return LinePlotText.samples(width: session.options.picture.width)
    }
    guard n >= 2, n <= Self.maximumSamples else {
      throw Diagnostic(
        .invalidArgument("plot", "samples must be from 2 to \(Self.maximumSamples), not \(n)"),
        at: a.range("samples"))
    }
    // every curve's samples, and the intermediates of its derivatives, must fit memory
    let (total, overflow) = n.multipliedReportingOverflow(by: max(1, curves) * 4)
    try checkShape([overflow ? Int.max : total], a.range("samples"))
    return n
  }

  // MARK: - Data

  /// `plot(x, y)` with y a vector, a matrix of one column per curve, or a tuple of vectors;
  /// `plot(y)` against 0, 1, ….
  private func dataPlot(_ a: Arguments, _ limits: ClosedRange<Double>?) throws(Diagnostic)
    -> Figure
  {
    guard a.isNone("b") else {
      throw Diagnostic(
        .invalidArgument(
          "plot", "plot(x, y) takes no third argument",
          help: "plot(f, a, b) plots a function f on [a, b]; plot(x, y) plots data"),
        at: a.range("b"))
    }
    if case .int(1) = a.value("order") {
    } else {
      throw Diagnostic(
        .invalidArgument("plot", "order applies to plots of functions, not of data"),
        at: a.range("order"))
    }
    guard a.isNone("samples") else {
      throw Diagnostic(
        .invalidArgument("plot", "samples applies to plots of functions, not of data"),
        at: a.range("samples"))
    }
    let onlyY = a.isNone("a")
    let yName = onlyY ? "f" : "a"
    var x: Traced? = onlyY ? nil : try dataVector(a.value("f"), a.range("f"), "x")
    var ys: [Traced] = []
    var labels: [String] = []
    let yText = a.range(yName).file.text(of: a.range(yName))
    switch a.value(yName) {
    case .tuple(let items) where items.count > 1:
      let texts = PlotLabels.tupleItems(yText, count: items.count)
      for (i, item) in items.enumerated() {
        ys.append(try dataVector(item, a.range(yName), "y"))
        labels.append(texts?[i] ?? "\(yText)[\(i)]")
      }
    case let v:
      let y = try asTraced(v, a.range(yName), context: "'plot' argument 'y'")
      if y.type.rank == 2 {
        let (n, k) = (y.type.shape[0], y.type.shape[1])
        for j in 0..<k {
          let column = try emit(
            .slice(start: [0, j], limit: [n, j + 1], stride: [1, 1]), [y], a.range(yName))
          ys.append(try reshape(column, [n], a.range(yName)))
          labels.append("\(yText)[:, \(j)]")
        }
      } else {
        ys.append(try dataVector(v, a.range(yName), "y"))
        labels.append(yText)
      }
    }
    guard let n = ys.first?.type.shape.first, !ys.isEmpty else {
      throw Diagnostic(.invalidArgument("plot", "there is no curve to plot"), at: a.range(yName))
    }
    guard n > 0 else {
      throw Diagnostic(.invalidArgument("plot", "there are no points to plot"), at: a.range(yName))
    }
    for y in ys where y.type.shape != [n] {
      throw Diagnostic(
        .invalidArgument("plot", "the curves have different lengths: \(n) and \(y.type.shape[0])"),
        at: a.range(yName))
    }
    if x == nil {
      x = try constant(
        Tensor(shape: [n], values: (0..<n).map(Double.init), dtype: defaultDType))
    }
    guard let x, x.type.shape == [n] else {
      throw Diagnostic(
        .invalidArgument(
          "plot",
          "x has \(x?.type.shape.first ?? 0) points but y has \(n)",
          help: "x and each curve of y have one value per point"),
        at: a.range("f").merged(with: a.range(yName)))
    }
    return Figure(
      kind: .lines, data: [.traced(x)] + ys.map { .traced($0) },
      curves: labels.map { Figure.Curve(label: $0, dash: .solid) }, yLimits: limits,
      isSampled: false)
  }

  /// A vector of data (`what` names it in diagnostics).
  private func dataVector(_ v: Value, _ r: SourceRange, _ what: String) throws(Diagnostic)
    -> Traced
  {
    let t = try asTraced(v, r, context: "'plot' argument '\(what)'")
    guard t.type.rank == 1 else {
      throw Diagnostic(
        .invalidArgument(
          "plot", "\(what) must be a vector, got \(t.type)",
          help: what == "y"
            ? "y may be a vector, a matrix with a column per curve, or a tuple of vectors"
            : "x is one vector of abscissae"), at: r)
    }
    return t
  }

  // MARK: - Matrices

  /// `heatmap(M)` and `spy(M)`: M a matrix, or a vector shown as one row.
  func matrixFigure(_ kind: Figure.Kind, _ a: Arguments) throws(Diagnostic) -> Figure {
    let name = kind == .heatmap ? "heatmap" : "spy"
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
