/// What a tensor's elements are to the user: truth values (`bool`), integers (`int64`) or
/// real numbers (`float32`, `float64`), PyTorch's three categories, lowest first.
///
/// nabla computes in float32 and float64 only. Integers are held in float64, where every
/// integer up to 2⁵³ in magnitude is exact; truth values are 0 and 1 in any float dtype. The
/// kind decides how a tensor prints and saves, how it promotes in arithmetic, and which
/// operations keep it (`arange(5) + 1` stays integer, `arange(5) / 2` is float).
public enum ElementKind: Int, Sendable, Hashable, Comparable, CaseIterable {
  case boolean
  case integer
  case float

  public static func < (a: ElementKind, b: ElementKind) -> Bool { a.rawValue < b.rawValue }

  /// The dtype's name as NumPy and PyTorch spell it: `bool`, `int64`, `float32`, `float64`.
  public func dtypeName(_ storage: DType) -> String {
    switch self {
    case .boolean: "bool"
    case .integer: "int64"
    case .float: storage.longName
    }
  }

  /// The largest magnitude below which every integer is exact in float64: 2⁵³.
  public static let exactIntegerLimit = 9_007_199_254_740_992.0
}
