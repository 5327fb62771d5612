import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import NablaCore

/// SVG files parsed back with Foundation's XMLParser: well-formed, curves with the points and
/// ranges they should have, heat map and sparsity pattern cells where the matrix puts them.
@Suite struct SVGTests {
  /// The elements of a document, in order, with their attributes and text.
  final class Elements: NSObject, XMLParserDelegate {
    var items: [(name: String, attributes: [String: String], text: String)] = []

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String]
    ) {
      items.append((name, attributes, ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      guard !items.isEmpty else { return }
      items[items.count - 1].text += string
    }

    func named(_ name: String) -> [[String: String]] {
      items.filter { $0.name == name }.map(\.attributes)
    }

    var texts: [String] {
      items.filter { $0.name == "text" }.map {
        $0.text.trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
  }

  /// The SVG of the figure `program` computes, parsed; the test fails on malformed XML.
  static func parsed(_ program: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> (Elements, String)
  {
    let run = Run(program, seed: 0)
    guard case .figure(let figure)? = run.value, let svg = FigureSVG.render(figure) else {
      Issue.record("no figure: \(run.diagnostics)", sourceLocation: sourceLocation)
      throw Run.Failure()
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let elements = Elements()
    parser.delegate = elements
    #expect(
      parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    #expect(elements.items.first?.name == "svg", sourceLocation: sourceLocation)
    return (elements, svg)
  }

  static func points(_ polyline: [String: String]) -> [(Double, Double)] {
    (polyline["points"] ?? "").split(separator: " ").compactMap { pair in
      let xy = pair.split(separator: ",").compactMap { Double($0) }
      return xy.count == 2 ? (xy[0], xy[1]) : nil
    }
  }

  /// The plot area: the frame, the last rectangle drawn without fill.
  static func frame(_ e: Elements) -> (x: Double, y: Double, w: Double, h: Double)? {
    guard let r = e.named("rect").last(where: { $0["fill"] == "none" }),
      let x = r["x"].flatMap(Double.init), let y = r["y"].flatMap(Double.init),
      let w = r["width"].flatMap(Double.init), let h = r["height"].flatMap(Double.init)
    else { return nil }
    return (x, y, w, h)
  }

  @Test func sineAndItsDerivative() throws {
    let (e, _) = try Self.parsed("plot(sin, 0, 2*pi, samples=200)")
    let root = try #require(e.named("svg").first)
    #expect(root["width"] == "640" && root["height"] == "400")
    #expect(root["xmlns"] == "http://www.w3.org/2000/svg")
    let frame = try #require(Self.frame(e))
    for k in 0..<2 {
      let lines = e.named("polyline").filter { $0["class"] == "curve\(k)" }
      #expect(lines.count == 1, "curve \(k) is one piece")
      let p = Self.points(try #require(lines.first))
      #expect(p.count == 200, "one point per sample")
      // abscissae from the left of the frame to its right, in order
      #expect(abs((p.first?.0 ?? 0) - frame.x) < 0.06)
      #expect(abs((p.last?.0 ?? 0) - (frame.x + frame.w)) < 0.06)
      #expect(zip(p, p.dropFirst()).allSatisfy { $0.0 < $1.0 })
      // both curves span [−1, 1], the frame's height (y grows downwards)
      let ys = p.map(\.1)
      #expect(abs((ys.min() ?? 0) - frame.y) < 0.2)
      #expect(abs((ys.max() ?? 0) - (frame.y + frame.h)) < 0.2)
    }
    // sin starts at 0 (the middle), cos at 1 (the top)
    let sin = Self.points(try #require(e.named("polyline").first { $0["class"] == "curve0" }))
    let cos = Self.points(try #require(e.named("polyline").first { $0["class"] == "curve1" }))
    #expect(abs(sin[0].1 - (frame.y + frame.h / 2)) < 0.06)
    #expect(abs(cos[0].1 - frame.y) < 0.06)
    #expect(e.named("polyline").first { $0["class"] == "curve1" }?["stroke-dasharray"] != nil)
    #expect(e.texts.contains("sin(x)"))
    #expect(e.texts.contains("sin′(x) = cos(x)"))
    for label in ["0", "1", "2", "3", "4", "5", "6", "-1.0", "-0.5", "0.0", "0.5", "1.0"] {
      #expect(e.texts.contains(label), "tick label \(label)")
    }
  }

  @Test func aPoleBreaksTheCurveAndEverythingStaysInTheFrame() throws {
    let (e, _) = try Self.parsed("plot(x -> 1/x, -2, 2)")
    let frame = try #require(Self.frame(e))
    let pieces = e.named("polyline").filter { $0["class"] == "curve0" }
    #expect(pieces.count == 2)
    for line in e.named("polyline") {
      for (x, y) in Self.points(line) {
        #expect(x >= frame.x - 0.06 && x <= frame.x + frame.w + 0.06)
        #expect(y >= frame.y - 0.06 && y <= frame.y + frame.h + 0.06)
      }
    }
  }

  @Test func gapsAtNaNAndLonePointsAsDots() throws {
    let (e, _) = try Self.parsed("plot([1, 2, nan, 4, 5])")
    #expect(e.named("polyline").map { Self.points($0).count } == [2, 2])
    let (lone, _) = try Self.parsed("plot([1, nan, 3, nan, 5])")
    #expect(lone.named("polyline").isEmpty)
    #expect(lone.named("circle").count == 3)
  }

  @Test func labelsAreEscaped() throws {
    let (e, svg) = try Self.parsed("t = [1, 2, 3]; plot(t, t < 2)")
    #expect(svg.contains("t &lt; 2"))
    #expect(e.texts.contains("t < 2"))
  }

  @Test func aHundredThousandPointsAreThinned() throws {
    let (e, _) = try Self.parsed(
      "seed(0); x = linspace(0, 10, 100000); plot(x, sin(x) + 0.1 * randn(100000))")
    let frame = try #require(Self.frame(e))
    let p = e.named("polyline").flatMap(Self.points)
    #expect(p.count > 100 && p.count <= 4 * Int(frame.w) + 4)
  }

  @Test func heatmapCellsAndScale() throws {
    let (e, _) = try Self.parsed("heatmap([[1, 0, -2], [0, 0.5, 0]])")
    // one rectangle per run of a colour in a row: (1), (0), (−2); (0), (0.5), (0)
    let cells = e.named("rect").filter {
      $0["fill"]?.hasPrefix("#") == true && $0["fill"] != "#ffffff"
    }
    let fills = cells.compactMap { $0["fill"] }
    #expect(fills.count == 6)
    #expect(fills[2] == "#2166ac", "−2 is the most negative: the end of the blue side")
    #expect(fills[1] == "#f7f7f7", "0 is the middle of the scale")
    #expect(e.named("linearGradient").count == 1)
    for label in ["2", "1", "0", "-1", "-2"] { #expect(e.texts.contains(label)) }
  }

  @Test func spySquaresAreTheNonZeros() throws {
    let (e, _) = try Self.parsed(
      "spy(jacfwd(x -> concat(([0], x[:-1])) - 2 * x + concat((x[1:], [0])))(ones(16)))")
    let squares = e.named("rect").filter { $0["class"] == "nz" }
    #expect(squares.count == 46)
    #expect(squares.filter { $0["fill"] == "#1f77b4" }.count == 16, "the diagonal's −2")
    #expect(e.texts.contains("nz = 46 of 256 (density 18%)"))
  }

  @Test func saveWritesTheFileByItsExtension() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nabla-\(UUID().uuidString).svg"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = Run("save(\"\(path)\", plot(sin, 0, 1))")
    #expect(run.status == 0, "\(run.diagnostics)")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("<?xml") && text.hasSuffix("</svg>\n"))
    let refused = Run("save(\"\(path)\", ones(3))")
    #expect(refused.status == 1)
    #expect(refused.diagnostics.contains("only a plot, heatmap or spy can be saved as .svg"))
    let png = Run("save(\"/tmp/nabla-never-written.png\", spy(eye(2)))")
    #expect(png.status == 1)
    #expect(png.diagnostics.contains("pictures are written as .svg, not .png"))
  }
}
