/// One array of a `.npy` file as stored, for the element types SciPy's sparse archives use
/// besides floats: integers (`|i1` to `<i8`, `|u1` to `<u8`, either byte order), booleans
/// (`|b1`, read as 0 and 1) and byte strings (`|S3`, SciPy's `format` member, `b'coo'`).
struct NPYArray {
  enum Elements {
    case float(Tensor)
    case integers([Int])
    case strings([[UInt8]])
  }

  var shape: [Int]
  var elements: Elements

  /// The element count of `shape`.
  var count: Int { Shape.elementCount(shape) ?? 0 }

  /// The elements as integers (floats only when every one is a whole number), or `nil`.
  var integers: [Int]? {
    switch elements {
    case .integers(let xs): return xs
    case .float(let t):
      var out: [Int] = []
      out.reserveCapacity(t.count)
      for x in t.doubles {
        guard x.rounded() == x, let n = Int(exactly: x) else { return nil }
        out.append(n)
      }
      return out
    case .strings: return nil
    }
  }

  /// A 0-d or one-element byte string as text (`"coo"`), or `nil`.
  var text: String? {
    guard case .strings(let items) = elements, items.count == 1 else { return nil }
    return String(decoding: items[0], as: UTF8.self)
  }
}

extension NPY {
  /// The parts of an element type such as `<i8`: byte order, kind letter, size in bytes.
  struct ElementType {
    var bigEndian: Bool
    var kind: Character
    var size: Int

    init?(_ descr: String) {
      let chars = Array(descr)
      guard chars.count >= 3, "<>|=".contains(chars[0]), let size = Int(String(chars[2...])),
        size > 0
      else { return nil }
      (bigEndian, kind, self.size) = (chars[0] == ">", chars[1], size)
    }

    /// A signed or unsigned integer of 1, 2, 4 or 8 bytes.
    var isInteger: Bool { (kind == "i" || kind == "u") && [1, 2, 4, 8].contains(size) }
    /// NumPy's bool, one byte.
    var isBoolean: Bool { kind == "b" && size == 1 }
  }

  /// An integer (int64, held in float64) or bool (0 and 1 in `defaultDType`) tensor from an
  /// array of an integer or bool element type; an integer beyond 2⁵³ in magnitude is refused,
  /// naming the element and its value.
  static func readExact(
    _ bytes: [UInt8], _ type: ElementType, _ shape: [Int], _ dataStart: Int,
    defaultDType: DType
  ) throws(FormatError) -> Tensor {
    let count = try dataCount(shape, type.size, bytes.count - dataStart)
    var values: [Double] = []
    values.reserveCapacity(count)
    for i in 0..<count {
      let w = word(bytes, dataStart + i * type.size, type)
      if type.isBoolean {
        values.append(w != 0 ? 1 : 0)
        continue
      }
      let magnitude = type.kind == "i" ? Int64(bitPattern: w).magnitude : w
      guard magnitude <= 1 << 53 else {
        let value = type.kind == "i" ? String(Int64(bitPattern: w)) : String(w)
        throw FormatError(
          reason:
            "element \(i) is \(value), beyond 2^53 in magnitude: nabla holds integers in float64, where they are exact only up to 2^53"
        )
      }
      values.append(type.kind == "i" ? Double(Int64(bitPattern: w)) : Double(w))
    }
    var t =
      type.isBoolean
      ? Tensor(shape: shape, values: values, dtype: defaultDType)
      : Tensor(shape: shape, doubles: values)
    t.kind = type.isBoolean ? .boolean : .integer
    return t
  }

  /// The element at byte `offset` of an integer or bool type, sign-extended to 64 bits for a
  /// signed type.
  private static func word(_ bytes: [UInt8], _ offset: Int, _ type: ElementType) -> UInt64 {
    var w: UInt64 = 0
    for b in 0..<type.size {
      let byte = UInt64(bytes[offset + (type.bigEndian ? type.size - 1 - b : b)])
      w |= byte << (8 * UInt64(b))
    }
    guard type.kind == "i" else { return w }
    let shift = UInt64(64 - 8 * type.size)
    return UInt64(bitPattern: Int64(bitPattern: w << shift) >> Int64(shift))
  }

  /// Reads any array of a float, integer, boolean or byte-string element type.
  static func readArray(_ bytes: [UInt8]) throws(FormatError) -> NPYArray {
    let (descr, shape, dataStart) = try header(bytes)
    guard let type = ElementType(descr) else {
      throw FormatError(reason: "element type '\(descr)' is not supported")
    }
    switch (type.kind, type.size) {
    case ("f", 4), ("f", 8):
      return NPYArray(shape: shape, elements: .float(try read(bytes)))
    case ("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2), ("u", 4), ("u", 8),
      ("b", 1):
      let count = try dataCount(shape, type.size, bytes.count - dataStart)
      var out: [Int] = []
      out.reserveCapacity(count)
      for i in 0..<count {
        let w = word(bytes, dataStart + i * type.size, type)
        if type.kind == "i" {
          out.append(Int(Int64(bitPattern: w)))
        } else {
          guard let n = Int(exactly: w) else {
            throw FormatError(reason: "element \(i) is \(w), larger than nabla's integers")
          }
          out.append(n)
        }
      }
      return NPYArray(shape: shape, elements: .integers(out))
    case ("S", _):
      let count = try dataCount(shape, type.size, bytes.count - dataStart)
      let items = (0..<count).map { i in
        var item = Array(bytes[(dataStart + i * type.size)..<(dataStart + (i + 1) * type.size)])
        while item.last == 0 { item.removeLast() }
        return item
      }
      return NPYArray(shape: shape, elements: .strings(items))
    default:
      throw FormatError(reason: "element type '\(descr)' is not supported")
    }
  }

  /// The element count of `shape`, checked against the `available` bytes.
  private static func dataCount(_ shape: [Int], _ size: Int, _ available: Int) throws(FormatError)
    -> Int
  {
    guard let count = Shape.elementCount(shape) else {
      throw FormatError(reason: "shape is too large")
    }
    let (needed, overflow) = count.multipliedReportingOverflow(by: size)
    guard !overflow, available >= needed else {
      throw FormatError(reason: "data is shorter than the shape \(shape) needs")
    }
    return count
  }

  /// A little-endian `<i8` array of `values`.
  static func write(integers values: [Int], shape: [Int]) -> [UInt8] {
    var out = header(descr: "<i8", shape: shape)
    out.reserveCapacity(out.count + 8 * values.count)
    for x in values { withUnsafeBytes(of: Int64(x).littleEndian) { out += $0 } }
    return out
  }

  /// A 0-d byte string (`numpy.array(b'coo')`, element type `|S3`).
  static func write(byteString text: String) -> [UInt8] {
    let bytes = Array(text.utf8)
    return header(descr: "|S\(max(1, bytes.count))", shape: []) + (bytes.isEmpty ? [0] : bytes)
  }
}
