/// A small JSON parser for tensor data: nabla's own `json` output
/// (`{"dtype":…,"shape":…,"data":…}`, or an array of them for a tuple) and plain nested arrays
/// of numbers. The strings `"nan"`, `"inf"` and `"-inf"` are numbers.
struct JSONReader {
  indirect enum Node {
    case number(Double)
    case string(String)
    case array([Node])
    case object([(String, Node)])
    case bool(Bool)
    case null
  }

  struct SyntaxError: Error {
    var reason: String
  }

  private let bytes: [UInt8]
  private var i = 0
  private var depth = 0

  static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> Node {
    var r = JSONReader(bytes: bytes)
    let node = try r.value()
    r.skipSpace()
    guard r.i == bytes.count else {
      throw SyntaxError(reason: "unexpected text after the JSON value at byte \(r.i)")
    }
    return node
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func skipSpace() {
    while i < bytes.count, [9, 10, 13, 32].contains(bytes[i]) { i += 1 }
  }

  private mutating func value() throws(SyntaxError) -> Node {
    depth += 1
    defer { depth -= 1 }
    guard depth < 256 else { throw SyntaxError(reason: "nested too deeply") }
    skipSpace()
    guard i < bytes.count else { throw SyntaxError(reason: "unexpected end of input") }
    switch bytes[i] {
    case UInt8(ascii: "["):
      i += 1
      var items: [Node] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      }
      while true {
        items.append(try value())
        skipSpace()
        guard i < bytes.count else { throw SyntaxError(reason: "unterminated array") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard bytes[i] == UInt8(ascii: "]") else {
          throw SyntaxError(reason: "expected ',' or ']' at byte \(i)")
        }
        i += 1
        return .array(items)
      }
    case UInt8(ascii: "{"):
      i += 1
      var fields: [(String, Node)] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(fields)
      }
      while true {
        skipSpace()
        guard case .string(let key) = try value() else {
          throw SyntaxError(reason: "object keys must be strings")
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
          throw SyntaxError(reason: "expected ':' at byte \(i)")
        }
        i += 1
        fields.append((key, try value()))
        skipSpace()
        guard i < bytes.count else { throw SyntaxError(reason: "unterminated object") }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard bytes[i] == UInt8(ascii: "}") else {
          throw SyntaxError(reason: "expected ',' or '}' at byte \(i)")
        }
        i += 1
        return .object(fields)
      }
    case UInt8(ascii: "\""):
      i += 1
      var out: [UInt8] = []
      while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
        if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
          i += 1
          switch bytes[i] {
          case UInt8(ascii: "n"): out.append(10)
          case UInt8(ascii: "t"): out.append(9)
          case UInt8(ascii: "u"): i += 4
          default: out.append(bytes[i])
          }
        } else {
          out.append(bytes[i])
        }
        i += 1
      }
      guard i < bytes.count else { throw SyntaxError(reason: "unterminated string") }
      i += 1
      return .string(String(decoding: out, as: UTF8.self))
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      for (word, node) in [("true", Node.bool(true)), ("false", .bool(false)), ("null", .null)]
      where bytes[i...].starts(with: word.utf8) {
        i += word.utf8.count
        return node
      }
      throw SyntaxError(reason: "unexpected text at byte \(i)")
    default:
      let start = i
      while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
      guard let x = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
        throw SyntaxError(reason: "malformed number at byte \(start)")
      }
      return .number(x)
    }
  }
}
