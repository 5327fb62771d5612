/// A figure drawn as text for a terminal (what printing a figure shows).
enum FigureText {
  static func render(_ figure: Figure, _ options: PictureOptions) -> String {
    if let spy = figure.spyMatrix { return SpyText.render(spy, options) }
    guard let tensors = figure.tensors, let first = tensors.first else {
      return "<\(figure.summary)>"
    }
    switch figure.kind {
    case .lines: return LinePlotText.render(figure, tensors, options)
    case .heatmap: return HeatmapText.render(first, options)
    case .spy: return SpyText.render(SpyMatrix(dense: first), options)
    }
  }
}
