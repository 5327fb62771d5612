import CKernels

/// printf-style formatting of one Double through the C library, which rounds exactly as
/// Python's `format` does (correctly rounded, halves to even on the binary value).
enum CFormat {
  static func format(_ spec: String, _ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    let n = buffer.withUnsafeMutableBufferPointer {
      nabla_format_double($0.baseAddress, 512, spec, value)
    }
    guard n >= 0 else { return String(value) }
    return String(
      decoding: buffer.prefix(Int(min(n, 511))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
