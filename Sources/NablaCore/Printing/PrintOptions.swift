/// How tensors print, as PyTorch's `torch.set_printoptions` sets it: digits after the point,
/// characters per line, the element count above which a tensor is summarised with `...`, the
/// elements kept at each end of a summarised axis, and scientific notation forced on or off
/// (`nil`: chosen from the values, as by default).
public struct PrintOptions: Sendable, Equatable {
  public var precision = 4
  public var lineWidth = 80
  public var threshold = 1000
  public var edgeItems = 3
  public var sciMode: Bool?

  public init() {}

  /// The statement that sets these options from the defaults (for `:save`).
  public var statement: String {
    var arguments: [String] = []
    let defaults = PrintOptions()
    if precision != defaults.precision { arguments.append("precision=\(precision)") }
    if lineWidth != defaults.lineWidth { arguments.append("linewidth=\(lineWidth)") }
    if threshold != defaults.threshold { arguments.append("threshold=\(threshold)") }
    if edgeItems != defaults.edgeItems { arguments.append("edgeitems=\(edgeItems)") }
    if let sciMode { arguments.append("sci_mode=\(sciMode ? "True" : "False")") }
    return "printoptions(" + arguments.joined(separator: ", ") + ")"
  }
}
