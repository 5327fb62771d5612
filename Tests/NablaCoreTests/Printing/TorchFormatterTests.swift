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
