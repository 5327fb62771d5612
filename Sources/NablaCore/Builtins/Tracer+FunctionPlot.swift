/// `plot(f, a, b)` and `plot((f, g), a, b)`: samples of functions and their derivatives.
extension Tracer {
  /// f (and each function of a tuple) and its derivatives f⁽ᵏ⁾, k ≤ `order`, at the n points
  /// xᵢ = a + i·(b − a)/(n − 1), i = 0 … n − 1 (computed as `linspace`): y⁽ᵏ⁾ = vmap(f⁽ᵏ⁾)(x)
  /// with f′ = grad(f) and f″ = grad(grad(f)), each one batched computation over all n
  /// samples, all in the statement's one graph (run once).
  func functionPlot(
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
  func sampleCount(_ a: Arguments, curves: Int) throws(Diagnostic) -> Int {
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
}
