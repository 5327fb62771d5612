/// A named piece of source text: a command-line program, a script, standard input or a REPL line.
///
/// Offsets are UTF-8 byte offsets; ``location(of:)`` turns one into a 1-based line and column
/// (columns count characters, so a marker lines up under multi-byte text).
public final class SourceFile: Sendable {
  /// The name diagnostics print: `<program>`, `<stdin>`, `<repl>` or a path.
  public let name: String
  public let text: String
  /// The UTF-8 bytes of `text`.
  public let bytes: [UInt8]
  /// The byte offset where each line starts.
  let lineStarts: [Int]

  public init(name: String, text: String) {
    self.name = name
    self.text = text
    let bytes = Array(text.utf8)
    self.bytes = bytes
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(offset + 1)
    }
    self.lineStarts = starts
  }

  /// The 1-based line and column of a byte offset.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    let clamped = min(max(offset, 0), bytes.count)
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
    }
    let start = lineStarts[low]
    let column = String(decoding: bytes[start..<clamped], as: UTF8.self).count + 1
    return (low + 1, column)
  }

  /// The text of a 1-based line, without its newline.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The source text covered by a range.
  public func text(of range: SourceRange) -> String {
    let start = min(max(range.start, 0), bytes.count)
    let end = min(max(range.end, start), bytes.count)
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}
