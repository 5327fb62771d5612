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
      try printed("printoptions(threshold=5, edgeitems=1); arange(7)") == "tensor([0.,  ..., 6.])\n"
    )
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
