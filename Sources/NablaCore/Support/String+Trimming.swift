extension String {
  /// The string without leading and trailing spaces, tabs and newlines.
  func trimmingSpaces() -> String {
    let chars = Array(self)
    guard let first = chars.firstIndex(where: { !$0.isWhitespace }),
      let last = chars.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(chars[first...last])
  }
}

extension String {
  /// The string without trailing spaces (the blank end of a line of a picture).
  func trimmingTrailingSpaces() -> String {
    var s = Substring(self)
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
