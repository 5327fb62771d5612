import Testing

@testable import NablaCore

/// Sparse matrices in files: SciPy's `save_npz` layout and Matrix Market, both ways; CSR,
/// CSC and symmetric files written by hand; malformed files as diagnostics naming the file.
@Suite struct SparseFileTests {
  static let banded = "f(x) = sin(x[0:4]) .* x[1:5]^2 + cos(x[2:6]); x = linspace(1, 2, 6)"

  /// A fresh path in /tmp ending in `name`.
  func path(_ name: String) -> String {
    "/tmp/nabla-sparse-\(UInt64.random(in: 0..<UInt64.max))-\(name)"
  }

  /// The sparse Jacobian nabla computed, and what loading the file it saved gives.
  func roundTrip(_ ext: String, _ dtype: DType) throws -> (SparseMatrix, SparseMatrix) {
    let file = path("j.\(ext)")
    let run = Run(
      "\(Self.banded); S = jacobian(f, sparse_output=True)(x); save(\"\(file)\", S); S",
      dtype: dtype)
    guard case .sparse(let saved)? = run.value else {
      Issue.record("not sparse: \(run.diagnostics)")
      return try #require(nil)
    }
    let load = Run("load(\"\(file)\")", dtype: dtype)
    guard case .sparse(let back)? = load.value else {
      Issue.record("loaded \(load.values) \(load.diagnostics)")
      return try #require(nil)
    }
    return (saved, back)
  }

  func values(_ s: SparseMatrix) -> (DType, [Double]) { s.concreteValues }

  @Test(arguments: ["npz", "mtx", "json"], [DType.f32, .f64])
  func saveThenLoadIsTheSameMatrix(_ ext: String, _ dtype: DType) throws {
    let (saved, back) = try roundTrip(ext, dtype)
    #expect(back.pattern == saved.pattern)
    #expect(saved.pattern.nonZeros == 12)
    #expect(values(back).0 == dtype)
    #expect(values(back).1 == values(saved).1)
  }

  @Test func npzHoldsSciPysMembers() throws {
    let s = try SparseMatrix.fromEntries(
      rows: 2, columns: 3, rowIndices: [1, 0], columnIndices: [2, 0], values: [5, 4], dtype: .f64)
    let members = try NPZ.members(SciPySparseNPZ.write(s))
    #expect(members.map(\.name) == ["row.npy", "col.npy", "format.npy", "shape.npy", "data.npy"])
    let format = try NPY.readArray(members[2].data)
    #expect(format.shape == [] && format.text == "coo")
    #expect(try NPY.readArray(members[0].data).integers == [0, 1])
    #expect(try NPY.readArray(members[1].data).integers == [0, 2])
    #expect(try NPY.readArray(members[3].data).integers == [2, 3])
    #expect(try NPY.read(members[4].data).doubles == [4, 5])
  }

  /// A SciPy archive as `save_npz` writes one, from (name, `.npy` bytes) pairs.
  func archive(_ format: String, _ arrays: [(String, [UInt8])]) -> [UInt8] {
    NPZ.write(
      members: [("format.npy", NPY.write(byteString: format))]
        + arrays.map { ($0.0 + ".npy", $0.1) })
  }

  func ints(_ xs: [Int]) -> [UInt8] { NPY.write(integers: xs, shape: [xs.count]) }

  /// The dense matrix a file loads as, through `todense`.
  func dense(_ bytes: [UInt8], _ name: String, dtype: DType = .f64) -> Run {
    let file = path(name)
    _ = try? writeBytes(bytes, to: file)
    return Run("todense(load(\"\(file)\"))", dtype: dtype, format: .plain)
  }

  /// [[1, 0, 2], [0, 0, 3]] as CSR, CSC, COO with `coords`, and COO with unsorted, repeated
  /// entries (summed, as SciPy does); int32 indices and float32 data as SciPy writes them.
  @Test func scipyLayoutsLoad() {
    let shape = ("shape", ints([2, 3]))
    let data = ("data", NPY.write(Tensor(shape: [3], floats: [1, 2, 3])))
    let int32 = NPY.header(descr: "<i4", shape: "(3,)") + [0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0]
    let csr = archive(
      "csr", [("indices", int32), ("indptr", ints([0, 2, 3])), shape, data])
    let csc = archive(
      "csc",
      [
        ("indices", ints([0, 0, 1])), ("indptr", ints([0, 1, 1, 3])), shape,
        ("data", NPY.write(Tensor(shape: [3], doubles: [1, 2, 3]))),
      ])
    let coords = archive(
      "coo",
      [("coords", NPY.write(integers: [0, 0, 1, 0, 2, 2], shape: [2, 3])), shape, data])
    let repeated = archive(
      "coo",
      [
        ("row", ints([1, 0, 0, 1])), ("col", ints([2, 2, 0, 2])), shape,
        ("data", NPY.write(Tensor(shape: [4], doubles: [1, 2, 1, 2]))),
      ])
    for (name, bytes) in [
      ("csr.npz", csr), ("csc.npz", csc), ("coords.npz", coords), ("repeated.npz", repeated),
    ] {
      let run = dense(bytes, name)
      #expect(run.values == "1.0 0.0 2.0\n0.0 0.0 3.0\n", "\(name): \(run.diagnostics)")
    }
  }

