/// A figure as a standalone SVG document (what `save("….svg", figure)` and `-o ….svg` write).
enum FigureSVG {
  /// The document, or `nil` while the figure's data are still traced.
  static func render(_ figure: Figure) -> String? {
    if let spy = figure.spyMatrix { return SpySVG.render(spy) }
    guard let tensors = figure.tensors, let first = tensors.first else { return nil }
    switch figure.kind {
    case .lines: return LinePlotSVG.render(figure, tensors)
    case .heatmap: return HeatmapSVG.render(first)
    case .spy: return SpySVG.render(SpyMatrix(dense: first))
    }
  }
}
