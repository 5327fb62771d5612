import Foundation
import Testing

@testable import NablaCore

/// The REPL's behaviour without a terminal: commands, echo, completion.
@Suite struct ReplEngineTests {
  final class Transcript {
    var values = ""
    var diagnostics = ""
  }

  func engine() -> (ReplEngine, Transcript) {
    let session = Session()
    let transcript = Transcript()
    session.output = { stream, text in
      if stream == .values { transcript.values += text } else { transcript.diagnostics += text }
    }
    return (ReplEngine(session: session), transcript)
  }

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
    _ = repl.handle(":seed")
    #expect(out.diagnostics.contains("usage: :seed N"))
    if case .quit = repl.handle(":quit") {} else { Issue.record(":quit did not quit") }
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
    #expect(out.values.contains("jacrev(f, argnums=0, has_aux=False, chunk_size=None)"))
    #expect(out.values.contains("example: jacrev(x -> sin(x))([0, 1])"))
    out.values = ""
    _ = repl.handle(":help transforms")
    #expect(out.values.contains("hessian(f, argnums=0, has_aux=False)"))
    out.values = ""
    _ = repl.handle(":help commands")
    #expect(out.values.contains(":save FILE"))
    out.values = ""
    _ = repl.handle(":help tahn")
    #expect(out.values.contains("did you mean 'tanh'?"))
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

  @Test func multiLineInputWaitsForClosingBrackets() {
    let (repl, _) = engine()
    #expect(repl.needsMoreInput("f(x) = sum(tanh(W*x"))
    #expect(!repl.needsMoreInput("f(x) = sum(tanh(W*x))"))
    #expect(!repl.needsMoreInput("\"(\""))
    #expect(!repl.needsMoreInput("# ("))
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
    #expect(repl.completions(line: "load(\"/et", cursor: 9) == ["etc"])
  }
}
