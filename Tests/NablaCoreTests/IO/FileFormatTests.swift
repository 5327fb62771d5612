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
        == "0 1\n2 3\n\n4 5\n6 7\n")
    #expect(Run("reshape(arange(0, 4.), 2, 2)", format: .plain).values == "0.0 1.0\n2.0 3.0\n")
    #expect(Run("[0.1, 2]", format: .plain).values == "0.1 2.0\n")
  }
}

/// int64 and bool tensors in every file format: `.npy` element types `<i8` and `|b1` (any
/// integer type read as int64, within 2⁵³), JSON `"int64"`/`"bool"` with integer and
/// `true`/`false` data, and plain text or CSV of whole numbers and 1/0.
@Suite struct ExactKindFileTests {
  func tensor(_ values: [Double], _ shape: [Int], _ kind: ElementKind) -> Tensor {
    var t = Tensor(shape: shape, doubles: values)
    t.kind = kind
    return t
  }

  /// The element type a `.npy` header names.
  func descr(_ bytes: [UInt8]) throws -> String { try NPY.header(bytes).0 }

  @Test func npyWritesInt64AndBoolAndReadsThemBack() throws {
    let integers = tensor([-9_007_199_254_740_992, 0, 7, 9_007_199_254_740_992], [2, 2], .integer)
    let written = NPY.write(integers)
    #expect(try descr(written) == "<i8")
    let back = try NPY.read(written)
    #expect(back.kind == .integer && back.dtype == .f64 && back.shape == [2, 2])
    #expect(back.doubles == integers.doubles)
    let truths = tensor([1, 0, 1], [3], .boolean)
    let bits = NPY.write(truths)
    #expect(try descr(bits) == "|b1" && Array(bits.suffix(3)) == [1, 0, 1])
    let truthsBack = try NPY.read(bits, defaultDType: .f64)
    #expect(truthsBack.kind == .boolean && truthsBack.dtype == .f64)
    #expect(truthsBack.doubles == [1, 0, 1])
  }

  @Test func npyReadsEveryIntegerTypeInEitherByteOrder() throws {
    // -2 in each signed type, 200 in each unsigned one
    let cases: [(String, [UInt8], Double)] = [
      ("|i1", [0xFE], -2), ("<i2", [0xFE, 0xFF], -2), (">i2", [0xFF, 0xFE], -2),
      ("<i4", [0xFE, 0xFF, 0xFF, 0xFF], -2), (">i4", [0xFF, 0xFF, 0xFF, 0xFE], -2),
      (">i8", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE], -2),
      ("|u1", [200], 200), (">u2", [0, 200], 200), ("<u4", [200, 0, 0, 0], 200),
      ("<u8", [200, 0, 0, 0, 0, 0, 0, 0], 200),
    ]
    for (type, bytes, value) in cases {
      let t = try NPY.read(NPY.header(descr: type, shape: []) + bytes)
      #expect(t.kind == .integer && t.doubles == [value], "\(type)")
    }
  }

  @Test func integersBeyondTwoToThe53AreRefused() throws {
    let limit = 9_007_199_254_740_992
    #expect(try NPY.read(NPY.write(integers: [-limit, limit], shape: [2])).kind == .integer)
    for (bytes, text) in [
      (NPY.write(integers: [1, limit + 1], shape: [2]), "element 1 is 9007199254740993"),
      (NPY.write(integers: [-limit - 1], shape: [1]), "element 0 is -9007199254740993"),
      (
        NPY.header(descr: "<u8", shape: [1]) + Array(repeating: 0xFF, count: 8),
        "element 0 is 18446744073709551615"
      ),
    ] {
      do {
        _ = try NPY.read(bytes)
        Issue.record("\(text) was read")
      } catch {
        #expect(error.reason.hasPrefix(text) && error.reason.contains("2^53"), "\(error.reason)")
      }
    }
  }

  @Test func npzMembersKeepTheirKinds() throws {
    let archive = NPZ.write([
      tensor([1, 2], [2], .integer), tensor([0, 1], [2], .boolean),
      Tensor(shape: [1], floats: [0.5]),
    ])
    let back = try NPZ.read(archive)
    #expect(back.map(\.kind) == [.integer, .boolean, .float])
    #expect(back.map(\.doubles) == [[1, 2], [0, 1], [0.5]])
  }

  @Test func jsonWritesIntegersAndTruthValuesAndReadsThemBack() throws {
    let integers = tensor([1, -2, 9_007_199_254_740_992], [3], .integer)
    let text = ValueFormatter.json(.tensor(integers))
    #expect(text == #"{"dtype":"int64","shape":[3],"data":[1,-2,9007199254740992]}"#)
    let truths = tensor([1, 0, 0, 1], [2, 2], .boolean)
    let bools = ValueFormatter.json(.tensor(truths))
    #expect(bools == #"{"dtype":"bool","shape":[2,2],"data":[[true,false],[false,true]]}"#)
    for (json, expected) in [(text, integers), (bools, truths)] {
      guard
        case .tensor(let back) = try TensorReader.fromJSON(
          try JSONReader.parse(Array(json.utf8)), defaultDType: .f32)
      else {
        Issue.record("not a tensor: \(json)")
        continue
      }
      #expect(back.kind == expected.kind && back.shape == expected.shape)
      #expect(back.doubles == expected.doubles)
    }
    // bare data of true and false are bool; an int64 document's data must be integers
    guard
      case .tensor(let bare) = try TensorReader.fromJSON(
        try JSONReader.parse(Array("[true, false]".utf8)), defaultDType: .f32)
    else { return }
    #expect(bare.kind == .boolean && bare.doubles == [1, 0])
    #expect(throws: TensorReader.FormatError.self) {
      try TensorReader.fromJSON(
        try JSONReader.parse(Array(#"{"dtype":"int64","data":[1.5]}"#.utf8)), defaultDType: .f32)
    }
    #expect(throws: TensorReader.FormatError.self) {
      try TensorReader.fromJSON(
        try JSONReader.parse(Array(#"{"dtype":"int64","data":[1e16]}"#.utf8)), defaultDType: .f32)
    }
  }

  @Test func plainTextHasWholeNumbersAndOnesAndZeros() throws {
    let integers = tensor([1, -20, 3, 40], [2, 2], .integer)
    #expect(ValueFormatter.plain(.tensor(integers)) == "1 -20\n3 40")
    #expect(ValueFormatter.plain(.tensor(integers), separator: ",") == "1,-20\n3,40")
    #expect(ValueFormatter.plain(.tensor(tensor([1, 0], [2], .boolean))) == "1 0")
    #expect(ValueFormatter.shortText(.tensor(tensor([5], [], .integer))) == "5")
    #expect(ValueFormatter.shortText(.tensor(tensor([1], [], .boolean))) == "True")
  }

  @Test func savingAnInt64TensorThatInt64CannotHoldIsRefused() throws {
    let path = "/tmp/nabla-exact-kind-\(UInt32.random(in: 0...UInt32.max)).npy"
    do {
      try FileIO.save(.tensor(tensor([1, 0.5], [2], .integer)), to: path, range: nil)
      Issue.record("saved")
    } catch {
      #expect(error.message.text.contains("element 1 is 0.5, which int64 cannot hold"))
    }
  }
}