  /// Symmetric files list one triangle; a pattern's entries are 1; skew-symmetric negates;
  /// dense `array` files are column by column.
  @Test func matrixMarketVariantsLoad() {
    let cases: [(String, String)] = [
      (
        "%%MatrixMarket matrix coordinate real symmetric\n% c\n3 3 3\n1 1 4\n3 1 -2.5\n3 2 1e1\n",
        "4.0 0.0 -2.5\n0.0 0.0 10.0\n-2.5 10.0 0.0\n"
      ),
      (
        "%%MatrixMarket matrix coordinate pattern general\n2 3 2\n2 3\n1 1\n",
        "1.0 0.0 0.0\n0.0 0.0 1.0\n"
      ),
      (
        "%%MatrixMarket matrix coordinate integer skew-symmetric\n2 2 1\n2 1 3\n",
        "0.0 -3.0\n3.0 0.0\n"
      ),
      ("%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", "1.0 3.0\n2.0 4.0\n"),
      ("%%MatrixMarket matrix array real symmetric\n2 2\n1\n2\n3\n", "1.0 2.0\n2.0 3.0\n"),
    ]
    for (k, (text, expected)) in cases.enumerated() {
      let file = path("m\(k).mtx")
      _ = try? writeBytes(Array(text.utf8), to: file)
      let run = Run("x = load(\"\(file)\"); todense(x)", dtype: .f64, format: .plain)
      #expect(run.values == expected, "\(text): \(run.diagnostics)")
    }
  }

  /// Each malformed file is a diagnostic that names it, never a crash.
  @Test func malformedFilesAreDiagnostics() {
    let shape = ("shape", ints([2, 2]))
    let data = ("data", NPY.write(Tensor(shape: [2], doubles: [1, 2])))
    let cases: [(String, [UInt8], String)] = [
      (
        "nodata.npz", archive("coo", [("row", ints([0, 1])), ("col", ints([0, 1])), shape]),
        "a SciPy sparse archive without 'data'"
      ),
      (
        "outside.npz",
        archive("coo", [("row", ints([0, 2])), ("col", ints([0, 1])), shape, data]),
        "entry 1 at (2, 1) is outside the shape (2, 2)"
      ),
      (
        "indptr.npz",
        archive("csr", [("indices", ints([0, 1])), ("indptr", ints([0, 2, 1])), shape, data]),
        "its 'indptr' is not 3 ascending offsets from 0 to 2 (the entries)"
      ),
      ("bsr.npz", archive("bsr", [shape, data]), "SciPy's 'bsr' sparse format is not supported"),
      (
        "lengths.npz", archive("coo", [("row", ints([0])), ("col", ints([0, 1])), shape, data]),
        "it has 1 row indices, 2 column indices and 2 values"
      ),
      (
        "banner.mtx", Array("%%MatrixMarket matrix\n1 1 0\n".utf8),
        "its first line is not '%%MatrixMarket matrix <format> <field> <symmetry>'"
      ),
      (
        "complex.mtx", Array("%%MatrixMarket matrix coordinate complex general\n".utf8),
        "its entries are 'complex'"
      ),
      (
        "count.mtx", Array("%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n".utf8),
        "it lists 1 entries, its size line 3"
      ),
      (
        "word.mtx", Array("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 x\n".utf8),
        "line 3: 'x' is not a number"
      ),
      (
        "zero.mtx", Array("%%MatrixMarket matrix coordinate real general\n2 2 1\n0 1 1\n".utf8),
        "line 3: the entry (0, 1) is outside the 2 × 2 matrix (indices count from 1)"
      ),
      (
        "square.mtx",
        Array("%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n1 1 1\n".utf8),
        "a symmetric matrix of 2 × 3 is not square"
      ),
      (
        "huge.mtx", Array("%%MatrixMarket matrix array real general\n9223372036854775807 9\n".utf8),
        "is not a matrix's size"
      ),
    ]
    for (name, bytes, reason) in cases {
      let file = path(name)
      _ = try? writeBytes(bytes, to: file)
      let run = Run("load(\"\(file)\")")
      #expect(run.diagnostic?.message.id == "fileError(_:_:help:)", "\(name): \(run.diagnostics)")
      #expect(
        run.diagnostics.contains("cannot read '\(file)': ") && run.diagnostics.contains(reason),
        "\(name): \(run.diagnostics)")
    }
  }

  /// A sparse matrix fits .npz, .mtx, .json and text; .npy and .csv are refused with where it
  /// does fit.
  @Test func sparseMatrixRefusesDenseFormats() throws {
    for ext in ["npy", "csv"] {
      let file = path("s.\(ext)")
      let run = Run("\(Self.banded); save(\"\(file)\", jacobian(f, sparse_output=True)(x))")
      #expect(run.diagnostics.contains("a sparse matrix cannot be saved as .\(ext)"))
      #expect(run.diagnostics.contains("todense(S)"))
    }
    let file = path("s.txt")
    let run = Run(
      "save(\"\(file)\", jacobian(x -> x .* x, sparse_output=True)([1, 2]))")
    #expect(run.status == 0)
    #expect(try readText(file) == "1 1 2.0\n2 2 4.0\n")
  }
}
