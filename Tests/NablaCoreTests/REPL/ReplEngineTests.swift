import Foundation
import Testing

@testable import NablaCore

/// The REPL's behaviour without a terminal: commands, echo, completion.
@Suite struct ReplEngineTests {
  func engine() -> (ReplEngine, ReplTranscript) { replEngine() }

  @Test func assignmentsEchoTheirTypes() {
    let (repl, out) = engine()
    _ = repl.handle("W = ones(16, 16); n = 3; f(x) = x")
    #expect(out.values == "W: f32[16,16]\nn: int\nf: <function f(x)>\n")
  }

  @Test func errorsLeaveTheSessionUnchanged() {
    let (repl, out) = engine()
    _ = repl.handle("x = ones(3)")
    _ = repl.handle("x = x * ones(4)")
    #expect(out.diagnostics.contains("<repl>:1:7: error: cannot multiply"))
    _ = repl.handle("x.shape")
    #expect(out.values.hasSuffix("(3,)\n"))
  }

  @Test func commands() throws {
    let (repl, out) = engine()
    _ = repl.handle("a = 1; b = ones(2)")
    out.values = ""
    _ = repl.handle(":vars")
    #expect(out.values == "a: int\nb: f32[2]\n")
    _ = repl.handle(":dtype f64")
    _ = repl.handle(":format json")
    out.values = ""
    _ = repl.handle("[1.5]")
    #expect(out.values == "{\"dtype\":\"float64\",\"shape\":[1],\"data\":[1.5]}\n")
    _ = repl.handle(":format pretty")
    _ = repl.handle(":reset")
    out.values = ""
    _ = repl.handle(":vars")
    #expect(out.values == "no bindings\n")
    _ = repl.handle(":nope")
    #expect(out.diagnostics.contains("unknown command ':nope'"))
    _ = repl.handle(":seed x")
    #expect(out.diagnostics.contains("usage: :seed [N]"))
    out.values = ""
    _ = repl.handle(":seed")
    _ = repl.handle(":dtype")
    _ = repl.handle(":format")
    #expect(out.values == "seed \(Session.torchDefaultSeed)\nf64\npretty\n")
    if case .quit = repl.handle(":quit") {} else { Issue.record(":quit did not quit") }
  }

