/// NumPy's `.npy` format: a magic string, a version, a Python-dict header
/// (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`) padded to 64 bytes, then
/// the raw elements in C order.
enum NPY {
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  struct FormatError: Error {
    var reason: String
  }

  static func isNPY(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

  /// Reads float32 or float64 data of either byte order; integers (`i1` to `i8`, `u1` to
  /// `u8`, either byte order) as an int64 tensor, held in float64, and booleans (`b1`) as a
  /// bool tensor of 0 and 1 in `defaultDType`. An integer beyond 2⁵³ in magnitude, where
  /// float64 stops holding every integer, is refused.
  static func read(_ bytes: [UInt8], defaultDType: DType = .f32) throws(FormatError) -> Tensor {
    let (descr, shape, dataStart) = try header(bytes)
    let bigEndian: Bool
    let dtype: DType
    switch descr {
    case "<f4", "|f4", "=f4": (bigEndian, dtype) = (false, .f32)
    case ">f4": (bigEndian, dtype) = (true, .f32)
    case "<f8", "|f8", "=f8": (bigEndian, dtype) = (false, .f64)
    case ">f8": (bigEndian, dtype) = (true, .f64)
    default:
      if let type = ElementType(descr), type.isInteger || type.isBoolean {
        return try readExact(bytes, type, shape, dataStart, defaultDType: defaultDType)
      }
      throw FormatError(
        reason:
          "element type '\(descr)' is not supported; nabla reads float32, float64, integers and bool"
      )
    }
    guard let count = Shape.elementCount(shape) else {
      throw FormatError(reason: "shape is too large")
    }
    let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
    guard !overflow, bytes.count - dataStart >= needed else {
      throw FormatError(reason: "data is shorter than the shape \(shape) needs")
    }
    func word(_ i: Int, _ size: Int) -> UInt64 {
      var w: UInt64 = 0
      for b in 0..<size {
        let byte = UInt64(bytes[dataStart + i * size + (bigEndian ? size - 1 - b : b)])
        w |= byte << (8 * UInt64(b))
      }
      return w
    }
    switch dtype {
    case .f32:
      return Tensor(
        shape: shape, floats: (0..<count).map { Float(bitPattern: UInt32(word($0, 4))) })
    case .f64:
      return Tensor(shape: shape, doubles: (0..<count).map { Double(bitPattern: word($0, 8)) })
    }
  }

  /// The element type (quotes removed), the shape and where the data start.
  static func header(_ bytes: [UInt8]) throws(FormatError) -> (String, [Int], Int) {
    guard bytes.count >= 10, isNPY(bytes) else { throw FormatError(reason: "not a .npy file") }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw FormatError(reason: "truncated header") }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw FormatError(reason: "unsupported .npy version \(major)")
    }
    guard headerStart + headerLength <= bytes.count else {
      throw FormatError(reason: "truncated header")
    }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
    guard let descr = field("descr", in: header), let shapeText = field("shape", in: header) else {
      throw FormatError(reason: "header has no 'descr' or 'shape'")
    }
    if let fortran = field("fortran_order", in: header), fortran.hasPrefix("True") {
      throw FormatError(reason: "Fortran-order arrays are not supported; save with C order")
    }
    var shape: [Int] = []
    for part in shapeText.filter({ $0 != "(" && $0 != ")" && $0 != " " }).split(separator: ",") {
      guard let n = Int(part), n >= 0 else {
        throw FormatError(reason: "malformed shape '\(shapeText)'")
      }
      shape.append(n)
    }
    return (descr.filter { $0 != "'" && $0 != "\"" }, shape, headerStart + headerLength)
  }

  /// The text after `'key':` up to the next top-level comma or brace.
  private static func field(_ key: String, in header: String) -> String? {
    let chars = Array(header)
    let pattern = Array("'\(key)':")
    guard
      let start = (0...(max(0, chars.count - pattern.count))).first(where: { i in
        i + pattern.count <= chars.count && Array(chars[i..<(i + pattern.count)]) == pattern
      })
    else { return nil }
    var i = start + pattern.count
    var depth = 0
    var out = ""
    while i < chars.count {
      let c = chars[i]
      if c == "(" { depth += 1 }
      if c == ")" { depth -= 1 }
      if depth == 0 && (c == "," || c == "}") { break }
      out.append(c)
      i += 1
    }
    return out.trimmingSpaces()
  }

  /// Writes a version 1.0 little-endian file: an int64 tensor as `<i8`, a bool tensor as
  /// `|b1`, floats in their dtype (`<f4`, `<f8`). ``inexactInteger(_:)`` says beforehand
  /// whether an int64 tensor holds an element `<i8` cannot (which is then written as 0).
  static func write(_ t: Tensor) -> [UInt8] {
    switch t.kind {
    case .integer:
      return write(integers: t.doubles.map { Int(exactly: $0) ?? 0 }, shape: t.shape)
    case .boolean:
      return header(descr: "|b1", shape: t.shape) + t.doubles.map { $0 != 0 ? UInt8(1) : 0 }
    case .float: break
    }
    var out = header(descr: t.dtype == .f32 ? "<f4" : "<f8", shape: t.shape)
    out.reserveCapacity(out.count + t.count * t.dtype.byteSize)
    switch t.storage {
    case .f32(let a):
      for x in a { withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 } }
    case .f64(let a):
      for x in a { withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 } }
    }
    return out
  }

  /// The first element of an int64 tensor that is not a whole number int64 can hold, as
  /// "element 3 is 1e+30", or `nil` when every element is one (or the tensor is not int64).
  static func inexactInteger(_ t: Tensor) -> String? {
    guard t.kind == .integer,
      let i = t.firstElement(where: { Int64(exactly: $0) == nil })
    else { return nil }
    return "element \(i) is \(t[flat: i]), which int64 cannot hold"
  }

  /// The magic string, version 1.0 and the header of an array of `descr` and `shape`, padded
  /// so the data start at a multiple of 64 bytes.
  static func header(descr: String, shape: [Int]) -> [UInt8] {
    let shapeText =
      shape.count == 1
      ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    let unpadded = magic.count + 4 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    return magic + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
      + Array(header.utf8)
  }
}
