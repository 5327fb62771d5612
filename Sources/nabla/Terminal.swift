import NablaCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard streams without Foundation: results to stdout (written unbuffered, so a driving
/// script sees each value at once), diagnostics to stderr.
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

  /// The width of the terminal standard output writes to, or `nil` when it is not a terminal.
  static func columns() -> Int? {
    guard isatty(STDOUT_FILENO) != 0 else { return nil }
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }
}
