import Foundation
import Testing

@testable import NablaCore

/// What `--graph` (text, raw, dot) and `:graph` show.
@Suite struct GraphDisplayTests {
  /// Only statements that compute show a graph: a seed, a random draw, a literal and
  /// `ones(3)` do not; a derivative folded to a constant does.
  @Test func onlyStatementsThatComputeShowAGraph() {
    let run = Run(
      "seed(0); W = randn(3, 3); b = ones(3); x = [1., 2, 3]; n = 2; z = x + 1; grad(sin)(0.5)"
    ) { $0.graph = .text }
    #expect(run.diagnostics.components(separatedBy: "{ lambda").count == 3, "\(run.diagnostics)")
    #expect(run.diagnostics.contains("= add a b"), "\(run.diagnostics)")
    // cos(0.5) folded while tracing, its value shown
    #expect(run.diagnostics.contains("const \(Float(cos(0.5)))"), "\(run.diagnostics)")
  }

  /// Small constants show their values (nested by rows); large ones their type.
  @Test func smallConstantsShowTheirValues() throws {
    #expect(
      GraphPrinter.constantText(Tensor(shape: [2, 2], values: [1, 2, 3, 4], dtype: .f32))
        == "[[1.0, 2.0], [3.0, 4.0]]")
    #expect(GraphPrinter.constantText(Tensor(shape: [], values: [0.5], dtype: .f64)) == "0.5")
    #expect(
      GraphPrinter.constantText(
        Tensor(shape: [9], values: Array(repeating: 0, count: 9), dtype: .f32)) == "f32[9]")
  }

  /// `--graph=raw` shows the graph as traced: the Jacobian's identity basis and the
  /// transposed product that reverse mode wrote, which the optimiser turns into a scaling.
  @Test func rawGraphIsTheTracedOne() {
    let program = "W = [[1., 2], [3, 4]]; x = [0.5, -1]; jacrev(x -> tanh(W*x + 1))(x)"
    let raw = Run(program) { $0.graph = .raw }.diagnostics
    let optimised = Run(program) { $0.graph = .text }.diagnostics
    #expect(raw.contains("const [[1.0, 0.0], [0.0, 1.0]]"), "\(raw)")
    #expect(raw.contains("= transpose"), "\(raw)")
    #expect(!raw.contains("# peak memory"))
    #expect(!optimised.contains("[[1.0, 0.0], [0.0, 1.0]]"), "\(optimised)")
    #expect(!optimised.contains("= transpose"), "\(optimised)")
    #expect(optimised.contains("# peak memory"))
  }

  /// `--graph=dot` is a digraph with one node per value, an edge per operand, source text in
  /// the labels, derivative equations marked and the outputs doubly outlined; Graphviz's `dot`
  /// renders it when installed.
  @Test func dotGraphRenders() throws {
    let run = Run("W = [[1., 2], [3, 4]]; x = [0.5, -1]; jacrev(x -> tanh(W*x + 1))(x)") {
      $0.graph = .dot
    }
    let text = run.diagnostics
    #expect(text.hasPrefix("digraph nabla {"), "\(text)")
    #expect(text.contains("tanh"), "\(text)")
    #expect(text.contains("1:58  tanh(W*x + 1)") || text.contains("tanh(W*x + 1)"), "\(text)")
    #expect(text.contains("[peripheries=2];"), "\(text)")
    // the derivative's equations are filled and name the rule that wrote them
    #expect(text.contains("derivative of tanh\", style=filled"), "\(text)")
    #expect(text.contains("chain rule of"), "\(text)")
    #expect(text.contains(" -> "), "\(text)")
    guard
      let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first(
        where: FileManager.default.isExecutableFile)
    else { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: dot)
    process.arguments = ["-Tsvg"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let svg = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(svg.contains("<svg"))
  }

  /// `:graph f` traces a function value on symbolic scalars, `:graph f, a…` on arguments
  /// shaped like `a…`: the arguments stay inputs of the graph instead of folding.
  @Test func graphOfAFunctionValue() {
    let (repl, transcript) = replEngine()
    _ = repl.handle("W = [[1., 2], [3, 4]]; f(x) = tanh(W*x + 1)")
    transcript.all = ""
    _ = repl.handle(":graph grad(x -> x^2 * sin(x))")
    #expect(transcript.all.hasPrefix("{ lambda a:f32[] ."), "\(transcript.all)")
    #expect(transcript.all.contains("= cos a"), "\(transcript.all)")
    transcript.all = ""
    _ = repl.handle(":graph f, ones(2)")
    #expect(transcript.all.hasPrefix("{ lambda a:f32[2] ."), "\(transcript.all)")
    #expect(transcript.all.contains("const [[1.0, 2.0], [3.0, 4.0]]"), "\(transcript.all)")
    #expect(transcript.all.contains("= tanh"), "\(transcript.all)")
    transcript.all = ""
    _ = repl.handle(":graph f, ones(3)")
    #expect(transcript.all.contains("error: cannot"), "\(transcript.all)")
    transcript.all = ""
    _ = repl.handle(":graph f, sin")
    #expect(transcript.all.contains("error:"), "\(transcript.all)")
  }
}
