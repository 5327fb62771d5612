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
}
