import Foundation
import Testing

@testable import NablaCore

/// Pictures drawn in text at 80 columns, with and without colour, against files under
/// `Fixtures/plots` that were checked by eye: axes ranges, tick labels, curve shapes, legends.
/// In the colour files the escape character is written `␛`. To redraw them after a deliberate
/// change, run with `NABLA_UPDATE_GOLDEN=1` and read the diff before committing it.
@Suite struct PlotGoldenTests {
  /// The model of the PyTorch Jacobians/Hessians tutorial, at its first size (D = 16).
  static let tutorial =
    "D = 16; W = randn(D, D); b = randn(D); x = randn(D); predict(W, b, x) = tanh(W*x + b); "

  static let cases: [(name: String, program: String)] = [
    // sin and cos on one period: both in [−1, 1]; sin rises from 0, cos starts at 1
    ("sine", "plot(sin, 0, 2*pi)"),
    // 1/x and −1/x²: a gap at the pole, the range cut to the function's, not the spikes'
    ("pole", "plot(x -> 1/x, -2, 2)"),
    // H[0] = −2y₀(1 − y₀²) W₀W₀ᵀ: rank one, so its rows are multiples of one another
    ("hessian-heatmap", tutorial + "heatmap(hessian(predict, argnums=2)(W, b, x)[0])"),
    // the second difference: tridiagonal, −2 on the diagonal and 1 beside it
    (
      "banded-spy",
      "spy(jacfwd(x -> concat(([0], x[:-1])) - 2 * x + concat((x[1:], [0])))(ones(16)))"
    ),
  ]

  /// Drawn without colour only: the larger pictures' downsampling, and NaN gaps in data.
  static let plainCases: [(name: String, program: String)] = [
    ("large-spy", "spy(jacfwd(x -> x[2:] - 2 * x[1:-1] + x[:-2])(ones(300)))"),
    ("data-gap", "plot([1, 3, 2, nan, 4, 5])"),
    ("sqrt", "plot(sqrt, -1, 4, order=2)"),
  ]

  static let directory =
    "/" + #filePath.split(separator: "/").dropLast(2).joined(separator: "/") + "/Fixtures/plots"

  static func drawn(_ program: String, color: Bool) -> Run {
    Run(program, seed: 0) { $0.picture = PictureOptions(columns: 80, color: color) }
  }

  static func check(_ name: String, _ program: String, color: Bool) throws {
    let run = drawn(program, color: color)
    #expect(run.status == 0, "\(run.diagnostics)")
    let text = run.values.replacingOccurrences(of: "\u{1B}", with: "␛")
    let path = directory + "/" + name + (color ? ".color" : "") + ".txt"
    if ProcessInfo.processInfo.environment["NABLA_UPDATE_GOLDEN"] == "1" {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text == expected, "\(name): got\n\(text)")
  }

  @Test(arguments: cases.map(\.name))
  func withoutColour(_ name: String) throws {
    guard let c = Self.cases.first(where: { $0.name == name }) else { return }
    try Self.check(c.name, c.program, color: false)
  }

  @Test(arguments: cases.map(\.name))
  func withColour(_ name: String) throws {
    guard let c = Self.cases.first(where: { $0.name == name }) else { return }
    try Self.check(c.name, c.program, color: true)
  }

  @Test(arguments: plainCases.map(\.name))
  func more(_ name: String) throws {
    guard let c = Self.plainCases.first(where: { $0.name == name }) else { return }
    try Self.check(c.name, c.program, color: false)
  }

  /// With and without colour, curves and patterns differ only in the escapes (a heat map's
  /// cells are shades without colour).
  @Test(arguments: cases.map(\.name).filter { $0 != "hessian-heatmap" })
  func colourOnlyAddsEscapes(_ name: String) throws {
    guard let c = Self.cases.first(where: { $0.name == name }) else { return }
    let coloured = Self.drawn(c.program, color: true).values
    let plain = Self.drawn(c.program, color: false).values
    #expect(coloured.contains("\u{1B}["))
    #expect(Self.strippingEscapes(coloured) == plain)
  }

  static func strippingEscapes(_ s: String) -> String {
    var out = ""
    var inEscape = false
    for c in s.unicodeScalars {
      if inEscape {
        if c == "m" { inEscape = false }
      } else if c == "\u{1B}" {
        inEscape = true
      } else {
        out.unicodeScalars.append(c)
      }
    }
    return out
  }
}
