import Testing

@testable import NablaCore

/// `.npy`, `.npz`, JSON and text files.
@Suite struct FileFormatTests {
  @Test(arguments: [DType.f32, .f64]) func npyRoundTrips(_ dtype: DType) throws {
    let t = Tensor(shape: [2, 3], values: [1, -2.5, .infinity, .nan, 0, 1e-30], dtype: dtype)
    let back = try NPY.read(NPY.write(t))
    #expect(back.shape == t.shape)
    #expect(back.dtype == dtype)
    #expect(zip(back.doubles, t.doubles).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    #expect(NPY.write(t).count % 64 == (dtype.byteSize * 6) % 64)  // the header is padded to 64
  }

  @Test func npyReadsBigEndianAndScalars() throws {
    let be =
      NPY.header(descr: ">f8", shape: "(2,)") + [
        0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0,
      ]
    #expect(try NPY.read(be).doubles == [1, -2])
    let bef = NPY.header(descr: ">f4", shape: "()") + [0x3F, 0xC0, 0, 0]
    let scalar = try NPY.read(bef)
    #expect(scalar.shape == [])
    #expect(scalar.doubles == [1.5])
  }

  @Test func npzIsAZipOfNpyFiles() throws {
    let bytes = NPZ.write([Tensor(shape: [1], floats: [1]), Tensor(shape: [2], doubles: [2, 3])])
    #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
    #expect(Array(bytes.suffix(22).prefix(4)) == [0x50, 0x4B, 0x05, 0x06])
    #expect(NPZ.crc32(Array("123456789".utf8)) == 0xCBF4_3926)  // the CRC-32 check value
  }

  @Test func jsonOutputReadsBack() throws {
    for (program, dtype) in [("[[1.5, nan], [inf, -0.25]]", DType.f32), ("randn(3, 2)", .f64)] {
      let run = Run(program, dtype: dtype, format: .json, seed: 0)
      let value = try TensorReader.fromJSON(
        try JSONReader.parse(Array(run.values.utf8)), defaultDType: .f32)
      guard case .tensor(let back) = value, case .tensor(let original)? = run.value else {
        Issue.record("not a tensor: \(run.values)")
        continue
      }
      #expect(back.type == original.type)
      #expect(zip(back.doubles, original.doubles).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }
  }

  @Test func textFollowsLoadtxt() throws {
    #expect(try TensorReader.fromText("1 2 3\n4 5 6\n", dtype: .f32).shape == [2, 3])
    #expect(try TensorReader.fromText("1\n2\n3\n", dtype: .f32).shape == [3])
    #expect(try TensorReader.fromText("1,2,3", dtype: .f32).shape == [3])
    #expect(try TensorReader.fromText("# header\n42\n", dtype: .f32).shape == [])
    #expect(throws: TensorReader.FormatError.self) {
      try TensorReader.fromText("\n# nothing\n", dtype: .f32)
    }
  }

  /// `skiprows` skips a header; `delimiter` splits on it alone (a semicolon CSV, empty fields
  /// are errors), as numpy.loadtxt does.
  @Test func textTakesAHeaderAndADelimiter() throws {
    let csv = "time;value\n0; 1.5\n1;-2\n"
    let t = try TensorReader.fromText(csv, dtype: .f64, skipRows: 1, delimiter: ";")
    #expect(t.shape == [2, 2] && t.doubles == [0, 1.5, 1, -2])
    #expect(throws: TensorReader.FormatError.self) {
      try TensorReader.fromText(csv, dtype: .f64)  // the header is not numbers
    }
    #expect(throws: TensorReader.FormatError.self) {
      try TensorReader.fromText("1;;2\n", dtype: .f64, delimiter: ";")
    }
  }

  @Test func plainFormatIsOneRowPerLine() {
    #expect(
      Run("reshape(arange(8), 2, 2, 2)", format: .plain).values
        == "0.0 1.0\n2.0 3.0\n\n4.0 5.0\n6.0 7.0\n")
    #expect(Run("[0.1, 2]", format: .plain).values == "0.1 2.0\n")
  }
}
