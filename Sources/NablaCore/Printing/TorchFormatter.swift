/// Prints tensors exactly as PyTorch's `print(tensor)` does (`torch/_tensor_str.py`), with
/// its print options (``PrintOptions``; by default precision 4, line width 80, threshold 1000,
/// edge items 3).
///
/// For float tensors one formatter decides, from all finite non-zero elements (only the edge
/// elements when the tensor is summarised), whether to print integers (`6.`), fixed point
/// (`0.5000`) or scientific notation (`1.2500e-05`), and the common width every element is
/// padded to. An int64 tensor prints whole numbers (`-3`, never scientific) and a bool tensor
/// `True` and `False`, each padded to the widest of the elements considered.
public struct TorchFormatter {
  let options: PrintOptions
  /// What the elements are: float tensors choose a notation, the others print as they are.
  private let kind: ElementKind
  /// `printf` formats of fixed and scientific notation at the options' precision.
  private let fixed: String
  private let scientific: String
  private var intMode = true
  private var sciMode = false
  private var maxWidth = 1

  /// Chooses the mode and width for these values (PyTorch's `_Formatter.__init__`, including
  /// its order: a forced `sci_mode` applies after the width was measured in the chosen mode).
  /// Integers and truth values take the width of the longest element, zeros included.
  init(values: [Double], kind: ElementKind = .float, options: PrintOptions) {
    self.options = options
    self.kind = kind
    (fixed, scientific) = ("%.\(options.precision)f", "%.\(options.precision)e")
    guard kind == .float else {
      for v in values { maxWidth = Swift.max(maxWidth, Self.exactText(v, kind).count) }
      return
    }
    defer { if let forced = options.sciMode { sciMode = forced } }
    let finite = values.filter { $0.isFinite && $0 != 0 }
    guard !finite.isEmpty else { return }
    let absolute = finite.map { Swift.abs($0) }
    let minimum = absolute.min() ?? 1
    let maximum = absolute.max() ?? 1
    intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
    if intMode {
      if maximum / minimum > 1000 || maximum > 1e8 {
        sciMode = true
        for v in finite { maxWidth = Swift.max(maxWidth, CFormat.format(scientific, v).count) }
      } else {
        for v in finite { maxWidth = Swift.max(maxWidth, CFormat.format("%.0f", v).count + 1) }
      }
    } else if maximum / minimum > 1000 || maximum > 1e8 || minimum < 1e-4 {
      sciMode = true
      for v in finite { maxWidth = Swift.max(maxWidth, CFormat.format(scientific, v).count) }
    } else {
      for v in finite { maxWidth = Swift.max(maxWidth, CFormat.format(fixed, v).count) }
    }
  }

  /// An integer or truth value as Python writes it: `-3`, `True`, `False`. An integer tensor
  /// holds whole numbers; anything else (which no operation should leave there) is written
  /// without a fraction, or as `nan`/`inf`.
  static func exactText(_ v: Double, _ kind: ElementKind) -> String {
    if kind == .boolean { return v != 0 ? "True" : "False" }
    if let n = Int64(exactly: v) { return String(n) }
    return v.isFinite ? CFormat.format("%.0f", v) : nonFinite(v)
  }

  /// One element, padded on the left to the common width.
  func format(_ v: Double) -> String {
    var s: String
    if kind != .float {
      s = Self.exactText(v, kind)
    } else if sciMode {
      s = v.isFinite ? CFormat.format(scientific, v) : Self.nonFinite(v)
    } else if intMode {
      s = v.isFinite ? CFormat.format("%.0f", v) + "." : Self.nonFinite(v)
    } else {
      s = v.isFinite ? CFormat.format(fixed, v) : Self.nonFinite(v)
    }
    if s.count < maxWidth { s = String(repeating: " ", count: maxWidth - s.count) + s }
    return s
  }

  private static func nonFinite(_ v: Double) -> String {
    v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf")
  }

  // MARK: - Whole tensors