  /// `:emit stablehlo EXPR` prints the module without evaluating; anything else is a usage
  /// error, and what StableHLO cannot express is refused naming the primitive.
  @Test func emitCommandPrintsAStableHLOModule() {
    let (repl, out) = engine()
    _ = repl.handle("x = ones(3)")
    out.values = ""
    _ = repl.handle(":emit stablehlo sum(sin(x))")
    #expect(
      out.values.contains("func.func public @main(%arg0: tensor<3xf32> {nabla.name = \"x\"})"))
    #expect(out.values.contains("stablehlo.sine %arg0 : tensor<3xf32>"))
    _ = repl.handle(":emit sum(x)")
    #expect(out.diagnostics.contains("usage: :emit stablehlo EXPR"))
    _ = repl.handle(":emit stablehlo x.shape")
    #expect(out.diagnostics.contains("cannot export the integer 3"))
  }

  /// `:nans` shows the state, `:nans on|off` sets it; a checked error leaves the session going.
  @Test func nansCommandTurnsTheCheckOnAndOff() {
    let (repl, out) = engine()
    _ = repl.handle(":nans")
    _ = repl.handle(":nans on")
    _ = repl.handle(":nans")
    #expect(out.values == "off\non\n")
    _ = repl.handle("x = 0.; grad(x -> sqrt(x))(x)")
    #expect(out.diagnostics.hasPrefix("<repl>:1:19: error: the derivative of sqrt at 0 is inf\n"))
    out.values = ""
    _ = repl.handle("x + 1")
    #expect(out.values == "tensor(1.)\n")
    _ = repl.handle(":nans off")
    _ = repl.handle("grad(x -> sqrt(x))(x)")
    #expect(out.values == "tensor(1.)\ntensor(inf)\n")
    _ = repl.handle(":nans maybe")
    #expect(out.diagnostics.contains("usage: :nans [on|off]"))
  }

  @Test func seedCommandMatchesSeedStatement() {
    let (a, outA) = engine()
    _ = a.handle(":seed 0")
    _ = a.handle("randn(3)")
    let (b, outB) = engine()
    _ = b.handle("seed(0); randn(3)")
    #expect(outA.values == outB.values)
  }

  @Test func helpCoversBuiltinsTransformsAndCommands() {
    let (repl, out) = engine()
    _ = repl.handle(":help")
    #expect(out.values.contains(":help transforms"))
    out.values = ""
    _ = repl.handle(":help jacrev")
    #expect(
      out.values.contains(
        "jacrev(f, argnums=0, has_aux=False, chunk_size=None, sparse=None, sparse_output=False)"))
    #expect(out.values.contains("example: jacrev(x -> sin(x))([0, 1])"))
    out.values = ""
    _ = repl.handle(":help transforms")
    #expect(
      out.values.contains("hessian(f, argnums=0, has_aux=False, sparse=None, sparse_output=False)"))
    out.values = ""
    _ = repl.handle(":help commands")
    #expect(out.values.contains(":save FILE"))
    out.values = ""
    _ = repl.handle(":help tahn")
    #expect(out.values.contains("did you mean 'tanh'?"))
  }

  /// Help on the session's own names (a function's definition as written), `NAME?` and
  /// `help(NAME)`, search by word and by pattern, the syntax, and built-ins in columns.
  @Test func helpCoversUserNamesSearchAndSyntax() {
    let (repl, out) = engine()
    _ = repl.handle("f(x) = sum(sin(x)^2); g = x -> 2 * x; v = ones(3)")
    out.values = ""
    _ = repl.handle(":help f")
    #expect(out.values == "f(x) = sum(sin(x)^2)\n  defined in this session\n")
    out.values = ""
    _ = repl.handle("help(g)")
    #expect(out.values == "g = x -> 2 * x\n  a lambda bound in this session\n")
    out.values = ""
    _ = repl.handle("v?")
    #expect(out.values == "v: f32[3]\n")
    out.values = ""
    _ = repl.handle("grad?")
    #expect(out.values.hasPrefix("grad(f, argnums=0, has_aux=False)"))
    out.values = ""
    _ = repl.handle(":help gradient")
    #expect(out.values.contains("these mention it") && out.values.contains("grad "))
    out.values = ""
    _ = repl.handle(":help hess*")
    #expect(out.values.hasPrefix("hessian") && out.values.contains("hessian_trace"))
    #expect(!out.values.contains("hutchinson"))
    out.values = ""
    _ = repl.handle(":help syntax")
    #expect(out.values.contains("comparisons") && out.values.contains("lambdas"))
    out.values = ""
    _ = repl.handle(":help plot")
    #expect(out.values.hasPrefix("plot(f, a=None, b=None, order=1, samples=None, ylim=None)\n"))
    #expect(out.values.contains("example: plot(sin, 0, 2*pi)"))
    out.values = ""
    _ = repl.handle(":help plots")
    #expect(out.values.contains("heatmap(M)") && out.values.contains("spy(M)"))
    #expect(out.values.contains("fig.svg"))
    out.values = ""
    _ = repl.handle(":help builtins")
    let lines = out.values.split(separator: "\n")
    #expect(lines.count > 5 && lines.allSatisfy { $0.count <= 80 })
  }

  @Test func loadAndSaveRoundTrip() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("nabla-repl-\(UInt32.random(in: 0..<UInt32.max)).nb").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (repl, _) = engine()
    _ = repl.handle(":seed 5")
    _ = repl.handle("W = randn(3, 3); g(x) = W * x")
    _ = repl.handle("v = g(ones(3))")
    _ = repl.handle(":save \(path)")
    let (fresh, out) = engine()
    _ = fresh.handle(":load \(path)")
    _ = fresh.handle("v")
    _ = repl.handle("v")
    guard case .tensor(let original)? = repl.session.lastValue,
      case .tensor(let replayed)? = fresh.session.lastValue
    else {
      Issue.record("no values: \(out.diagnostics)")
      return
    }
    #expect(original == replayed)
  }

  /// The first error stops the rest of an input, as in scripts: nothing after it runs on the
  /// state it failed to make (a failed `load` does not leave `y` computed from the old `x`).
  @Test func anErrorStopsTheRestOfTheInput() {
    let (repl, out) = engine()
    _ = repl.handle("x = [1, 2]")
    out.values = ""
    _ = repl.handle("x = load(\"/nonexistent/missing.npy\"); y = x * 10; y")
    #expect(out.diagnostics.contains("error"))
    #expect(out.values.isEmpty)
    _ = repl.handle("y")
    #expect(out.diagnostics.contains("unknown name 'y'"))
    // a syntax error anywhere stops the input before anything runs
    out.values = ""
    _ = repl.handle("z = 1\nz +* 2\nz")
    #expect(out.values.isEmpty)
  }

  /// `ans` and `_` are the last printed value (qalc's and Python's names); assignments do
  /// not change them; `:save` writes the numbered result `_k = …` where a later statement reads
  /// it, so the saved session replays to the same values, and leaves out results nothing reads.
  @Test func ansIsTheLastPrintedValue() throws {
    let (repl, out) = engine()
    _ = repl.handle("ans")
    #expect(out.diagnostics.contains("no result yet"))
    _ = repl.handle("x = 3")
    _ = repl.handle("x * 2")
    _ = repl.handle("y = ans + 1")
    _ = repl.handle("_ * 10")
    out.values = ""
    _ = repl.handle("(ans, y)")
    #expect(out.values == "(60, 7)\n")
    _ = repl.handle("x + 100")  // read by nothing: not saved
    _ = repl.handle("seed(1)")  // prints nothing: ans stays 103
    #expect(
      repl.session.replayLog == [
        "x = 3", "_1 = x * 2", "y = _1 + 1", "_2 = _1 * 10", "seed(1)",
      ])
    out.values = ""
    _ = repl.handle("ans")
    #expect(out.values == "103\n")
  }

  /// IPython's numbered results: `_k` is the k-th printed value, `__` and `___` the two before
  /// the last; `:results` lists them, `:vars` leaves them out, and a saved session that read
  /// `__` replays it as the result it meant.
  @Test func numberedResults() throws {
    let (repl, out) = engine()
    _ = repl.handle("__")
    #expect(out.diagnostics.contains("no result yet"))
    _ = repl.handle("_2")
    #expect(out.diagnostics.contains("no result 2 yet"))
    _ = repl.handle("10")
    _ = repl.handle("20")
    _ = repl.handle("30")
    out.values = ""
    _ = repl.handle("(_1, ___, __, _, ans, _3)")
    #expect(out.values == "(10, 10, 20, 30, 30, 30)\n")
    _ = repl.handle("z = __ + _1")  // __ is 30 now: the tuple was result 4
    out.values = ""
    _ = repl.handle("z")
    #expect(out.values == "40\n")
    #expect(repl.session.replayLog == ["_1 = 10", "_2 = 20", "_3 = 30", "z = _3 + _1"])
    out.values = ""
    _ = repl.handle(":results 2")
    #expect(out.values.contains("_4 = (_1, ___, __, _, ans, _3)"))
    #expect(out.values.contains("_5 = z  ("))
    #expect(!out.values.contains("_3 = 30"))
    out.values = ""
    _ = repl.handle(":vars")
    #expect(out.values.contains("z: "))
    #expect(!out.values.contains("_1:") && !out.values.contains("__:"))
  }

  /// A mid-session `:dtype` is saved as `set_default_dtype`, with the dtype the session
  /// started in on the header, so the replay computes in the same dtypes.
  @Test func saveKeepsDtypeChanges() throws {
    let (repl, _) = engine()
    _ = repl.handle("a = sqrt(2)")
    _ = repl.handle(":dtype f64")
    _ = repl.handle("b = sqrt(2)")
    #expect(repl.session.replayLog == ["a = sqrt(2)", "set_default_dtype(float64)", "b = sqrt(2)"])
    #expect(repl.session.replayDType == .f32)
  }

  /// `:precision N` is `printoptions(precision=N)`, kept by `:save`; alone it shows the value.
  @Test func precisionCommandSetsPrintOptions() {
    let (repl, out) = engine()
    _ = repl.handle(":precision 8")
    _ = repl.handle("sqrt(2)")
    _ = repl.handle(":precision")
    #expect(out.values == "tensor(1.41421354)\n8\n")
    #expect(repl.session.replayLog == ["printoptions(precision=8)"])
  }

  /// `:time` and `--time` print durations in the unit that reads best.
  @Test func durationsReadInTheirBestUnit() {
    #expect(Session.readable(8.4) == "8.4 us")
    #expect(Session.readable(220_791) == "220.8 ms")
    #expect(Session.readable(2_210_000) == "2.21 s")
    #expect(Session.readable(1000) == "1 ms")
    #expect(Session.readable(12.345) == "12.35 us")
  }

  /// The REPL transcripts of docs/repl.md (`> ` inputs, `. ` continuation lines, then what
  /// nabla prints) replay to exactly the text shown.
  @Test func replTranscriptsPrintWhatThePageShows() throws {
    let here = #filePath.split(separator: "/").dropLast(4).joined(separator: "/")
    let text = try readText("/" + here + "/docs/repl.md")
    var blocks: [[String]] = []
    var block: [String]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("```") {
        if let b = block, b.contains(where: { $0.hasPrefix("> ") }) { blocks.append(b) }
        block = block == nil ? [] : nil
      } else {
        block?.append(line)
      }
    }
    #expect(!blocks.isEmpty)
    for lines in blocks {
      let (repl, out) = engine()
      var expected = ""
      var input: String?
      func run() {
        guard let i = input else { return }
        _ = repl.handle(i)
        input = nil
      }
      for line in lines.drop(while: { !$0.hasPrefix("> ") }) {
        if line.hasPrefix("> ") {
          run()
          input = String(line.dropFirst(2))
        } else if line.hasPrefix(". "), input != nil {
          input? += "\n" + line.dropFirst(2)
        } else {
          run()
          expected += line + "\n"
        }
      }
      run()
      while expected.hasSuffix("\n\n") { expected.removeLast() }
      #expect(out.values == expected)
      #expect(out.diagnostics.isEmpty)
    }
  }

  /// The highlighter only adds colour: numbers, strings, built-ins, constants and `assert`,
  /// comments, and an unmatched closing bracket; the text is unchanged, and a line it cannot
  /// lex yet (an open string) is left as it is.
  @Test func highlighterColoursWithoutChangingTheText() {
    let esc = "\u{1B}"
    #expect(
      SyntaxHighlighter.highlight("x = sin(pi * 2) # c")
        == "x = \(esc)[34msin\(esc)[0m(\(esc)[35mpi\(esc)[0m * \(esc)[36m2\(esc)[0m) \(esc)[2m# c\(esc)[0m"
    )
    #expect(SyntaxHighlighter.highlight("f(x))") == "f(x)\(esc)[1;31m)\(esc)[0m")
    #expect(SyntaxHighlighter.highlight("load(\"a.np") == "load(\"a.np")
    for line in ["assert x > 1, \"no\"", "g = x -> x^2 .* [1, 2]", "  # only a comment"] {
      let plain = SyntaxHighlighter.highlight(line).replacing(/\u{1B}\[[0-9;]*m/, with: "")
      #expect(plain == line)
    }
  }

  @Test func multiLineInputWaitsForClosingBrackets() {
    let (repl, _) = engine()
    #expect(repl.needsMoreInput("f(x) = sum(tanh(W*x"))
    #expect(!repl.needsMoreInput("f(x) = sum(tanh(W*x))"))
    #expect(!repl.needsMoreInput("\"(\""))
    #expect(!repl.needsMoreInput("# ("))
    // a trailing operator, '=' or '->' needs more
    #expect(repl.needsMoreInput("y = x +"))
    #expect(repl.needsMoreInput("f(x) ="))
    #expect(repl.needsMoreInput("g = x ->"))
    #expect(repl.needsMoreInput("total = a .*  # a comment"))
    #expect(!repl.needsMoreInput("y = x'"))
    #expect(!repl.needsMoreInput("y = x + 1;"))
    #expect(!repl.needsMoreInput(":help *grad*"))
  }

  @Test func completion() {
    let (repl, _) = engine()
    _ = repl.handle("myweights = ones(2); predict(W, b, x) = W * x + b")
    #expect(repl.completions(line: "jacr", cursor: 4) == ["jacrev"])
    #expect(repl.completions(line: "sum(myw", cursor: 7) == ["myweights"])
    #expect(repl.completions(line: "jacrev(f, argn", cursor: 14) == ["argnums="])
    #expect(repl.completions(line: "sum(x, ke", cursor: 9) == ["keepdim=", "keepdims="])
    #expect(repl.completions(line: "predict(W, b, ", cursor: 14).contains("x="))
    #expect(repl.completions(line: ":gr", cursor: 3) == ["graph"])
    // a directory completes with '/', so completion can go on into it
    #expect(repl.completions(line: "load(\"/et", cursor: 9) == ["etc/"])
    #expect(repl.completions(line: "load(\"/etc/host", cursor: 15).contains("hostname\""))
    #expect(repl.completions(line: ":load /etc/host", cursor: 15).contains("hostname"))
    // attributes after '.'
    #expect(repl.completions(line: "myweights.sh", cursor: 12) == ["shape"])
    #expect(repl.completions(line: "ones(2).n", cursor: 9) == ["ndim"])
  }

  /// `~` in a path being completed is the home directory.
  @Test func completionExpandsHome() throws {
    let home = FileManager.default.temporaryDirectory
      .appendingPathComponent("nabla-home-\(UInt32.random(in: 0..<UInt32.max))")
    try FileManager.default.createDirectory(
      at: home.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: home) }
    let (repl, _) = engine()
    repl.homeDirectory = home.path
    #expect(repl.completions(line: "load(\"~/da", cursor: 10) == ["datasets/"])
  }
}
