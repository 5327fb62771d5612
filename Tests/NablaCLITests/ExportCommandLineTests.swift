import Foundation
import Testing

/// `--emit=stablehlo` on the command line: the last statement printed as a module, the others
/// run silently, `-o` writing the module and its arguments, refusals as errors.
@Suite struct ExportCommandLineTests {
  @Test func emitPrintsTheLastStatementAndWritesItsArguments() throws {
    let dir = try Nabla.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("m.mlir").path
    let run = try Nabla([
      "--emit=stablehlo", "-o", path, "-D", "x=[1., 2.]", "y = 2 * x; y; (sin(x), y)",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.hasPrefix("// nabla --emit=stablehlo: (sin(x), y)\n"))
    #expect(
      run.stdout.contains(
        "func.func public @main(%arg0: tensor<2xf32> {nabla.name = \"x\"}, "
          + "%arg1: tensor<2xf32> {nabla.name = \"y\"}) -> (tensor<2xf32> "
          + "{nabla.result = \"result[0]\"}, tensor<2xf32> {nabla.result = \"result[1]\"})"))
    #expect(run.stdout.contains("nabla.structure = \"(0, 1)\""))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == run.stdout)
    for k in 0..<2 {
      #expect(
        FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.arg\(k).npy").path))
    }
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.arg2.npy").path))
  }

  @Test func whatCannotBeExportedIsAnError() throws {
    let run = try Nabla(["--emit=stablehlo", "x = ones(3); save(\"x.npy\", x)"])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("error: cannot export 'save' as StableHLO"))
    let usage = try Nabla(["--emit=hlo", "1"])
    #expect(usage.status == 2)
  }

  /// `--shard N` splits each result along its largest axis N divides; it needs `--emit`.
  @Test func shardLaysOutTheModuleForNDevices() throws {
    let run = try Nabla([
      "--shard", "4", "--emit=stablehlo", "x = ones(3); jacrev(x -> x .* 2)(x), outer(ones(8), x)",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("mhlo.num_partitions = 4 : i32"))
    #expect(
      run.stdout.contains("tensor<3xf32> {nabla.name = \"x\", mhlo.sharding = \"{replicated}\"}"))
    #expect(
      run.stdout.contains(
        "tensor<3x3xf32> {nabla.result = \"result[0]\", mhlo.sharding = \"{replicated}\"}"))
    #expect(
      run.stdout.contains(
        "tensor<8x3xf32> {nabla.result = \"result[1]\", mhlo.sharding = \"{devices=[4,1]<=[4]}\"}"))
    let alone = try Nabla(["--shard", "4", "1"])
    #expect(alone.status == 2)
    #expect(alone.stderr.contains("use it with --emit=stablehlo"))
  }
}
