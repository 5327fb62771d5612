import Foundation
import Testing

/// The REPL driven as a person would, in a real terminal (tmux), with the built binary.
@Suite(.serialized, .enabled(if: Tmux.isAvailable)) struct ReplTerminalTests {
  let home: URL

  init() throws {
    home = try Nabla.temporaryDirectory()
  }

  func start(_ t: Tmux) {
    t.start("env -u XDG_STATE_HOME HOME=\(home.path) NO_COLOR=1 \(Nabla.executable)")
    _ = t.waitForPrompt()
  }

  @Test func definitionsCompletionErrorsAndCommands() throws {
    let t = Tmux()
    defer { t.stop() }
    start(t)
    // definitions and calls, echoing assignments
    t.type("seed(0); W = randn(3, 3); x = ones(3)")
    #expect(t.waitFor("W: f32[3,3]"), "\(t.screen)")
    // multi-line input while brackets are open
    t.type("f(x) = sum(tanh(W*x")
    #expect(t.waitForPrompt("."))
    t.type("))")
    #expect(t.waitFor("f: <function f(x)>"), "\(t.screen)")
    // completion of a built-in, then a keyword argument, then a bound name
    t.type("jacr", enter: false)
    t.key("Tab")
    t.type("(f, argn", enter: false)
    t.key("Tab")
    #expect(t.waitFor("> jacrev(f, argnums="), "\(t.screen)")
    t.key("C-u")
    t.type("gra", enter: false)
    t.key("Tab")
    t.type("(f)(", enter: false)
    t.type("x", enter: false)
    t.key("Tab")
    t.type(")")
    #expect(t.waitFor("tensor(["), "\(t.screen)")
    // an error leaves the session intact
    t.type("W = W * ones(4)")
    #expect(t.waitFor("error: cannot multiply f32[3,3] by f32[4]"), "\(t.screen)")
    t.type("W.shape")
    #expect(t.waitFor("(3, 3)"), "\(t.screen)")
    // Ctrl-C on a half-typed line abandons it
    t.type("half typed", enter: false)
    t.key("C-c")
    t.type(":vars")
    #expect(t.waitFor("f: <function f(x)>"), "\(t.screen)")
    #expect(!t.screen.contains("unknown name 'half'"))
    // :time and :graph
    t.type(":time f(x)")
    #expect(t.waitFor("Median:"), "\(t.screen)")
    #expect(t.waitFor("measurements"), "\(t.screen)")
    t.type(":graph f(x)")
    #expect(t.waitFor("= tanh"), "\(t.screen)")
    #expect(t.waitFor("{ lambda"), "\(t.screen)")
    // :quit
    t.type(":quit")
    #expect(t.waitForExit())
  }

  /// An error stops the rest of the line (nothing is computed from the value it failed to
  /// replace), and `ans` / `_` hold the last printed value.
  @Test func anErrorStopsTheLineAndAnsIsTheLastResult() throws {
    let t = Tmux()
    defer { t.stop() }
    start(t)
    t.type("x = [1, 2]")
    #expect(t.waitFor("x: f32[2]"), "\(t.screen)")
    t.type("x = load(\"missing.npy\"); y = x * 10; y")
    #expect(t.waitFor("error:"), "\(t.screen)")
    t.type("ans")
    #expect(t.waitFor("no result yet"), "\(t.screen)")
    #expect(!t.screen.contains("tensor([10., 20.])"), "\(t.screen)")
    t.type("6 * 7")
    #expect(t.waitFor("42"), "\(t.screen)")
    t.type("ans + 1")
    #expect(t.waitFor("43"), "\(t.screen)")
    t.type("_ * 2")
    #expect(t.waitFor("86"), "\(t.screen)")
    t.type(":quit")
    #expect(t.waitForExit())
  }

  /// Settings shown and kept: `:dtype`, `:seed`, `:format` alone show the current value, and
  /// `:save` after a mid-session `:dtype f64` writes the statement that replays it; numbered
  /// results (`_1`, `__`) are listed by `:results`.
  @Test func settingsAreShownAndSavedAndResultsAreNumbered() throws {
    let t = Tmux()
    defer { t.stop() }
    start(t)
    t.type(":dtype")
    #expect(t.waitFor("\nf32\n"), "\(t.screen)")
    t.type(":dtype f64")
    t.type(":dtype")
    #expect(t.waitFor("\nf64\n"), "\(t.screen)")
    t.type(":precision 8")
    t.type("sqrt(2)")
    #expect(t.waitFor("tensor(1.41421356)"), "\(t.screen)")
    t.type(":seed 7")
    t.type(":seed")
    #expect(t.waitFor("seed 7"), "\(t.screen)")
    t.type(":format")
    #expect(t.waitFor("\npretty\n"), "\(t.screen)")
    t.type("3 * 4")
    t.type("__ + _2")
    #expect(t.waitFor("tensor(13.41421356)"), "\(t.screen)")
    t.type(":results")
    #expect(t.waitFor("_3 = __ + _2"), "\(t.screen)")
    let saved = home.appendingPathComponent("session.nb").path
    t.type(":save \(saved)")
    #expect(t.waitFor("saved "), "\(t.screen)")
    let script = try String(contentsOfFile: saved, encoding: .utf8)
    #expect(script.contains("--dtype f32"), "\(script)")
    #expect(script.contains("set_default_dtype(float64)\n"), "\(script)")
    #expect(script.contains("seed(7)\n"), "\(script)")
    #expect(script.contains("printoptions(precision=8)\n"), "\(script)")
    t.type(":quit")
    #expect(t.waitForExit())
  }

  /// Help for the session's own function (its definition), `NAME?`, `help(NAME)`, a search by
  /// word and the syntax page.
  @Test func helpShowsDefinitionsSearchesAndSyntax() throws {
    let t = Tmux()
    defer { t.stop() }
    start(t)
    t.type("f(x) = x^2 + 1")
    t.type(":help f")
    #expect(t.waitFor("f(x) = x^2 + 1\n"), "\(t.screen)")
    t.type("grad?")
    #expect(t.waitFor("grad(f, argnums=0"), "\(t.screen)")
    t.type("help(vmap)")
    #expect(t.waitFor("vmap(f, in_dims=0"), "\(t.screen)")
    t.type(":help cholesky decomposition")
    #expect(t.waitFor("no help"), "\(t.screen)")
    t.type(":help gradient")
    #expect(t.waitFor("grad"), "\(t.screen)")
    t.type(":help syntax")
    #expect(t.waitFor("lambdas"), "\(t.screen)")
    t.type(":quit")
    #expect(t.waitForExit())
  }

  /// Completion of file names in `load("…")` goes into directories (a `/`, the quote left
  /// open) and expands `~`; after a `.` it completes attributes.
  @Test func completionOfPathsAndAttributes() throws {
    let data = home.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try Data("1 2 3\n".utf8).write(to: data.appendingPathComponent("points.txt"))
    let t = Tmux()
    defer { t.stop() }
    t.start(
      "cd \(home.path) && env -u XDG_STATE_HOME HOME=\(home.path) NO_COLOR=1 \(Nabla.executable)")
    _ = t.waitForPrompt()
    t.type("p = load(\"da", enter: false)
    t.key("Tab")
    #expect(t.waitFor("load(\"data/"), "\(t.screen)")
    #expect(!t.screen.contains("load(\"data\""), "\(t.screen)")
    t.key("Tab")
    #expect(t.waitFor("load(\"data/points.txt\""), "\(t.screen)")
    t.type(")")
    #expect(t.waitFor("p: f32[3]"), "\(t.screen)")
    t.type("q = load(\"~/da", enter: false)
    t.key("Tab")
    #expect(t.waitFor("load(\"~/data/"), "\(t.screen)")
    t.type("points.txt\")")
    #expect(t.waitFor("q: f32[3]"), "\(t.screen)")
    t.type("p.sh", enter: false)
    t.key("Tab")
    t.key("Enter")
    #expect(t.waitFor("(3,)"), "\(t.screen)")
    t.type(":quit")
    #expect(t.waitForExit())
  }

  /// A line ending in an operator continues on the next, and the whole input is one history
  /// entry: Up recalls both lines, Enter runs them again.
  @Test func trailingOperatorsContinueAndMultiLineInputIsOneHistoryEntry() throws {
    let t = Tmux()
    defer { t.stop() }
    start(t)
    t.type("v = 20 +")
    #expect(t.waitForPrompt("."), "\(t.screen)")
    t.type("22")
    #expect(t.waitFor("v: int"), "\(t.screen)")
    t.type("v")
    #expect(t.waitFor("42"), "\(t.screen)")
    t.type("w = 1")
    #expect(t.waitFor("w: int"), "\(t.screen)")
    t.key("Up")
    t.key("Up")
    t.key("Enter")
    t.type("v")
    #expect(
      t.waitFor("42\n> v\n42") || t.screen.components(separatedBy: "v: int").count == 3,
      "\(t.screen)")
    t.type(":quit")
    #expect(t.waitForExit())
  }

  /// With colour, the line is highlighted as it is typed (a built-in in blue, numbers in cyan,
  /// an unmatched ')' in red) and the cursor stays where the typing is; without, no escapes.
  @Test func inputIsHighlightedWhenColourIsOn() throws {
    let t = Tmux()
    defer { t.stop() }
    t.start("env -u XDG_STATE_HOME HOME=\(home.path) \(Nabla.executable) --color always")
    _ = t.waitForPrompt()
    t.type("y = sin(2)", enter: false)
    t.key("C-a")
    t.type("z = 1; ", enter: false)
    #expect(t.waitFor("z = 1; y = sin(2)"), "\(t.screen)")
    let coloured = t.colouredScreen
    #expect(coloured.contains("\u{1B}[34msin"), "\(coloured)")
    #expect(coloured.contains("\u{1B}[36m2"), "\(coloured)")
    t.key("Enter")
    t.type("y)")
    #expect(t.waitFor("error:"), "\(t.screen)")
    #expect(t.colouredScreen.contains("\u{1B}[1m\u{1B}[31m)"), "\(t.colouredScreen)")
    t.type(":quit")
    #expect(t.waitForExit())
    let plain = Tmux()
    defer { plain.stop() }
    start(plain)  // NO_COLOR
    plain.type("y = sin(2)", enter: false)
    #expect(plain.waitFor("y = sin(2)"))
    #expect(!plain.colouredScreen.contains("\u{1B}[34m"), "\(plain.colouredScreen)")
  }

  @Test func controlCCancelsALongEvaluationWithinASecond() throws {
    let t = Tmux()
    defer { t.stop() }
    start(t)
    t.type("A = ones(2500, 2500); y = 1")
    #expect(t.waitFor("y: int"), "\(t.screen)")
    t.type("y = sum(A * A)")
    usleep(1_500_000)
    let pressed = Date()
    t.key("C-c")
    #expect(t.waitFor("error: interrupted", timeout: 5), "\(t.screen)")
    #expect(t.waitForPrompt(timeout: 5))
    let elapsed = Date().timeIntervalSince(pressed)
    #expect(elapsed < 1.0, "took \(elapsed) s to come back")
    t.type("y")
    #expect(t.waitFor("> y\n1"), "\(t.screen)")
  }

  @Test func historyIsRecalledInANewSessionAndCtrlDLeaves() throws {
    let first = Tmux()
    start(first)
    first.type("remembered = 42")
    #expect(first.waitFor("remembered: int"))
    first.key("C-d")
    #expect(first.waitForExit())
    first.stop()
    let second = Tmux()
    defer { second.stop() }
    start(second)
    second.key("Up")
    #expect(second.waitFor("> remembered = 42"))
    let history = try String(
      contentsOf: home.appendingPathComponent(".local/state/nabla/history"), encoding: .utf8)
    #expect(history.contains("remembered = 42"))
  }

  @Test func savedSessionReplaysToTheSameValues() throws {
    let t = Tmux()
    defer { t.stop() }
    start(t)
    let script = home.appendingPathComponent("session.nb").path
    t.type(":seed 3")
    t.type("W = randn(4, 4); b = randn(4)")
    t.type("randn(2)")
    t.type("predict(x) = tanh(W*x + b)")
    t.type("v = predict(ones(4))")
    #expect(t.waitFor("v: f32[4]"), "\(t.screen)")
    t.type("sum(v)")
    #expect(t.waitFor("> sum(v)\ntensor("), "\(t.screen)")
    let shown = t.screen.split(separator: "\n").last(where: { $0.hasPrefix("tensor(") }).map(
      String.init)
    t.type(":save \(script)")
    #expect(t.waitFor("saved"), "\(t.screen)")
    let replay = try Nabla(["-f", script, "--keep-going"], stdin: nil)
    #expect(replay.status == 0, "\(replay.stderr)")
    let again = try Nabla(
      ["-f", "-"], stdin: (try String(contentsOfFile: script, encoding: .utf8)) + "sum(v)\n")
    #expect(again.stdout.split(separator: "\n").last.map(String.init) == shown)
  }

  @Test func pipedInputHasNoPromptAndNoEcho() throws {
    let run = try Nabla([], stdin: "x = 2\nx * 3\n")
    #expect(run.stdout == "6\n")
    #expect(run.stderr.isEmpty)
  }
}
