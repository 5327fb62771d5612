/// The Matrix Market exchange format (NIST; `scipy.io.mmread`/`mmwrite`), in text:
///
/// ```
/// %%MatrixMarket matrix coordinate real general
/// % comments
/// 4 6 12          (rows, columns, entries)
/// 1 1 0.7780353   (row, column, value; 1-based)
/// ```
///
/// nabla writes `coordinate real general` with each value in the shortest form that reads
/// back to the same float of its dtype. It reads `coordinate` matrices of `real`, `integer`
/// or `pattern` entries (a pattern entry is 1) that are `general`, `symmetric` (the lower
/// triangle is listed; each entry off the diagonal stands for both triangles) or
/// `skew-symmetric` (the upper triangle is the negated lower one), and dense `array` matrices
/// (`real`/`integer`, listed column by column, a symmetric one's lower triangle only), which
/// load as tensors. Values load as `defaultDType` (the file does not say which float they
/// were).
enum MatrixMarket {
  static func write(_ s: SparseMatrix) -> String {
    let p = s.pattern
    let (dtype, values) = s.concreteValues
    var lines = [
      "%%MatrixMarket matrix coordinate real general",
      "\(p.rows) \(p.columns) \(p.nonZeros)",
    ]
    lines.reserveCapacity(p.nonZeros + 2)
    var k = 0
    for i in 0..<p.rows {
      for j in p[row: i] {
        lines.append("\(i + 1) \(j + 1) \(ValueFormatter.numberText(values[k], dtype))")
        k += 1
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Whether `bytes` start with the Matrix Market banner.
  static func isMatrixMarket(_ bytes: [UInt8]) -> Bool {
    bytes.prefix(14).map { $0 | 0x20 } == Array("%%matrixmarket".utf8)
  }

  static func read(_ text: String, defaultDType: DType) throws(FileFormatError) -> Value {
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)[...]
    guard let banner = lines.popFirst() else { throw FileFormatError(reason: "it is empty") }
    let header = banner.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
    guard header.count == 5, header[0] == "%%matrixmarket", header[1] == "matrix" else {
      throw FileFormatError(
        reason: "its first line is not '%%MatrixMarket matrix <format> <field> <symmetry>'")
    }
    let (format, field, symmetry) = (header[2], header[3], header[4])
    guard ["real", "integer", "double", "pattern"].contains(field) else {
      throw FileFormatError(
        reason: "its entries are '\(field)'; nabla reads real, integer and pattern matrices")
    }
    guard ["general", "symmetric", "skew-symmetric"].contains(symmetry) else {
      throw FileFormatError(
        reason: "its symmetry is '\(symmetry)'; nabla reads general, symmetric and skew-symmetric")
    }
    // the data lines, with their 1-based line numbers, comments and blank lines left out
    var rows: [(Int, [Substring])] = []
    var number = 1
    for line in lines {
      number += 1
      let fields = line.split(whereSeparator: { $0.isWhitespace || $0 == "," })
      if fields.isEmpty || fields[0].hasPrefix("%") { continue }
      rows.append((number, fields))
    }
    guard let (sizeLine, size) = rows.first else {
      throw FileFormatError(reason: "it has no size line")
    }
    func integer(_ s: Substring, _ line: Int) throws(FileFormatError) -> Int {
      guard let n = Int(s) else {
        throw FileFormatError(reason: "line \(line): '\(s)' is not an integer")
      }
      return n
    }
    func real(_ s: Substring, _ line: Int) throws(FileFormatError) -> Double {
      guard let x = Double(s) else {
        throw FileFormatError(reason: "line \(line): '\(s)' is not a number")
      }
      return x
    }
    switch format {
    case "coordinate":
      guard size.count == 3 else {
        throw FileFormatError(
          reason: "line \(sizeLine): the size line is not 'rows columns entries'")
      }
      let (m, n, count) = (
        try integer(size[0], sizeLine), try integer(size[1], sizeLine),
        try integer(size[2], sizeLine)
      )
      let entries = rows.dropFirst()
      guard count >= 0, entries.count == count else {
        throw FileFormatError(reason: "it lists \(entries.count) entries, its size line \(count)")
      }
      let width = field == "pattern" ? 2 : 3
      var (r, c, v) = ([Int](), [Int](), [Double]())
      for (line, fields) in entries {
        guard fields.count == width else {
          throw FileFormatError(
            reason:
              "line \(line): an entry is \(width == 2 ? "'row column'" : "'row column value'")")
        }
        let (i, j) = (try integer(fields[0], line) - 1, try integer(fields[1], line) - 1)
        guard (0..<m).contains(i), (0..<n).contains(j) else {
          throw FileFormatError(
            reason:
              "line \(line): the entry (\(i + 1), \(j + 1)) is outside the \(m) × \(n) matrix (indices count from 1)"
          )
        }
        let x = width == 2 ? 1 : try real(fields[2], line)
        r.append(i)
        c.append(j)
        v.append(x)
        if symmetry != "general" && i != j {
          r.append(j)
          c.append(i)
          v.append(symmetry == "skew-symmetric" ? -x : x)
        }
      }
      if symmetry != "general", m != n {
        throw FileFormatError(reason: "a \(symmetry) matrix of \(m) × \(n) is not square")
      }
      return .sparse(
        try SparseMatrix.fromEntries(
          rows: m, columns: n, rowIndices: r, columnIndices: c, values: v, dtype: defaultDType))
    case "array":
      guard field != "pattern" else {
        throw FileFormatError(reason: "a dense (array) matrix cannot be a pattern")
      }
      guard size.count == 2 else {
        throw FileFormatError(reason: "line \(sizeLine): the size line is not 'rows columns'")
      }
      let (m, n) = (try integer(size[0], sizeLine), try integer(size[1], sizeLine))
      let (total, overflow) = m.multipliedReportingOverflow(by: n)
      guard m >= 0, n >= 0, !overflow else {
        throw FileFormatError(reason: "line \(sizeLine): \(m) × \(n) is not a matrix's size")
      }
      if symmetry != "general", m != n {
        throw FileFormatError(reason: "a \(symmetry) matrix of \(m) × \(n) is not square")
      }
      // column by column: all of each column, or the entries on and below the diagonal of a
      // symmetric matrix (below only, of a skew-symmetric one)
      let skip = symmetry == "general" ? nil : symmetry == "symmetric" ? 0 : 1
      let listed = skip.map { n * (n + 1) / 2 - $0 * n } ?? total
      let entries = rows.dropFirst()
      guard entries.count == listed else {
        throw FileFormatError(
          reason:
            "it lists \(entries.count) values, not the \(listed) of a \(m) × \(n) \(symmetry) matrix"
        )
      }
      var values = Array(repeating: 0.0, count: total)
      var next = entries.makeIterator()
      for j in 0..<n {
        for i in (skip.map { j + $0 } ?? 0)..<m {
          guard let (line, fields) = next.next() else { break }
          guard fields.count == 1 else {
            throw FileFormatError(reason: "line \(line): a dense matrix lists one value a line")
          }
          let x = try real(fields[0], line)
          values[i * n + j] = x
          if let skip, i != j { values[j * n + i] = skip == 0 ? x : -x }
        }
      }
      return .tensor(Tensor(shape: [m, n], values: values, dtype: defaultDType))
    default:
      throw FileFormatError(
        reason: "its format is '\(format)'; Matrix Market matrices are 'coordinate' or 'array'")
    }
  }
}
