/// How tensor types and literal elements are spelled in MLIR's text form.
enum MLIRText {
  /// `tensor<3x4xf32>`; a 0-d tensor is `tensor<f32>`.
  static func type(_ t: TensorType) -> String {
    type(shape: t.shape, element: t.dtype.rawValue)
  }

  /// `tensor<3x4xi1>` and the like, for an element type named in MLIR (`i1`, `i64`, `f64`).
  static func type(shape: [Int], element: String) -> String {
    "tensor<" + shape.map { "\($0)x" }.joined() + element + ">"
  }

  /// One float element as MLIR parses it back exactly: the shortest decimal that rounds to it
  /// (with a decimal point, which MLIR's float literals need), or the bit pattern in hex for
  /// infinities and NaN.
  static func element(_ x: Double, _ dtype: DType) -> String {
    switch dtype {
    case .f32:
      let f = Float(x)
      guard f.isFinite else { return hex(UInt64(f.bitPattern), digits: 8) }
      return decimal(f.description)
    case .f64:
      guard x.isFinite else { return hex(x.bitPattern, digits: 16) }
      return decimal(x.description)
    }
  }

  /// `1e-05` → `1.0e-05`: Swift's shortest form with the point MLIR requires.
  private static func decimal(_ text: String) -> String {
    guard !text.contains(".") else { return text }
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      return text[..<e] + ".0" + text[e...]
    }
    return text + ".0"
  }

  /// `0x7FF0000000000000`.
  private static func hex(_ bits: UInt64, digits: Int) -> String {
    let text = String(bits, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
  }

  /// The body of a `dense<…>` literal of `shape` from elements already spelled: one element
  /// when all are equal (a splat), else nested brackets, row-major.
  static func dense(_ elements: [String], shape: [Int]) -> String {
    if let first = elements.first, elements.allSatisfy({ $0 == first }) { return first }
    guard !shape.isEmpty, !elements.isEmpty else { return elements.first ?? "" }
    var index = 0
    func nested(_ axis: Int) -> String {
      if axis == shape.count {
        defer { index += 1 }
        return elements[index]
      }
      return "[" + (0..<shape[axis]).map { _ in nested(axis + 1) }.joined(separator: ", ") + "]"
    }
    return nested(0)
  }

  /// `[1, 0]`: a list of integers as the ops' dimension attributes write them.
  static func list(_ values: [Int]) -> String {
    "[" + values.map(String.init).joined(separator: ", ") + "]"
  }

  /// A string attribute's quoted text, with `"` and `\` escaped.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for c in text.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }
}
