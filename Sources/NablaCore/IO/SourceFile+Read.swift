extension SourceFile {
  /// A script read from a file, or from standard input for `-` (named `<stdin>`).
  public static func read(_ path: String) throws(Diagnostic) -> SourceFile {
    do {
      let bytes = try readBytes(path)
      return SourceFile(
        name: path == "-" ? "<stdin>" : path, text: String(decoding: bytes, as: UTF8.self))
    } catch {
      throw Diagnostic(.fileError(path == "-" ? "<stdin>" : path, error.reason), at: nil)
    }
  }
}
