/// SciPy's sparse `.npz` layout (`scipy.sparse.save_npz`, `load_npz`): a zip of `.npy` members
/// `format` (a 0-d byte string: `b'coo'`, `b'csr'`, `b'csc'`), `shape` (two integers) and
/// `data` (the stored values), with `row` and `col` (COO; newer SciPy may write `coords`, a
/// `2 × nnz` array, instead) or `indices` and `indptr` (CSR: row `i`'s columns are
/// `indices[indptr[i]..<indptr[i+1]]`; CSC the same by columns).
///
/// nabla writes COO with `<i8` indices and float32/float64 data, uncompressed, which every
/// SciPy since 1.0 loads (as a `coo_matrix`; there is no `_is_array` member).
enum SciPySparseNPZ {
  /// Whether the archive's members are those of a SciPy sparse matrix (it has `format`).
  static func isSparse(_ members: [NPZ.Member]) -> Bool {
    members.contains { $0.name == "format.npy" }
  }

  static func write(_ s: SparseMatrix) -> [UInt8] {
    let p = s.pattern
    let (dtype, values) = s.concreteValues
    let data = Tensor(shape: [p.nonZeros], values: values, dtype: dtype)
    return NPZ.write(members: [
      ("row.npy", NPY.write(integers: p.rowIndices, shape: [p.nonZeros])),
      ("col.npy", NPY.write(integers: p.columnIndices, shape: [p.nonZeros])),
      ("format.npy", NPY.write(byteString: "coo")),
      ("shape.npy", NPY.write(integers: [p.rows, p.columns], shape: [2])),
      ("data.npy", NPY.write(data)),
    ])
  }

  /// The matrix of a SciPy sparse archive; integer or boolean data become `defaultDType`.
  static func read(_ members: [NPZ.Member], defaultDType: DType) throws(FileFormatError)
    -> SparseMatrix
  {
    var arrays: [String: NPYArray] = [:]
    for m in members {
      guard !m.isCompressed else {
        throw FileFormatError(
          reason:
            "its arrays are compressed (scipy.sparse.save_npz compresses by default); "
            + "save it with scipy.sparse.save_npz(path, M, compressed=False)")
      }
      let name = m.name.hasSuffix(".npy") ? String(m.name.dropLast(4)) : m.name
      do {
        arrays[name] = try NPY.readArray(m.data)
      } catch {
        throw FileFormatError(reason: "its member '\(name)': \(error.reason)")
      }
    }
    guard let format = arrays["format"]?.text else {
      throw FileFormatError(reason: "its 'format' is not a byte string such as b'coo'")
    }
    guard ["coo", "csr", "csc"].contains(format) else {
      throw FileFormatError(
        reason: "SciPy's '\(format)' sparse format is not supported; save M.tocoo() or M.tocsr()")
    }
    let shape = try integers("shape", arrays)
    guard shape.count == 2 else {
      throw FileFormatError(reason: "its shape \(shape) is not a matrix's (nabla reads 2-d ones)")
    }
    guard let data = arrays["data"] else { throw missing("data") }
    let values: [Double]
    let dtype: DType
    switch data.elements {
    case .float(let t): (values, dtype) = (t.doubles, t.dtype)
    case .integers(let xs): (values, dtype) = (xs.map(Double.init), defaultDType)
    case .strings: throw FileFormatError(reason: "its 'data' are not numbers")
    }
    let (rows, columns) = (shape[0], shape[1])
    var r: [Int]
    var c: [Int]
    switch format {
    case "coo":
      if arrays["coords"] != nil {
        let coords = try integers("coords", arrays)
        let n = values.count
        guard arrays["coords"]?.shape == [2, n] else {
          throw FileFormatError(reason: "its 'coords' are not 2 × \(n) indices")
        }
        (r, c) = (Array(coords[0..<n]), Array(coords[n...]))
      } else {
        (r, c) = (try integers("row", arrays), try integers("col", arrays))
      }
    default:
      let outer = try compressedOuter(
        try integers("indptr", arrays), count: format == "csr" ? rows : columns,
        entries: values.count)
      let inner = try integers("indices", arrays)
      (r, c) = format == "csr" ? (outer, inner) : (inner, outer)
    }
    return try SparseMatrix.fromEntries(
      rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: values, dtype: dtype)
  }

  /// The outer index of each entry of a compressed (CSR or CSC) matrix from its `indptr`.
  private static func compressedOuter(_ indptr: [Int], count: Int, entries: Int)
    throws(FileFormatError) -> [Int]
  {
    guard indptr.count == count + 1, indptr.first == 0, indptr.last == entries,
      zip(indptr, indptr.dropFirst()).allSatisfy({ $0 <= $1 })
    else {
      throw FileFormatError(
        reason:
          "its 'indptr' is not \(count + 1) ascending offsets from 0 to \(entries) (the entries)")
    }
    var out: [Int] = []
    out.reserveCapacity(entries)
    for i in 0..<count {
      out.append(contentsOf: repeatElement(i, count: indptr[i + 1] - indptr[i]))
    }
    return out
  }

  private static func integers(_ name: String, _ arrays: [String: NPYArray])
    throws(FileFormatError) -> [Int]
  {
    guard let a = arrays[name] else { throw missing(name) }
    guard let xs = a.integers else {
      throw FileFormatError(reason: "its '\(name)' are not integers")
    }
    return xs
  }

  private static func missing(_ name: String) -> FileFormatError {
    FileFormatError(reason: "it is a SciPy sparse archive without '\(name)'")
  }
}
