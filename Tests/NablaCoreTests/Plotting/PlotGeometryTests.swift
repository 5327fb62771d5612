import Foundation
import Testing

@testable import NablaCore

/// The pieces pictures are built from: round ticks, the range shown, clipping and breaking
/// curves, the braille canvas, the diverging scale and downsampling.
@Suite struct PlotGeometryTests {
  @Test func ticksAreRoundNumbers() {
    #expect(Ticks.step(span: 6.28, target: 8) == 1)
    #expect(Ticks.step(span: 2, target: 4) == 0.5)
    #expect(Ticks.step(span: 0.03, target: 3) == 0.01)
    #expect(Ticks.step(span: 1300, target: 5) == 200)
    let t = Ticks.inside(0...6.283, target: 8)
    #expect(t.values == [0, 1, 2, 3, 4, 5, 6])
    #expect(t.values.map(t.label) == ["0", "1", "2", "3", "4", "5", "6"])
    let (range, covering) = Ticks.covering(-0.9999...0.9998, target: 5)
    #expect(range == -1...1)
    #expect(covering.values.map(covering.label) == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
  }

  @Test func tickLabelsOfLargeAndSmallNumbers() {
    let big = Ticks.inside(0...1e6, target: 5)
    #expect(big.values.map(big.label) == ["0", "2e5", "4e5", "6e5", "8e5", "1e6"])
    let small = Ticks.inside(0...5e-5, target: 5)
    #expect(small.values.map(small.label).last == "5e-5")
    #expect(Ticks.inside(-1e308...1e308, target: 4).values.count >= 3, "wider than a double")
    #expect(
      Ticks.inside(0...(Double.leastNonzeroMagnitude * 2024), target: 5).values.map { $0.sign }
        .allSatisfy { $0 == .plus })
    #expect(Ticks.compact(-0.92541) == "-0.9254")
    #expect(Ticks.compact(1.5e6) == "1.5e6")
    #expect(Ticks.compact(.nan) == "nan")
  }

  @Test func theRangeLeavesOutSpikesBesidePolesOnly() {
    let x = (0..<200).map { -2 + 4 * (Double($0) + 0.5) / 200 }
    // 1/x: the samples next to 0 reach ±400; the range keeps the hyperbola
    let r = AutoRange.of([x.map { 1 / $0 }], trimsSpikes: true)
    #expect(r.map { $0.upperBound < 30 && $0.lowerBound > -30 } == true, "\(String(describing: r))")
    // exp grows to the end of the interval: shown whole
    let e = (0..<200).map { exp(20 * Double($0) / 199) }
    #expect(AutoRange.of([e], trimsSpikes: true)?.upperBound == e.last)
    // data are shown whole
    #expect(AutoRange.of([x.map { 1 / $0 }], trimsSpikes: false)?.upperBound == 1 / x[100])
    // the derivative of a function with a pole does not dwarf the function
    let both = AutoRange.of(
      [x.map { 1 / $0 }, x.map { -1 / ($0 * $0) }], trimsSpikes: true, derivatives: [false, true])
    #expect(both.map { $0.lowerBound > -30 } == true, "\(String(describing: both))")
    // a constant gets a range around it; nothing finite gets none
    #expect(AutoRange.of([[3, 3, 3]], trimsSpikes: true) == 1.5...4.5)
    #expect(AutoRange.of([[0, 0]], trimsSpikes: false) == -1...1)
    #expect(AutoRange.of([[.nan, .infinity]], trimsSpikes: true) == nil)
  }

  @Test func curvesBreakAtNaNPolesAndTheEdges() {
    let view = Viewport(x: 0...10, y: -1...1)
    // NaN splits the curve; a lone finite sample is a piece of one point
    let x = (0..<7).map(Double.init)
    let pieces = Polylines.pieces(
      x, [0, 0.5, .nan, 0.5, .nan, 0.2, 0.3], in: view, breaksAtPoles: false)
    #expect(pieces.map(\.count) == [2, 1, 2])
    // a segment leaving the viewport is clipped at its edge, and the curve resumes inside
    let clipped = Polylines.pieces([0, 1, 2, 3], [0, 3, 3, 0], in: view, breaksAtPoles: false)
    #expect(clipped.count == 2)
    #expect(clipped[0].last == PlotPoint(x: 1.0 / 3, y: 1))
    #expect(clipped[1].first == PlotPoint(x: 2 + 2.0 / 3, y: 1))
    // a jump from above the viewport to below it is a pole: no line across
    let pole = Polylines.pieces([0, 1, 2, 3], [0.5, 5, -5, -0.5], in: view, breaksAtPoles: true)
    #expect(pole.count == 2)
    let data = Polylines.pieces([0, 1, 2, 3], [0.5, 5, -5, -0.5], in: view, breaksAtPoles: false)
    #expect(data.count == 3, "data are joined across: the middle segment crosses the view")
  }

  @Test func brailleDotsAndDashes() {
    var canvas = BrailleCanvas(columns: 2, rows: 1)
    canvas.set(0, 0, color: 0)
    canvas.set(3, 3, color: 0)
    #expect(canvas.text(row: 0, paint: nil) == "⠁⢀")
    var line = BrailleCanvas(columns: 6, rows: 1)
    var phase = 0
    line.line(0, 3, 11, 3, color: 0, dash: .dotted, phase: &phase)
    #expect(line.text(row: 0, paint: nil) == "⡀⡀⡀⡀⡀⡀")
    var dashed = BrailleCanvas(columns: 6, rows: 1)
    phase = 0
    dashed.line(0, 0, 11, 0, color: 1, dash: .dashed, phase: &phase)
    #expect(dashed.text(row: 0, paint: nil) == "⠉⠉ ⠉⠉ ")
    #expect(
      dashed.text(row: 0, paint: { ANSI.curve($0) })
        == "\u{1B}[31m⠉⠉\u{1B}[0m \u{1B}[31m⠉⠉\u{1B}[0m ")
    // off-canvas dots are ignored
    canvas.set(-1, 99, color: 0)
  }

  @Test func theDivergingScaleIsCentredAtZero() {
    let s = DivergingScale([-2, 0, 0.1, 1, 4])
    #expect(s.limit == 4)
    #expect([-2, 0, 0.1, 1, 4, .infinity].map(s.level) == [-2, 0, 1, 1, 4, 4])
    #expect(s.level(.nan) == nil)
    #expect(DivergingScale.glyphs(-4) == "-█" && DivergingScale.glyphs(0) == " ·")
    #expect(s.hex(4) == "#b2182b" && s.hex(-4) == "#2166ac" && s.hex(0) == "#f7f7f7")
    #expect(DivergingScale([0, 0]).limit == 1)
  }

  @Test func largeMatricesAreShownInBlocks() {
    let b = MatrixBlocks(rows: 5, columns: 4, maxRows: 2, maxColumns: 10)
    #expect(b.factor == 3 && b.cellRows == 2 && b.cellColumns == 2)
    var values = Array(repeating: 0.0, count: 20)
    values[0] = 1
    values[5] = -3  // row 1, column 1: the same cell as row 0, column 0
    values[19] = .nan
    #expect(b.largestMagnitude(values).map { $0.isNaN ? 99 : $0 } == [-3, 0, 0, 99])
    #expect(b.signs(values).map(\.count) == [2, 0, 0, 1])
    #expect(MatrixBlocks.indexTicks(count: 16, target: 5) == [0, 5, 10, 15])
    #expect(MatrixBlocks.indexTicks(count: 3, target: 5) == [0, 1, 2])
  }
}
