/// `plot(x, y)` and `plot(y)`: curves of data.
extension Tracer {
  /// `plot(x, y)` with y a vector, a matrix of one column per curve, or a tuple of vectors;
  /// `plot(y)` against 0, 1, ….
  func dataPlot(_ a: Arguments, _ limits: ClosedRange<Double>?) throws(Diagnostic)
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
      try checkShape([n], a.range(yName))
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
  func dataVector(_ v: Value, _ r: SourceRange, _ what: String) throws(Diagnostic)
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
}
