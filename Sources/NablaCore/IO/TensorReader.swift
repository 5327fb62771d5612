/// Builds tensors from the data formats `load` reads.
enum TensorReader {
  struct FormatError: Error {
    var reason: String
  }

  /// A JSON document: a tensor object (an `int64` or `bool` one keeps its kind; data of
  /// `true` and `false` alone are bool too), a sparse matrix's COO object (with `"format"`), an
  /// array of them (a tuple), or nested number arrays.
  static func fromJSON(_ node: JSONReader.Node, defaultDType: DType) throws(FormatError) -> Value {
    switch node {
    case .object(let fields):
      let f = Dictionary(fields, uniquingKeysWith: { a, _ in a })
      if f["format"] != nil { return try sparseFromJSON(f, defaultDType: defaultDType) }
      guard let data = f["data"] else { throw FormatError(reason: "object has no \"data\" field") }
      var (dtype, kind) = (defaultDType, ElementKind.float)
      if case .string(let name)? = f["dtype"] {
        if let d = DType(name: name) {
          dtype = d
        } else if let k = exactKind(name) {
          (dtype, kind) = (k == .integer ? .f64 : defaultDType, k)
        } else {
          throw FormatError(reason: "unsupported dtype '\(name)'")
        }
      } else if allBooleans(data) {
        kind = .boolean
      }
      var t = try nestedArray(data, dtype: dtype)
      t.kind = kind
      if kind == .integer, let i = t.firstElement(where: { !isExactInteger($0) }) {
        throw FormatError(
          reason:
            "element \(i) of an int64 tensor is \(t[flat: i]), not an integer within 2^53 in magnitude (nabla holds integers in float64)"
        )
      }
      if case .array(let dims)? = f["shape"] {
        var shape: [Int] = []
        for d in dims {
          guard case .number(let x) = d, let n = Int(exactly: x), n >= 0 else {
            throw FormatError(reason: "malformed \"shape\"")
          }
          shape.append(n)
        }
        guard Shape.elementCount(shape) == t.count else {
          throw FormatError(reason: "\"shape\" \(shape) does not match the data")
        }
        t = t.reshaped(shape)
        t.kind = kind
      }
      return .tensor(t)
    case .array(let items)
    where items.contains(where: { if case .object = $0 { true } else { false } }):
      var out: [Value] = []
      for item in items { out.append(try fromJSON(item, defaultDType: defaultDType)) }
      return .tuple(out)
    default:
      var t = try nestedArray(node, dtype: defaultDType)
      if allBooleans(node) { t.kind = .boolean }
      return .tensor(t)
    }
  }

  /// The kind of a JSON document's integer or bool `dtype`: `int64` (nabla's own), the other
  /// NumPy integer types, `bool`.
  private static func exactKind(_ name: String) -> ElementKind? {
    let integers = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
    let lower = name.lowercased()
    let bare = lower.hasPrefix("torch.") ? String(lower.dropFirst(6)) : lower
    if bare == "bool" { return .boolean }
    return integers.contains(bare) ? .integer : nil
  }

  /// Whether `x` is a whole number float64 holds exactly (at most 2⁵³ in magnitude).
  private static func isExactInteger(_ x: Double) -> Bool {
    x.rounded() == x && Swift.abs(x) <= ElementKind.exactIntegerLimit
  }

  /// Whether the data are `true` and `false` only (at least one of them).
  private static func allBooleans(_ node: JSONReader.Node) -> Bool {
    switch node {
    case .bool: return true
    case .array(let items): return !items.isEmpty && items.allSatisfy(allBooleans)
    default: return false
    }
  }

  static func nestedArray(_ node: JSONReader.Node, dtype: DType) throws(FormatError)
    -> Tensor
  {
    var values: [Double] = []
    func walk(_ n: JSONReader.Node, _ depth: Int, _ shape: inout [Int]?) throws(FormatError) {
      switch n {
      case .number(let x): values.append(x)
      case .bool(let b): values.append(b ? 1 : 0)
      case .string("nan"): values.append(.nan)
      case .string("inf"): values.append(.infinity)
      case .string("-inf"): values.append(-.infinity)
      case .array(let items):
        if shape == nil { shape = [] }
        if shape?.count == depth {
          shape?.append(items.count)
        } else if shape?[depth] != items.count {
          throw FormatError(reason: "rows have different lengths")
        }
        for item in items { try walk(item, depth + 1, &shape) }
      default: throw FormatError(reason: "data must be numbers or nested arrays of numbers")
      }
    }
    var shape: [Int]?
    try walk(node, 0, &shape)
    let s = shape ?? []
    guard Shape.elementCount(s) == values.count else {
      throw FormatError(reason: "rows have different lengths")
    }
    return Tensor(shape: s, values: values, dtype: dtype)
  }

  /// Whitespace- or comma-separated numbers, one row per line (`numpy.loadtxt`): a single row
  /// or column is a vector, a single number a scalar. `#` starts a comment. The first
  /// `skipRows` lines (a header) are skipped; with a `delimiter`, fields are separated by it
  /// alone (spaces around a field are trimmed).
  static func fromText(_ text: String, dtype: DType, skipRows: Int = 0, delimiter: String? = nil)
    throws(FormatError) -> Tensor
  {
    var rows: [[Double]] = []
    for (lineNumber, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated() where lineNumber >= skipRows
    {
      let line =
        rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields: [Substring]
      if let delimiter, !delimiter.isEmpty {
        let trimmed = line.trimmingCharacters(in: " \t\r")
        fields =
          trimmed.isEmpty
          ? []
          : trimmed.split(separator: delimiter, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: " \t\r")
          }
      } else {
        fields = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\r" })
      }
      if fields.isEmpty { continue }
      var row: [Double] = []
      for f in fields {
        let s = f.lowercased()
        let x: Double? =
          s == "nan" ? .nan : s == "inf" ? .infinity : s == "-inf" ? -.infinity : Double(s)
        guard let x else {
          throw FormatError(reason: "line \(lineNumber + 1): '\(f)' is not a number")
        }
        row.append(x)
      }
      if let first = rows.first, first.count != row.count {
        throw FormatError(
          reason: "line \(lineNumber + 1) has \(row.count) numbers, earlier lines \(first.count)")
      }
      rows.append(row)
    }
    guard !rows.isEmpty else {
      throw FormatError(reason: "it has no numbers (standard input is empty, or was the program)")
    }
    let values = rows.flatMap { $0 }
    let columns = rows.first?.count ?? 0
    let shape: [Int] =
      rows.count == 1 && columns == 1
      ? [] : (rows.count == 1 || columns == 1 ? [values.count] : [rows.count, columns])
    return Tensor(shape: shape, values: values, dtype: dtype)
  }
}

extension Substring {
  /// Without the given characters at either end.
  fileprivate func trimmingCharacters(in set: String) -> Substring {
    var s = self
    while let c = s.first, set.contains(c) { s = s.dropFirst() }
    while let c = s.last, set.contains(c) { s = s.dropLast() }
    return s
  }
}
