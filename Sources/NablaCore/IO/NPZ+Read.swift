extension NPZ {
  /// Whether `bytes` start like a zip archive (a local file header).
  static func isNPZ(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

  /// The arrays of an `.npz` written by ``write(_:)`` or `numpy.savez` (stored, not
  /// compressed), in the order of the archive's central directory. Sizes and offsets come
  /// from the central directory, ZIP64's extra field where it holds them (NumPy writes
  /// its members as ZIP64 with data descriptors).
  /// Integer and bool members load as ``NPY/read(_:defaultDType:)`` loads them.
  static func read(_ b: [UInt8], defaultDType: DType = .f32) throws(NPY.FormatError) -> [Tensor] {
    var tensors: [Tensor] = []
    for member in try members(b) {
      guard !member.isCompressed else {
        throw NPY.FormatError(
          reason: "its arrays are compressed (numpy.savez_compressed); save them with numpy.savez"
        )
      }
      tensors.append(try NPY.read(member.data, defaultDType: defaultDType))
    }
    guard !tensors.isEmpty else { throw NPY.FormatError(reason: "no arrays in the archive") }
    return tensors
  }

  /// One file of a zip archive: its name, whether it is compressed, and its stored bytes.
  struct Member {
    var name: String
    var isCompressed: Bool
    var data: [UInt8]
  }

  /// The files of a zip archive, in the order of its central directory.
  static func members(_ b: [UInt8]) throws(NPY.FormatError) -> [Member] {
    let cut = NPY.FormatError(reason: "the archive is cut short or not a zip file")
    // the end-of-central-directory record: its signature, searched from the end
    guard b.count >= 22,
      let end = stride(from: b.count - 22, through: max(0, b.count - 22 - 65_535), by: -1)
        .first(where: { le32(b, $0) == 0x0605_4B50 })
    else { throw cut }
    let count = Int(le16(b, end + 10))
    var at = Int(le32(b, end + 16))
    var members: [Member] = []
    for _ in 0..<count {
      guard at >= 0, at + 46 <= b.count, le32(b, at) == 0x0201_4B50 else { throw cut }
      let method = le16(b, at + 10)
      var sizes = (UInt64(le32(b, at + 24)), UInt64(le32(b, at + 20)))
      var offset = UInt64(le32(b, at + 42))
      let (nameLength, extraLength) = (Int(le16(b, at + 28)), Int(le16(b, at + 30)))
      let commentLength = Int(le16(b, at + 32))
      let extra = at + 46 + nameLength
      guard extra + extraLength <= b.count else { throw cut }
      if sizes.0 == 0xFFFF_FFFF || sizes.1 == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
        (sizes, offset) = try zip64(b, extra..<(extra + extraLength), sizes, offset)
      }
      let size = sizes.1  // the bytes stored
      guard offset <= UInt64(b.count) else { throw cut }
      let local = Int(offset)
      guard local + 30 <= b.count, le32(b, local) == 0x0403_4B50 else { throw cut }
      let start = local + 30 + Int(le16(b, local + 26)) + Int(le16(b, local + 28))
      guard start <= b.count, size <= UInt64(b.count - start) else { throw cut }
      let name = String(decoding: b[(at + 46)..<extra], as: UTF8.self)
      members.append(
        Member(name: name, isCompressed: method != 0, data: Array(b[start..<(start + Int(size))])))
      at = extra + extraLength + commentLength
    }
    return members
  }

  /// The (uncompressed, compressed) sizes and local header offset from a ZIP64 extra field
  /// (id 1), which holds, in that order, those that the fixed fields mark with `0xFFFFFFFF`.
  private static func zip64(
    _ b: [UInt8], _ extra: Range<Int>, _ sizes: (UInt64, UInt64), _ offset: UInt64
  ) throws(NPY.FormatError) -> ((UInt64, UInt64), UInt64) {
    var i = extra.lowerBound
    while i + 4 <= extra.upperBound {
      let (id, length) = (le16(b, i), Int(le16(b, i + 2)))
      guard i + 4 + length <= extra.upperBound else { break }
      if id == 1 {
        var field = i + 4
        func next() -> UInt64? {
          guard field + 8 <= i + 4 + length else { return nil }
          defer { field += 8 }
          return UInt64(le32(b, field)) | UInt64(le32(b, field + 4)) << 32
        }
        var (s, o) = (sizes, offset)
        if s.0 == 0xFFFF_FFFF { s.0 = next() ?? s.0 }
        if s.1 == 0xFFFF_FFFF { s.1 = next() ?? s.1 }
        if o == 0xFFFF_FFFF { o = next() ?? o }
        return (s, o)
      }
      i += 4 + length
    }
    throw NPY.FormatError(reason: "a ZIP64 member without its sizes")
  }

  private static func le16(_ b: [UInt8], _ i: Int) -> UInt16 {
    UInt16(b[i]) | UInt16(b[i + 1]) << 8
  }

  private static func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) }
  }
}
