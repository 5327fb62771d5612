import NablaCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard streams without Foundation: results to stdout (flushed after each value so a
/// driving script sees them at once), diagnostics to stderr.
enum Terminal {
  static func write(_ stream: Session.Stream, _ text: String) {
    let fd = stream == .values ? STDOUT_FILENO : STDERR_FILENO
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += n
    }
  }

  static func flush() {}

  /// A whole file or standard input (`-`) as text, or `nil` with `errno` set.
  static func readAll(_ path: String) -> String? {
    let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { if path != "-" { close(fd) } }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if n == 0 { break }
      out += chunk[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func lastError() -> String { String(cString: strerror(errno)) }
}
