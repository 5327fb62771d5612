/// Turns values into text in each output format (`pretty`, `json`, `plain`).
public enum ValueFormatter {
  /// The text of a value, or `nil` for a call that returned nothing (`seed`, `save`).
  public static func format(
    _ v: Value, _ format: OutputFormat, defaultDType: DType = .f32,
    printOptions: PrintOptions = PrintOptions(), picture: PictureOptions = PictureOptions()
  ) -> String? {
    if case .none = v { return nil }
    switch format {
    case .pretty:
      if case .figure(let f) = v { return FigureText.render(f, picture) }
      if case .sparse(let s) = v { return SparseMatrixText.pretty(s) }
      return pretty(v, defaultDType, printOptions)
    case .json: return json(v)
    case .plain: return plain(v)
    }
  }

  /// Python-like text: tensors as PyTorch prints them, tuples as `(a, b)`.
  static func pretty(_ v: Value, _ defaultDType: DType, _ options: PrintOptions) -> String {
    switch v {
    case .tensor(let t):
      return TorchFormatter.string(t, defaultDType: defaultDType, options: options)
    case .tuple(let items):
      let parts = items.map { pretty($0, defaultDType, options) }
      return "(" + parts.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    default: return shortText(v)
    }
  }

  /// A one-line rendering of a non-tensor value (also used for defaults in signatures).
  public static func shortText(_ v: Value) -> String {
    switch v {
    case .tensor(let t):
      guard t.count == 1 else { return "\(t.type)" }
      return t.kind == .float
        ? numberText(t[flat: 0], t.dtype) : TorchFormatter.exactText(t[flat: 0], t.kind)
    case .traced(let t): return "\(t.type)"
    case .int(let n): return String(n)
    case .bool(let b): return b ? "True" : "False"
    case .none: return "None"
    case .string(let s): return s
    case .tuple(let items):
      return "(" + items.map(shortText).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .function(let f): return f.description
    case .figure(let f): return "<\(f.summary)>"
    case .sparse(let s): return "<\(s.summary)>"
    }
  }

  /// The shortest text that reads back to the same float of `dtype`.
  static func numberText(_ x: Double, _ dtype: DType) -> String {
    dtype == .f32 ? Float(x).description : x.description
  }

  // MARK: - JSON

  /// One JSON document on one line: `{"dtype":"float32","shape":[2],"data":[1.0,2.0]}`;
  /// an int64 tensor's data are integers (`[1,2]`), a bool tensor's `true` and `false`.
  public static func json(_ v: Value) -> String {
    switch v {
    case .tensor(let t):
      let data = t.nestedText(separator: ",") { x in
        switch t.kind {
        case .boolean: x != 0 ? "true" : "false"
        case .integer: x.isFinite ? TorchFormatter.exactText(x, .integer) : jsonNumber(x, t.dtype)
        case .float: jsonNumber(x, t.dtype)
        }
      }
      return
        "{\"dtype\":\"\(t.kind.dtypeName(t.dtype))\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data\":\(data)}"
    case .tuple(let items): return "[" + items.map(json).joined(separator: ",") + "]"
    case .int(let n): return String(n)
    case .bool(let b): return b ? "true" : "false"
    case .none: return "null"
    case .string(let s): return jsonString(s)
    case .function(let f): return "{\"function\":\(jsonString(f.description))}"
    case .figure(let f): return FigureData.json(f)
    case .sparse(let s): return SparseMatrixText.json(s)
    case .traced(let t): return jsonString("\(t.type)")
    }
  }

  static func jsonNumber(_ x: Double, _ dtype: DType) -> String {
    if x.isNaN { return "\"nan\"" }
    if x.isInfinite { return x > 0 ? "\"inf\"" : "\"-inf\"" }
    return numberText(x, dtype)
  }

  static func jsonString(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if c.value < 0x20 {
          let hex = String(c.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(c)
        }
      }
    }
    return out + "\""
  }

  // MARK: - Plain

  /// Numbers only: one row of the last axis per line, a blank line between matrices. An
  /// int64 tensor's elements print as integers (`3`), a bool tensor's as `1` and `0`, what
  /// `numpy.savetxt(path, x, fmt="%d")` writes and `numpy.loadtxt` (and `load`) reads back.
  public static func plain(_ v: Value, separator: String = " ") -> String {
    switch v {
    case .tensor(let t):
      let values = t.doubles.map { x in
        switch t.kind {
        case .boolean: x != 0 ? "1" : "0"
        case .integer: TorchFormatter.exactText(x, .integer)
        case .float: numberText(x, t.dtype)
        }
      }
      guard let last = t.shape.last else { return values.first ?? "" }
      guard last > 0 else { return "" }
      let rowsPerMatrix = t.rank >= 2 ? t.shape[t.rank - 2] : 1
      var lines: [String] = []
      var row = 0
      var i = 0
      while i < values.count {
        if row > 0 && row % rowsPerMatrix == 0 && t.rank >= 3 { lines.append("") }
        lines.append(values[i..<(i + last)].joined(separator: separator))
        i += last
        row += 1
      }
      return lines.joined(separator: "\n")
    case .tuple(let items):
      return items.map { plain($0, separator: separator) }.joined(separator: "\n\n")
    case .figure(let f): return FigureData.plain(f)
    case .sparse(let s): return SparseMatrixText.plain(s)
    default: return shortText(v)
    }
  }
}
