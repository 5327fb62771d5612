#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file-system failure, with the C library's reason.
struct FileError: Error {
  var reason: String
}

/// `path` with a leading `~/` (or `~` alone) as the home directory, as a shell reads it (the
/// REPL completes file names from there too).
func expandingHome(_ path: String) -> String {
  guard path == "~" || path.hasPrefix("~/"), let home = environmentVariable("HOME") else {
    return path
  }
  return home + path.dropFirst()
}

/// Reads a whole file (or standard input for `-`) into bytes.
func readBytes(_ path: String, limit: Int = .max) throws(FileError) -> [UInt8] {
  let fd = path == "-" ? STDIN_FILENO : open(expandingHome(path), O_RDONLY)
  guard fd >= 0 else { throw FileError(reason: String(cString: strerror(errno))) }
  defer { if path != "-" { close(fd) } }
  var st = stat()
  if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
    throw FileError(reason: "it is a directory")
  }
  var out: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      throw FileError(reason: String(cString: strerror(errno)))
    }
    if n == 0 { break }
    out += chunk[0..<n]
    guard out.count <= limit else { throw FileError(reason: "it is larger than the memory limit") }
  }
  return out
}

func readText(_ path: String) throws(FileError) -> String {
  String(decoding: try readBytes(path), as: UTF8.self)
}

/// Writes bytes to a file, replacing it.
func writeBytes(_ bytes: [UInt8], to path: String) throws(FileError) {
  let fd = open(expandingHome(path), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  guard fd >= 0 else { throw FileError(reason: String(cString: strerror(errno))) }
  defer { close(fd) }
  var offset = 0
  while offset < bytes.count {
    let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    if n < 0 {
      if errno == EINTR { continue }
      throw FileError(reason: String(cString: strerror(errno)))
    }
    offset += n
  }
}

/// The names in a directory (empty when it cannot be read).
func listDirectory(_ path: String) -> [String] {
  guard let dir = opendir(path) else { return [] }
  defer { closedir(dir) }
  var names: [String] = []
  while let entry = readdir(dir) {
    let name = withUnsafePointer(to: entry.pointee.d_name) {
      $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
    }
    if name != "." && name != ".." { names.append(name) }
  }
  return names
}

/// Whether `path` names a directory (following symbolic links).
func isDirectory(_ path: String) -> Bool {
  var info = stat()
  return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// The value of an environment variable, when it is set and not empty.
func environmentVariable(_ name: String) -> String? {
  guard let value = getenv(name) else { return nil }
  let text = String(cString: value)
  return text.isEmpty ? nil : text
}
