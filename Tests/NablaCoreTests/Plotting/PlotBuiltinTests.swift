import Foundation
import Testing

@testable import NablaCore

/// What `plot`, `heatmap` and `spy` compute: samples of f and its derivatives from one
/// batched evaluation, data curves, labels, JSON and plain data, and diagnostics for every
/// input they refuse.
@Suite struct PlotBuiltinTests {
  static func figure(_ program: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> (Figure, [Tensor])
  {
    let run = Run(program, seed: 0)
    guard case .figure(let f)? = run.value, let tensors = f.tensors else {
      Issue.record("no figure: \(run.diagnostics)", sourceLocation: sourceLocation)
      throw Run.Failure()
    }
    return (f, tensors)
  }

  @Test func aFunctionAndItsDerivativesAtEvenlySpacedPoints() throws {
    let (f, t) = try Self.figure("plot(sin, 0, 2, samples=5, order=2)")
    #expect(f.kind == .lines && f.isSampled)
    let x = [0, 0.5, 1, 1.5, 2.0]
    expectClose(t[0], x, shape: [5])
    expectClose(t[1], x.map { Foundation.sin($0) })
    expectClose(t[2], x.map { Foundation.cos($0) })
    expectClose(t[3], x.map { -Foundation.sin($0) })
    #expect(f.curves.map(\.label) == ["sin(x)", "sin′(x) = cos(x)", "sin″(x) = -sin(x)"])
    #expect(f.curves.map(\.dash) == [.solid, .dashed, .dotted])
  }

  @Test func samplesFillTheCanvasAtTheTerminalsWidth() throws {
    let narrow = Run("plot(sin, 0, 1)") { $0.picture.columns = 60 }
    let wide = Run("plot(sin, 0, 1)") { $0.picture.columns = 200 }
    guard case .figure(let a)? = narrow.value, case .figure(let b)? = wide.value else {
      Issue.record("no figures")
      return
    }
    #expect(a.tensors?.first?.count == LinePlotText.samples(width: 60))
    #expect(b.tensors?.first?.count == 2 * (200 - 10))
    // every line of the picture fits the width
    for (run, width) in [(narrow, 60), (wide, 200)] {
      #expect(run.values.split(separator: "\n").allSatisfy { $0.count < width })
    }
  }

  /// The samples of all curves come from one graph, run once: vmap of f, grad(f) and
  /// grad(grad(f)), each a batched computation over every sample.
  @Test func oneBatchedEvaluation() throws {
    var options = SessionOptions()
    options.memoryLimit = 1 << 30
    let session = Session(options: options)
    let statement = try #require(
      Parser.parse(SourceFile(name: "<test>", text: "plot(x -> x^3, -1, 1, order=2, samples=7)"))
        .first)
    guard case .expression(let e) = statement.kind else { return }
    let compiled = try session.compile(e)
    // no equation loops over samples: every computed value is a whole batch of 7 (or scalar)
    for eq in compiled.graph.equations {
      #expect(compiled.graph.type(of: eq.output).shape.allSatisfy { $0 == 7 || $0 == 1 })
    }
    guard case .figure(let f) = try session.run(compiled), let t = f.tensors else {
      Issue.record("no figure")
      return
    }
    let x = [-1, -2.0 / 3, -1.0 / 3, 0, 1.0 / 3, 2.0 / 3, 1]
    expectClose(t[1], x.map { $0 * $0 * $0 })
    expectClose(t[2], x.map { 3 * $0 * $0 })
    expectClose(t[3], x.map { 6 * $0 }, atol: 1e-5)
  }

  @Test func severalFunctionsAndTheirNames() throws {
    let (f, t) = try Self.figure("g(t) = t^2; plot((g, x -> x^3, cos), 0, 1, order=0)")
    #expect(t.count == 4)
    #expect(f.curves.map(\.label) == ["g(t) = t^2", "f(x) = x^3", "cos(x)"])
    let (d, _) = try Self.figure("plot(x -> exp(2 * x), 0, 1)")
    #expect(d.curves.map(\.label) == ["f(x) = exp(2 * x)", "f′(x) = 2 * exp(2 * x)"])
  }

  @Test func dataAgainstXOrTheirIndex() throws {
    let (f, t) = try Self.figure("t = [0, 1, 2]; plot(t, (t^2, 2 * t))")
    #expect(!f.isSampled)
    #expect(f.curves.map(\.label) == ["t^2", "2 * t"])
    expectClose(t[2], [0, 2, 4])
    let (m, mt) = try Self.figure("Y = [[1, 2], [3, 4], [5, 6]]; plot([0, 1, 2], Y)")
    #expect(m.curves.map(\.label) == ["Y[:, 0]", "Y[:, 1]"])
    expectClose(mt[1], [1, 3, 5])
    expectClose(mt[2], [2, 4, 6])
    let (_, it) = try Self.figure("plot([5, 7, 9])")
    expectClose(it[0], [0, 1, 2])
    let (l, _) = try Self.figure("plot((ones(2), zeros(2)))")
    #expect(l.curves.map(\.label) == ["ones(2)", "zeros(2)"])
  }

  @Test func matricesAndVectors() throws {
    let (h, ht) = try Self.figure("heatmap([1, -2, 3])")
    #expect(h.kind == .heatmap && ht[0].shape == [1, 3])
    let (s, _) = try Self.figure("spy(eye(3))")
    #expect(s.kind == .spy)
    #expect(Run("spy(eye(3))").values.contains("nz = 3 of 9 (density 33.3%)"))
  }

