/// A dtype as the user names it: an ``ElementKind`` and the float dtype that holds it.
public struct ElementType: Sendable, Hashable {
  public var kind: ElementKind
  public var storage: DType

  public init(_ kind: ElementKind, _ storage: DType) {
    self.kind = kind
    self.storage = storage
  }

  public static let int64 = ElementType(.integer, .f64)
  public static let bool = ElementType(.boolean, .f32)

  /// `bool`, `int64`, `float32` or `float64`.
  public var name: String { kind.dtypeName(storage) }

  /// Parses NumPy's and PyTorch's names: `float32` (`f32`, `float`), `float64` (`f64`,
  /// `double`), `int64` (`long`, `int`), `bool`, each also as `torch.…`.
  public init?(name: String) {
    var s = name.lowercased()
    if s.hasPrefix("torch.") { s.removeFirst("torch.".count) }
    switch s {
    case "int64", "i64", "long", "int": self = .int64
    case "bool": self = .bool
    default:
      guard let d = DType(name: s) else { return nil }
      self.init(.float, d)
    }
  }
}
