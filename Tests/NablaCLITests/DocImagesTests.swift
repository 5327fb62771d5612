import Foundation
import Testing

/// The SVG files under `docs/images` are what the built binary writes for the examples of
/// docs/plots.md, so the pictures in the documentation cannot go stale. To write them again
/// after a deliberate change, run with `NABLA_UPDATE_GOLDEN=1` and look at them.
@Suite struct DocImagesTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let tutorial =
    "D = 16; W = randn(D, D); b = randn(D); x = randn(D); predict(W, b, x) = tanh(W*x + b); "

  /// Each image, and the program whose value it is (run with `--seed 0`).
  static let images: [(file: String, program: String)] = [
    ("sine.svg", "plot(sin, 0, 2*pi)"),
    ("cubic.svg", "f(x) = x^3 - 2*x; plot(f, -2, 2, order=2)"),
    ("activations.svg", "plot((tanh, sigmoid), -4, 4)"),
    ("pole.svg", "plot(x -> 1/x, -2, 2)"),
    ("data.svg", "t = linspace(0, 10, 200); plot(t, (sin(t), exp(-t/3)))"),
    ("hessian.svg", tutorial + "heatmap(hessian(predict, argnums=2)(W, b, x)[0])"),
    ("spy.svg", "spy(jacfwd(x -> concat(([0], x[:-1])) - 2 * x + concat((x[1:], [0])))(ones(16)))"),
  ]

  @Test(arguments: images.map(\.file))
  func imageIsWhatTheExampleWrites(_ file: String) throws {
    guard let image = Self.images.first(where: { $0.file == file }) else { return }
    let directory = try Nabla.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let written = directory.appendingPathComponent(file)
    let run = try Nabla(["--seed", "0", "-o", written.path, image.program])
    #expect(run.status == 0, "\(run.stderr)")
    let text = try String(contentsOf: written, encoding: .utf8)
    let committed = Self.root.appendingPathComponent("docs/images/" + file)
    if ProcessInfo.processInfo.environment["NABLA_UPDATE_GOLDEN"] == "1" {
      try text.write(to: committed, atomically: true, encoding: .utf8)
      return
    }
    #expect(
      (try? String(contentsOf: committed, encoding: .utf8)) == text,
      "docs/images/\(file) differs from what '\(image.program)' writes")
  }
}
