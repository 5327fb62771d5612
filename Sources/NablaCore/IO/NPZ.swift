/// NumPy's `.npz`: an uncompressed zip archive of `arr_0.npy`, `arr_1.npy`, … (what
/// `numpy.savez` writes for positional arrays). Plain zip (no ZIP64): at most 65 535 arrays
/// and 4 GiB; ``fits(_:)`` says whether a tuple does.
enum NPZ {
  static func fits(_ tensors: [Tensor]) -> Bool {
    let bytes = tensors.reduce(0) { $0 + $1.count * $1.dtype.byteSize + 256 }
    return tensors.count < 65_535 && bytes < Int(UInt32.max)
  }

  static func write(_ tensors: [Tensor]) -> [UInt8] {
    write(members: tensors.enumerated().map { ("arr_\($0.offset).npy", NPY.write($0.element)) })
  }

  /// A stored (uncompressed) zip archive of `members`, each a file name and its bytes.
  static func write(members: [(name: String, data: [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    for (nameText, data) in members {
      let name = Array(nameText.utf8)
      let crc = crc32(data)
      let offset = out.count
      out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
      out +=
        le32(crc) + le32(UInt32(truncatingIfNeeded: data.count))
        + le32(UInt32(truncatingIfNeeded: data.count))
      out += le16(UInt16(truncatingIfNeeded: name.count)) + le16(0) + name + data
      central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
      central +=
        le32(crc) + le32(UInt32(truncatingIfNeeded: data.count))
        + le32(UInt32(truncatingIfNeeded: data.count))
      central +=
        le16(UInt16(truncatingIfNeeded: name.count)) + le16(0) + le16(0) + le16(0) + le16(0)
        + le32(0)
      central += le32(UInt32(truncatingIfNeeded: offset)) + name
    }
    let centralOffset = out.count
    out += central
    out +=
      le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(truncatingIfNeeded: members.count))
      + le16(UInt16(truncatingIfNeeded: members.count))
    out +=
      le32(UInt32(truncatingIfNeeded: central.count))
      + le32(UInt32(truncatingIfNeeded: centralOffset)) + le16(0)
    return out
  }

  private static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
  private static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

  /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zip requires.
  static func crc32(_ data: [UInt8]) -> UInt32 {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
      var c = UInt32(i)
      for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      table[i] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for b in data { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }
}
