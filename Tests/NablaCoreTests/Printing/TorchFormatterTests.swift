import Testing

@testable import NablaCore

/// Every tensor PyTorch printed in `Fixtures/torch-print` (NumPy wrote the `.npy`, PyTorch the
/// `.txt`), read with nabla's `.npy` reader and printed with nabla's `pretty` format.
@Suite struct TorchFormatterTests {
  static let directory: String = {
    let here = #filePath.split(separator: "/").dropLast(2).joined(separator: "/")
    return "/" + here + "/Fixtures/torch-print"
  }()

  static let names: [String] = {
    guard let listing = try? readText(directory + "/INDEX"), !listing.isEmpty else { return [] }
    return listing.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }()

  @Test func fixtureIndexListsEveryFixture() {
    #expect(Self.names.count == 36)
  }

  @Test(arguments: names) func printsWhatPyTorchPrinted(_ name: String) throws {
    let tensor = try NPY.read(try readBytes(Self.directory + "/\(name).npy"))
    var expected = try readText(Self.directory + "/\(name).txt")
    while expected.hasSuffix("\n") { expected.removeLast() }
    #expect(TorchFormatter.string(tensor) == expected)
  }

  @Test func float64IsTheDefaultDTypeWithDtypeF64() {
    let t = Tensor(shape: [2], doubles: [1.5, 2])
    #expect(TorchFormatter.string(t, defaultDType: .f64) == "tensor([1.5000, 2.0000])")
    #expect(TorchFormatter.string(t) == "tensor([1.5000, 2.0000], dtype=torch.float64)")
  }
}

/// Every int64, bool and mixed-tuple case PyTorch printed in `Fixtures/torch-print-kinds`
/// (written by `scripts/torch-print-fixtures`): NumPy saved the `.npy` (a tuple's arrays in
/// a `.npz`), PyTorch printed the `.txt` with the print options `INDEX` gives. nabla reads the
/// file (int8 to uint64 as int64, bool as bool) and must print the same bytes.
@Suite struct TorchKindFixtureTests {
  static let directory: String = {
    let here = #filePath.split(separator: "/").dropLast(2).joined(separator: "/")
    return "/" + here + "/Fixtures/torch-print-kinds"
  }()

