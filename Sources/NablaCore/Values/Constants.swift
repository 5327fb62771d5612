/// The names every session starts with: `pi`, `e`, `inf`, `nan`, `true`, `None` (the dtype
/// names `float32`, `int64`, … are the built-in conversions).
/// A user binding of the same name shadows them.
enum Constants {
  enum Entry {
    /// A real number, a weakly typed scalar tensor of the default dtype.
    case real(Double)
    case value(Value)
  }

  static let names = [
    "pi", "e", "inf", "nan", "true", "True", "false", "False", "None",
  ]

  static func value(of name: String) -> Entry? {
    switch name {
    case "pi": .real(Double.pi)
    case "e": .real(2.718281828459045)
    case "inf": .real(Double.infinity)
    case "nan": .real(Double.nan)
    case "true", "True": .value(.bool(true))
    case "false", "False": .value(.bool(false))
    case "None": .value(.none)
    default: nil
    }
  }
}
