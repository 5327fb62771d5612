/// Splits source text into tokens.
///
/// Newlines end statements except inside open brackets, where they continue it. `'` directly
/// after a name, number, `)`, `]` or another `'` is the transpose operator; anywhere else it
/// opens a single-quoted string (as Julia decides between adjoint and character literal).
public struct Lexer {
  /// Longer inputs are refused before lexing.
  public static let maxBytes = 4 << 20

  private static let symbols = [
    "...", "**", ".*", "./", ".^", "==", "!=", "<=", ">=", "->", "//",
    "+", "-", "*", "/", "%", "@", "^", "<", ">", "=", "'", "(", ")", "[", "]", ",", ":", ".", "!",
  ]

  public static func tokenize(_ file: SourceFile) throws(Diagnostic) -> [Token] {
    let b = file.bytes
    guard b.count <= maxBytes else {
      throw Diagnostic(
        .programTooLarge(limit: maxBytes), at: SourceRange(file: file, start: 0, end: 0))
    }
    var tokens: [Token] = []
    var depth = 0
    var i = 0
    func range(_ s: Int, _ e: Int) -> SourceRange { SourceRange(file: file, start: s, end: e) }
    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    func isIdentStart(_ c: UInt8) -> Bool {
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 0x80
    }
    func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }

    while i < b.count {
      let c = b[i]
      if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
        i += 1
        continue
      }
      if c == UInt8(ascii: "#") {
        while i < b.count, b[i] != UInt8(ascii: "\n") { i += 1 }
        continue
      }
      if c == UInt8(ascii: "\\"), at(i + 1) == UInt8(ascii: "\n") {  // explicit line continuation
        i += 2
        continue
      }
      if c == UInt8(ascii: "\n") || c == UInt8(ascii: ";") {
        // a newline after a binary operator, '=' or '->' continues the statement (as in Julia)
        let continues: Bool
        switch tokens.last?.kind {
        case .symbol(let s)?, .identifier(let s)?:
          continues = c == UInt8(ascii: "\n") && LineCompleteness.operators.contains(s)
        default:
          continues = false
        }
        if (depth == 0 && !continues) || c == UInt8(ascii: ";") {
          tokens.append(Token(kind: .separator, range: range(i, i + 1)))
        }
        i += 1
        continue
      }
      let start = i
      if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(at(i + 1))) {
        while isDigit(at(i)) { i += 1 }
        if at(i) == UInt8(ascii: "."),
          ![UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "^")].contains(at(i + 1)),
          !isIdentStart(at(i + 1))
        {
          i += 1
          while isDigit(at(i)) { i += 1 }
        }
        if at(i) == UInt8(ascii: "e") || at(i) == UInt8(ascii: "E") {
          var j = i + 1
          if at(j) == UInt8(ascii: "+") || at(j) == UInt8(ascii: "-") { j += 1 }
          if isDigit(at(j)) {
            i = j
            while isDigit(at(i)) { i += 1 }
          }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        tokens.append(Token(kind: .number(text), range: range(start, i)))
        continue
      }
      if isIdentStart(c) {
        while i < b.count, isIdentStart(b[i]) || isDigit(b[i]) { i += 1 }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        tokens.append(Token(kind: .identifier(text), range: range(start, i)))
        continue
      }
      let isTranspose: Bool = {
        guard c == UInt8(ascii: "'"), let last = tokens.last, last.range.end == start else {
          return false
        }
        switch last.kind {
        case .identifier, .number: return true
        case .symbol(let s): return s == ")" || s == "]" || s == "'"
        default: return false
        }
      }()
      if c == UInt8(ascii: "\"") || (c == UInt8(ascii: "'") && !isTranspose) {
        i += 1
        var bytes: [UInt8] = []
        while i < b.count, b[i] != c, b[i] != UInt8(ascii: "\n") {
          if b[i] == UInt8(ascii: "\\"), i + 1 < b.count {
            let e = b[i + 1]
            switch e {
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "t"): bytes.append(9)
            default: bytes.append(e)
            }
            i += 2
            continue
          }
          bytes.append(b[i])
          i += 1
        }
        guard i < b.count, b[i] == c else {
          throw Diagnostic(.unterminatedString(), at: range(start, i))
        }
        i += 1
        tokens.append(
          Token(kind: .string(String(decoding: bytes, as: UTF8.self)), range: range(start, i)))
        continue
      }
      guard
        let symbol = symbols.first(where: { s in
          let u = Array(s.utf8)
          return (0..<u.count).allSatisfy { at(i + $0) == u[$0] }
        })
      else {
        let scalarEnd = min(b.count, i + 1)
        var end = scalarEnd
        while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
        throw Diagnostic(
          .unexpectedCharacter(String(decoding: b[i..<end], as: UTF8.self)), at: range(i, end))
      }
      i += symbol.utf8.count
      if ["(", "["].contains(symbol) { depth += 1 }
      if [")", "]"].contains(symbol) { depth = max(0, depth - 1) }
      tokens.append(Token(kind: .symbol(symbol), range: range(start, i)))
    }
    tokens.append(Token(kind: .end, range: range(b.count, b.count)))
    return tokens
  }
}
