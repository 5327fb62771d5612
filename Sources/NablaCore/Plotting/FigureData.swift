/// A figure's data in the `json` and `plain` output formats.
///
/// JSON: a plot is `{"figure":"plot","x":[…],"curves":[{"label":…,"y":[…]},…],"ylim":[lo,hi]}`
/// (`ylim` the range shown: as given, or chosen before rounding to ticks); a heat map is
/// `{"figure":"heatmap","shape":[m,n],"data":[[…],…]}`; a sparsity pattern is
/// `{"figure":"spy","shape":[m,n],"nnz":k,"density":d,"rows":[…],"columns":[…]}` with the
/// positions of the non-zero entries. Numbers are written as tensors' are (NaN as `"nan"`).
/// Plain: a plot is one line per sample, `x y₁ y₂ …`; a heat map the matrix's rows; a sparsity
/// pattern one `row column` line per non-zero entry.
enum FigureData {
  static func json(_ figure: Figure) -> String {
    if let spy = figure.spyMatrix { return spyJSON(spy) }
    guard let tensors = figure.tensors, let first = tensors.first else {
      return ValueFormatter.jsonString("<\(figure.summary)>")
    }
    switch figure.kind {
    case .lines:
      let x = numbers(first)
      var curves: [String] = []
      for (k, y) in tensors.dropFirst().enumerated() {
        let label = k < figure.curves.count ? figure.curves[k].label : ""
        curves.append("{\"label\":\(ValueFormatter.jsonString(label)),\"y\":\(numbers(y))}")
      }
      let ys = tensors.dropFirst().map(\.doubles)
      let range =
        figure.yLimits
        ?? AutoRange.of(ys, trimsSpikes: figure.isSampled, derivatives: figure.derivatives)
        ?? -1...1
      return
        "{\"figure\":\"plot\",\"x\":\(x),\"curves\":[\(curves.joined(separator: ","))],"
        + "\"ylim\":[\(ValueFormatter.jsonNumber(range.lowerBound, .f64)),"
        + "\(ValueFormatter.jsonNumber(range.upperBound, .f64))]}"
    case .heatmap:
      let (rows, columns) = MatrixText.shape(of: first)
      let values = first.doubles.map { ValueFormatter.jsonNumber($0, first.dtype) }
      let data = (0..<rows).map { r in
        "[" + values[(r * columns)..<((r + 1) * columns)].joined(separator: ",") + "]"
      }
      return
        "{\"figure\":\"heatmap\",\"shape\":[\(rows),\(columns)],\"data\":["
        + data.joined(separator: ",") + "]}"
    case .spy: return spyJSON(SpyMatrix(dense: first))
    }
  }

  private static func spyJSON(_ m: SpyMatrix) -> String {
    let (r, c) = nonZeros(m)
    let count = m.rows * m.columns
    let density = count == 0 ? 0 : Double(r.count) / Double(count)
    return
      "{\"figure\":\"spy\",\"shape\":[\(m.rows),\(m.columns)],\"nnz\":\(r.count),"
      + "\"density\":\(ValueFormatter.jsonNumber(density, .f64)),"
      + "\"rows\":[\(r.map(String.init).joined(separator: ","))],"
      + "\"columns\":[\(c.map(String.init).joined(separator: ","))]}"
  }

  static func plain(_ figure: Figure) -> String {
    if let spy = figure.spyMatrix {
      let (r, c) = nonZeros(spy)
      return zip(r, c).map { "\($0) \($1)" }.joined(separator: "\n")
    }
    guard let tensors = figure.tensors, let first = tensors.first else {
      return "<\(figure.summary)>"
    }
    switch figure.kind {
    case .lines:
      let columns = tensors.map { t in t.doubles.map { ValueFormatter.numberText($0, t.dtype) } }
      let n = columns.map(\.count).min() ?? 0
      return (0..<n).map { i in columns.map { $0[i] }.joined(separator: " ") }
        .joined(separator: "\n")
    case .heatmap:
      let (rows, columns) = MatrixText.shape(of: first)
      return ValueFormatter.plain(.tensor(first.reshaped([rows, columns])))
    case .spy:
      let (r, c) = nonZeros(SpyMatrix(dense: first))
      return zip(r, c).map { "\($0) \($1)" }.joined(separator: "\n")
    }
  }

  /// A vector's values as a JSON array.
  private static func numbers(_ t: Tensor) -> String {
    "[" + t.doubles.map { ValueFormatter.jsonNumber($0, t.dtype) }.joined(separator: ",") + "]"
  }

  /// The rows and columns of the non-zero entries (NaN counts as non-zero), row by row.
  private static func nonZeros(_ m: SpyMatrix) -> ([Int], [Int]) {
    var rows: [Int] = []
    var cols: [Int] = []
    m.forEachNonZero { i, j, _ in
      rows.append(i)
      cols.append(j)
    }
    return (rows, cols)
  }
}
