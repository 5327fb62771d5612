/// What a plot of curves shows, whatever draws it: the samples, the viewport (the abscissae's
/// extent, and the ordinates given by `ylim` or chosen by ``AutoRange`` and widened to round
/// ticks), and the ticks on both axes.
struct LinePlotModel {
  let x: [Double]
  /// The ordinates of each curve.
  let ys: [[Double]]
  let curves: [Figure.Curve]
  let view: Viewport
  let yTicks: Ticks
  let isSampled: Bool

  /// The model of `figure`, whose data are `tensors` (the abscissae, then the curves), with
  /// about `yTickTarget` ticks on the ordinate axis.
  init(_ figure: Figure, _ tensors: [Tensor], yTickTarget: Int) {
    x = tensors.first?.doubles ?? []
    ys = tensors.dropFirst().map(\.doubles)
    curves = figure.curves
    isSampled = figure.isSampled
    let xRange = AutoRange.extent(x).map { AutoRange.widened($0.lowerBound, $0.upperBound) }
    if let limits = figure.yLimits {
      yTicks = Ticks.inside(limits, target: yTickTarget)
      view = Viewport(x: xRange ?? 0...1, y: limits)
    } else {
      let chosen =
        AutoRange.of(ys, trimsSpikes: figure.isSampled, derivatives: figure.derivatives) ?? -1...1
      let (y, ticks) = Ticks.covering(chosen, target: yTickTarget)
      yTicks = ticks
      view = Viewport(x: xRange ?? 0...1, y: y)
    }
  }

  /// The ticks of the abscissa axis, about `target` of them.
  func xTicks(target: Int) -> Ticks { Ticks.inside(view.x, target: target) }

  /// The pieces curve `k` is stroked in (``Polylines``).
  func pieces(_ k: Int) -> [[PlotPoint]] {
    Polylines.pieces(x, ys[k], in: view, breaksAtPoles: isSampled)
  }
}