  /// Each case's name and its print options (`threshold=5`, `default_dtype=float64`).
  static let cases: [(name: String, options: [String])] = {
    guard let listing = try? readText(directory + "/INDEX") else { return [] }
    return listing.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ").map(String.init)
      guard let name = fields.first, !name.hasPrefix("#") else { return nil }
      return (name, Array(fields.dropFirst()))
    }
  }()

  @Test func fixtureIndexListsEveryFixture() {
    #expect(Self.cases.count >= 40)
  }

  @Test(arguments: cases.map(\.name)) func printsWhatPyTorchPrinted(_ name: String) throws {
    var options = PrintOptions()
    var defaultDType = DType.f32
    for option in Self.cases.first(where: { $0.name == name })?.options ?? [] {
      let parts = option.split(separator: "=").map(String.init)
      let (key, value) = (parts.first ?? "", parts.last ?? "")
      switch key {
      case "threshold": options.threshold = try #require(Int(value))
      case "edgeitems": options.edgeItems = try #require(Int(value))
      case "linewidth": options.lineWidth = try #require(Int(value))
      case "precision": options.precision = try #require(Int(value))
      case "sci_mode": options.sciMode = value == "True"
      case "default_dtype": defaultDType = try #require(DType(name: value))
      default: Issue.record("unknown print option \(option)")
      }
    }
    let path = Self.directory + "/" + name
    let value: Value
    if let archive = try? readBytes(path + ".npz") {
      value = .tuple(try NPZ.read(archive, defaultDType: defaultDType).map(Value.tensor))
    } else {
      value = .tensor(try NPY.read(try readBytes(path + ".npy"), defaultDType: defaultDType))
    }
    var expected = try readText(path + ".txt")
    while expected.hasSuffix("\n") { expected.removeLast() }
    #expect(ValueFormatter.pretty(value, defaultDType, options) == expected)
  }

  @Test func integerAndBoolFilesLoadWithTheirKinds() throws {
    let integers = try NPY.read(try readBytes(Self.directory + "/03_vec3.npy"))
    #expect(integers.kind == .integer && integers.dtype == .f64 && integers.doubles == [1, 2, 3])
    let truths = try NPY.read(try readBytes(Self.directory + "/27_bool_vec.npy"))
    #expect(truths.kind == .boolean && truths.doubles == [1, 0, 1])
    let unsigned = try NPY.read(try readBytes(Self.directory + "/44_uint64.npy"))
    #expect(unsigned.kind == .integer && unsigned.doubles == [9_007_199_254_740_992, 3])
  }

  @Test func formatterDecidesFromTheKind() {
    var t = Tensor(shape: [3], doubles: [-1, 0, 250])
    #expect(TorchFormatter.string(t) == "tensor([ -1.,   0., 250.], dtype=torch.float64)")
    t.kind = .integer
    #expect(TorchFormatter.string(t) == "tensor([ -1,   0, 250])")
    t.kind = .boolean
    #expect(TorchFormatter.string(t) == "tensor([ True, False,  True])")
    var empty = Tensor(shape: [0], floats: [])
    empty.kind = .integer
    #expect(TorchFormatter.string(empty, defaultDType: .f64) == "tensor([], dtype=torch.int64)")
    // no edge items: the size is shown, for floats too (PyTorch 2.15)
    var options = PrintOptions()
    options.edgeItems = 0
    #expect(
      TorchFormatter.string(Tensor(shape: [3], floats: [1.5, 2, 3]), options: options)
        == "tensor([1.5000, 2.0000, 3.0000], size=(3,))")
    options.threshold = 2
    #expect(
      TorchFormatter.string(Tensor(shape: [3], floats: [1.5, 2, 3]), options: options)
        == "tensor([...], size=(3,))")
  }
}

/// `printoptions`, following `torch.set_printoptions` and `torch/_tensor_str.py`: the digits of
/// fixed and scientific notation, the line width elements are packed into, summarising by
/// threshold and edge items, the profiles, and a forced `sci_mode`, which (as in PyTorch)
/// applies after the common width was measured in the mode the values chose.
@Suite struct PrintOptionsTests {
  func printed(_ program: String) throws -> String {
    let session = Session()
    var text = ""
    session.output = { stream, s in if stream == .values { text += s } }
    #expect(session.run(SourceFile(name: "<test>", text: program), keepGoing: false) == 0)
    return text
  }

  @Test func optionsChangeHowTensorsPrint() throws {
    // √2 in float32 is 1.41421353816986083984375
    #expect(try printed("printoptions(precision=8); sqrt(2)") == "tensor(1.41421354)\n")
    #expect(try printed("printoptions(precision=2); [1e-5, 1]") == "tensor([1.00e-05, 1.00e+00])\n")
    #expect(
      try printed("printoptions(threshold=5, edgeitems=1); arange(7)") == "tensor([0,  ..., 6])\n"
    )
    #expect(
      try printed("printoptions(threshold=5, edgeitems=1); arange(0, 7.)")
        == "tensor([0.,  ..., 6.])\n")
    #expect(
      try printed("printoptions(sci_mode=True); [1.5, 2]") == "tensor([1.5000e+00, 2.0000e+00])\n")
    #expect(
      try printed("printoptions(sci_mode=False); [1e-5, 1]") == "tensor([    0.0000,     1.0000])\n"
    )
    #expect(
      try printed("printoptions(profile=\"short\"); [1.23456, 2]") == "tensor([1.23, 2.00])\n")
    // 20 elements of width 6 at line width 120: (120 − 7) / 8 = 14 on the first line
    let wide = try printed("printoptions(linewidth=120); linspace(0, 1, 20)")
    #expect(wide.split(separator: "\n").first?.split(separator: ",").count == 14)
    #expect(
      try printed("printoptions(precision=2); printoptions(profile=\"default\"); sqrt(2)")
        == "tensor(1.4142)\n")
  }
}
