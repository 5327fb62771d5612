extension TensorReader {
  /// A sparse matrix from the `json` format's COO document,
  /// `{"format":"coo","dtype":"float32","shape":[m,n],"row":[…],"col":[…],"data":[…]}`.
  static func sparseFromJSON(_ f: [String: JSONReader.Node], defaultDType: DType)
    throws(FormatError) -> Value
  {
    guard case .string("coo")? = f["format"] else {
      throw FormatError(reason: "a sparse matrix's \"format\" must be \"coo\"")
    }
    var dtype = defaultDType
    if case .string(let name)? = f["dtype"] {
      guard let d = DType(name: name) else {
        throw FormatError(reason: "unsupported dtype '\(name)'")
      }
      dtype = d
    }
    func integers(_ key: String) throws(FormatError) -> [Int] {
      guard case .array(let items)? = f[key] else {
        throw FormatError(reason: "a sparse matrix needs \"\(key)\", an array of integers")
      }
      var out: [Int] = []
      for item in items {
        guard case .number(let x) = item, let n = Int(exactly: x) else {
          throw FormatError(reason: "\"\(key)\" holds something other than an integer")
        }
        out.append(n)
      }
      return out
    }
    let shape = try integers("shape")
    guard shape.count == 2 else { throw FormatError(reason: "\"shape\" must be [rows, columns]") }
    guard let data = f["data"] else { throw FormatError(reason: "object has no \"data\" field") }
    let values = try nestedArray(data, dtype: dtype)
    let (rows, columns) = (try integers("row"), try integers("col"))
    do {
      return .sparse(
        try SparseMatrix.fromEntries(
          rows: shape[0], columns: shape[1], rowIndices: rows, columnIndices: columns,
          values: values.doubles, dtype: dtype))
    } catch {
      throw FormatError(reason: error.reason)
    }
  }
}