  @Test func jsonAndPlainGiveTheData() throws {
    let json = Run("plot(x -> 2 * x, 0, 1, samples=3)", format: .json).values
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect(object?["figure"] as? String == "plot")
    #expect(object?["x"] as? [Double] == [0, 0.5, 1])
    let curves = object?["curves"] as? [[String: Any]]
    #expect(curves?.map { $0["label"] as? String } == ["f(x) = 2 * x", "f′(x) = 2.0"])
    #expect(curves?.last?["y"] as? [Double] == [2, 2, 2])
    #expect(object?["ylim"] as? [Double] == [0, 2])
    #expect(Run("plot([0, 1], [nan, 2])", format: .json).values.contains("\"y\":[\"nan\",2.0]"))
    #expect(
      Run("plot(x -> 2 * x, 0, 1, samples=2)", format: .plain).values
        == "0.0 0.0 2.0\n1.0 2.0 2.0\n")
    #expect(
      Run("spy([[0, 1], [2, 0]])", format: .json).values
        == "{\"figure\":\"spy\",\"shape\":[2,2],\"nnz\":2,\"density\":0.5,\"rows\":[0,1],\"columns\":[1,0]}\n"
    )
    #expect(Run("spy([[0, 1], [2, 0]])", format: .plain).values == "0 1\n1 0\n")
    #expect(
      Run("heatmap([[0, 1], [2, 0]])", format: .json).values
        == "{\"figure\":\"heatmap\",\"shape\":[2,2],\"data\":[[0.0,1.0],[2.0,0.0]]}\n")
  }

  @Test func aFigureIsAValue() throws {
    var options = SessionOptions()
    options.memoryLimit = 1 << 30
    let session = Session(options: options)
    let engine = ReplEngine(session: session)
    var out = ""
    session.output = { _, text in out += text }
    _ = engine.handle("p = plot(sin, 0, 1)")
    #expect(out == "p: plot of 2 curves, 140 points\n")
    out = ""
    _ = engine.handle("p")
    #expect(out.contains("sin′(x) = cos(x)"))
    out = ""
    _ = engine.handle("(heatmap(eye(2)), spy(eye(2)))")
    #expect(out == "(<heatmap of 2×2>, <spy of 2×2>)\n")
  }

  /// Every input the figures refuse is a diagnostic with a source location, never a crash.
  @Test(arguments: [
    "plot(sin)", "plot(sin, 1, 1)", "plot(sin, 2, 1)", "plot(sin, nan, 1)", "plot(sin, 0, inf)",
    "plot(sin, 0, 1, order=3)", "plot(sin, 0, 1, order=-1)", "plot(sin, 0, 1, samples=1)",
    "plot(sin, 0, 1, samples=10^12)", "plot(sin, 0, 1, samples=2.5)",
    "plot(sin, 0, 1, ylim=(1, 0))", "plot(sin, 0, 1, ylim=(0, nan))", "plot(sin, 0, 1, ylim=3)",
    "plot(x -> [x, x], 0, 1)", "plot((x, y) -> x, 0, 1)", "plot(() -> 1, 0, 1)",
    "plot((sin, 3), 0, 1)", "plot(x -> x, -1e300 * 1e300, 1)", "plot(sin, x, 1)",
    "plot([], [])", "plot([1, 2], [1, 2, 3])", "plot([1, 2], [1, 2], 3)",
    "plot([1, 2], [1, 2], order=2)", "plot([1, 2], [1, 2], samples=5)", "plot(ones(2, 2, 2))",
    "plot(ones(2, 2), [1, 2])", "plot(\"a\")", "plot(None)", "plot((1, (3, 4)))",
    "heatmap(ones(2, 2, 2))", "heatmap(zeros(0, 3))", "heatmap(3)", "heatmap(sin)",
    "spy([])", "spy(\"x\")", "grad(x -> plot(sin, 0, 1))(1.0)", "plot(sin, 0, 1) + 1",
    "vmap(x -> plot(sin, 0, 1))(ones(2))", "save(\"/tmp/nabla-not-a-figure.svg\", 3)",
  ])
  func refusedWithALocation(_ program: String) {
    let run = Run(program)
    #expect(run.status != 0, "\(program) was accepted")
    #expect(
      run.diagnostic?.range != nil || program.hasPrefix("save"), "\(program): \(run.diagnostics)")
    #expect(run.diagnostic?.category != .internal, "\(program): \(run.diagnostics)")
  }

  /// Drawing 10⁵ points is interactive. This is a debug build; the release binary draws them
  /// in about 6 ms (docs/plots.md).
  @Test func aHundredThousandPoints() throws {
    let (f, tensors) = try Self.figure(
      "seed(0); x = linspace(0, 10, 100000); plot(x, sin(x) + 0.1 * randn(100000))")
    let start = ContinuousClock.now
    let text = LinePlotText.render(f, tensors, PictureOptions(columns: 120, color: true))
    let svg = LinePlotSVG.render(f, tensors)
    let elapsed = ContinuousClock.now - start
    #expect(text.contains("⠀") || text.contains("⣿") || !text.isEmpty)
    #expect(svg.count < 200_000)
    #expect(elapsed < .seconds(2), "\(elapsed)")
  }
}