  /// `tensor([…])` with PyTorch's layout and suffixes: `dtype=torch.float64` unless it is
  /// the default dtype (never for int64 and bool, which have no other dtype to tell apart,
  /// except when empty: `tensor([], dtype=torch.int64)`), `size=(2, 0)` for empty tensors
  /// and for every tensor when no edge items are kept.
  public static func string(
    _ t: Tensor, defaultDType: DType = .f32, options: PrintOptions = PrintOptions()
  ) -> String {
    let prefix = "tensor("
    let indent = prefix.count
    var suffixes: [String] = []
    let body: String
    let dtypeSuffix = "dtype=torch.\(t.kind.dtypeName(t.dtype))"
    if t.count == 0 {
      if t.rank != 1 { suffixes.append("size=" + pythonTuple(t.shape)) }
      if t.kind != .float || t.dtype != defaultDType { suffixes.append(dtypeSuffix) }
      body = "[]"
    } else {
      if options.edgeItems == 0 { suffixes.append("size=" + pythonTuple(t.shape)) }
      if t.kind == .float && t.dtype != defaultDType { suffixes.append(dtypeSuffix) }
      let values = t.doubles
      let summarize = t.count > options.threshold
      let formatter = TorchFormatter(
        values: summarize ? summarizedValues(values, t.shape, options.edgeItems) : values,
        kind: t.kind, options: options)
      body = formatter.tensorString(
        values, shape: t.shape, offset: 0, indent: indent, summarize: summarize)
    }
    return addSuffixes(prefix + body, suffixes, indent: indent, lineWidth: options.lineWidth)
  }

  /// A shape as Python writes a tuple: `()`, `(3,)`, `(2, 0)`.
  private static func pythonTuple(_ shape: [Int]) -> String {
    shape.count == 1
      ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  private static func addSuffixes(
    _ tensorString: String, _ suffixes: [String], indent: Int, lineWidth: Int
  ) -> String {
    var out = tensorString
    let lastNewline = tensorString.lastIndex(of: "\n")
    var lastLineLength =
      lastNewline.map { tensorString.distance(from: $0, to: tensorString.endIndex) + 1 }
      ?? tensorString.count + 2
    for suffix in suffixes {
      if lastLineLength + suffix.count + 2 > lineWidth {
        out += ",\n" + String(repeating: " ", count: indent) + suffix
        lastLineLength = indent + suffix.count
      } else {
        out += ", " + suffix
        lastLineLength += suffix.count + 2
      }
    }
    return out + ")"
  }

  /// The elements PyTorch's `get_summarized_data` keeps: the first and last `edgeItems` of
  /// every axis longer than twice that.
  static func summarizedValues(_ values: [Double], _ shape: [Int], _ edgeItems: Int) -> [Double] {
    guard let n = shape.first else { return values }
    let inner = shape.dropFirst().reduce(1, *)
    let rows = n > 2 * edgeItems ? Array(0..<edgeItems) + Array((n - edgeItems)..<n) : Array(0..<n)
    var out: [Double] = []
    for r in rows {
      out += summarizedValues(
        Array(values[(r * inner)..<((r + 1) * inner)]), Array(shape.dropFirst()), edgeItems)
    }
    return out
  }

  private func tensorString(
    _ values: [Double], shape: [Int], offset: Int, indent: Int, summarize: Bool
  ) -> String {
    let rank = shape.count
    if rank == 0 { return format(values[offset]) }
    if rank == 1 {
      return vectorString(
        values, count: shape[0], offset: offset, indent: indent, summarize: summarize)
    }
    let n = shape[0]
    let inner = shape.dropFirst().reduce(1, *)
    let sub = Array(shape.dropFirst())
    func slice(_ i: Int) -> String {
      tensorString(
        values, shape: sub, offset: offset + i * inner, indent: indent + 1, summarize: summarize)
    }
    var slices: [String]
    let edgeItems = options.edgeItems
    if summarize && n > 2 * edgeItems {
      slices = (0..<edgeItems).map(slice) + ["..."] + ((n - edgeItems)..<n).map(slice)
    } else {
      slices = (0..<n).map(slice)
    }
    let separator =
      "," + String(repeating: "\n", count: rank - 1) + String(repeating: " ", count: indent + 1)
    return "[" + slices.joined(separator: separator) + "]"
  }

  private func vectorString(
    _ values: [Double], count n: Int, offset: Int, indent: Int, summarize: Bool
  ) -> String {
    let elementLength = maxWidth + 2
    let perLine = Swift.max(1, (options.lineWidth - indent) / elementLength)
    let edgeItems = options.edgeItems
    var data: [String]
    if summarize && edgeItems == 0 {
      data = ["..."]
    } else if summarize && n > 2 * edgeItems {
      data =
        (0..<edgeItems).map { format(values[offset + $0]) } + [" ..."]
        + ((n - edgeItems)..<n).map { format(values[offset + $0]) }
    } else {
      data = (0..<n).map { format(values[offset + $0]) }
    }
    var lines: [String] = []
    var i = 0
    while i < data.count {
      lines.append(data[i..<Swift.min(i + perLine, data.count)].joined(separator: ", "))
      i += perLine
    }
    return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
  }
}
