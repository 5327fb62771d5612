import Foundation
import Testing

/// `--max-memory` bounds the process: the peak resident memory of a run stays within the limit
/// plus ``allowance`` (the process itself and allocator slack, docs/command-line.md), and a
/// refusal says where, what dominates and what would fit.
@Suite struct MemoryLimitTests {
  /// The documented allowance beyond `--max-memory`: 24 MiB.
  static let allowance = 24 << 20

  /// A Jacobian whose rows pass through a 10 × 1000 × 1000 intermediate (the example).
  static let jacobian =
    "x = linspace(0,1,1000); J = jacrev(x -> sum(tanh(outer(x,x)),dim=0)[0:10])(x); sum(J)"
  /// A Hessian of 3000 × 3000 (34.3 MiB) computed densely: slices are written into their
  /// place in it.
  static let hessian =
    "x = linspace(0,1,3000); H = hessian(x -> sum(sin(x)), sparse=False)(x); sum(H)"
  /// The same Hessian by colouring (its pattern is diagonal): one product, then the output.
  static let sparseHessian = "x = linspace(0,1,3000); H = hessian(x -> sum(sin(x)))(x); sum(H)"

  /// GNU time, which forks `nabla` from a small process: the child's `ru_maxrss` is then its
  /// own. (Spawned from the test process, with `posix_spawn`'s shared address space, Linux
  /// carries the test process's high-water mark into the child's `ru_maxrss` across `exec`.)
  static let time = "/usr/bin/time"
  static let hasTime = FileManager.default.isExecutableFile(atPath: time)

  /// Runs `nabla` under GNU time: its exit status and peak resident set size in bytes.
  func peakResident(_ arguments: [String]) throws -> (status: Int32, bytes: Int) {
    let directory = try Nabla.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("rss").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.time)
    process.arguments = ["-f", "%M", "-o", report, Nabla.executable] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let text = try String(contentsOfFile: report, encoding: .utf8)
    let kilobytes = try #require(
      text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
    return (process.terminationStatus, kilobytes * 1024)
  }

  @Test(
    .enabled(if: hasTime, "needs GNU time (/usr/bin/time)"),
    arguments: [
      (jacobian, "24M"), (jacobian, "120M"), (hessian, "48M"), (hessian, "41M"),
      (sparseHessian, "36M"),
    ])
  func residentMemoryStaysWithinTheLimit(program: String, limit: String) throws {
    let (status, bytes) = try peakResident(["--max-memory", limit, program])
    #expect(status == 0)
    let bound = (ByteCountText.parse(limit) ?? 0) + Self.allowance
    #expect(bytes <= bound, "peak resident \(bytes) B, over \(limit) + 24 MiB")
  }

  /// Under the output's size, the refusal points at the Hessian, names the output as what
  /// dominates, says slicing was tried and suggests a limit, and that limit runs.
  @Test func refusalSaysWhatDominatesAndWhatWouldFit() throws {
    let run = try Nabla(["--max-memory", "20M", Self.hessian])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("<program>:1:29: error: this needs "), "\(run.stderr)")
    #expect(run.stderr.contains("most of it the output (34.3 MiB)"), "\(run.stderr)")
    #expect(run.stderr.contains("in slices of at most 5.0 MiB"), "\(run.stderr)")
    #expect(run.stderr.contains("the output alone needs 34.3 MiB, more than the limit"))
    let suggested = try #require(run.stderr.firstMatch(of: /--max-memory (\d+M) would fit/))
    let fitted = try Nabla(["--max-memory", String(suggested.1), Self.hessian])
    #expect(fitted.status == 0, "\(fitted.stderr)")
  }

  /// Intermediates dominate a plan whose output is small.
  @Test func refusalNamesIntermediates() throws {
    let run = try Nabla(["--max-memory", "2M", "x = randn(1000); sum(outer(x, x) .* outer(x, x)')"])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("<program>:1:"), "\(run.stderr)")
    #expect(run.stderr.contains("most of it intermediates"), "\(run.stderr)")
  }
}

/// `--max-memory`'s values (`24M`), as the option reads them.
enum ByteCountText {
  static func parse(_ text: String) -> Int? {
    guard let last = text.last, let n = Int(text.dropLast()) else { return Int(text) }
    let shift = ["K": 10, "M": 20, "G": 30][String(last)]
    return shift.map { n << $0 }
  }
}
