import Foundation
import Testing

/// Pictures from the built binary: one-shot printing at 80 columns when standard output is
/// not a terminal, colour only when asked, `-o fig.svg`, and the REPL drawing them inline at
/// the terminal's width.
@Suite struct PlotCommandLineTests {
  @Test func oneShotPlotsAreEightyColumnsWithoutColourInAPipe() throws {
    let run = try Nabla(["plot(sin, 0, 2*pi)"], environment: ["COLUMNS": "200"])
    #expect(run.status == 0)
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.count == 19)
    #expect(lines.allSatisfy { $0.count < 80 })
    #expect(lines.contains { $0.count == 79 && $0.contains("└") })
    #expect(!run.stdout.contains("\u{1B}"))
    #expect(run.stdout.hasSuffix("── sin(x)   ╌╌ sin′(x) = cos(x)\n"))
  }

  @Test func colourOnlyWhenAsked() throws {
    let always = try Nabla(["--color", "always", "plot(sin, 0, 1)"])
    #expect(always.stdout.contains("\u{1B}[34m"))
    let never = try Nabla(["--color", "never", "spy(eye(3))"])
    #expect(!never.stdout.contains("\u{1B}"))
    let noColor = try Nabla(["--color", "auto", "spy(eye(3))"], environment: ["NO_COLOR": "1"])
    #expect(!noColor.stdout.contains("\u{1B}"))
  }

  @Test func outputFileBySuffix() throws {
    let directory = try Nabla.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let svg = directory.appendingPathComponent("fig.svg").path
    let run = try Nabla(["-o", svg, "heatmap(hessian(x -> sum(x^3))([1, -2]))"])
    #expect(run.status == 0, "\(run.stderr)")
    let text = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
    let json = directory.appendingPathComponent("fig.json").path
    _ = try Nabla(["-o", json, "plot(sin, 0, 1, samples=3)"])
    #expect(try String(contentsOfFile: json, encoding: .utf8).hasPrefix("{\"figure\":\"plot\""))
    let refused = try Nabla(["-o", svg, "ones(3)"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("only a plot, heatmap or spy can be saved as .svg"))
  }

  @Test func jsonFormatGivesTheSamples() throws {
    let run = try Nabla(["--format", "json", "plot(x -> x^2, 0, 1, samples=3, order=0)"])
    #expect(
      run.stdout
        == "{\"figure\":\"plot\",\"x\":[0.0,0.5,1.0],\"curves\":[{\"label\":\"f(x) = x^2\",\"y\":[0.0,0.25,1.0]}],\"ylim\":[0.0,1.0]}\n"
    )
  }
}

/// The REPL draws a plot inline, as wide as its terminal is when the plot is printed.
@Suite(.serialized, .enabled(if: Tmux.isAvailable)) struct PlotReplTests {
  @Test func plotsFillTheTerminalAsItIsNow() throws {
    let home = try Nabla.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: home) }
    let t = Tmux()
    defer { t.stop() }
    t.start("env -u XDG_STATE_HOME HOME=\(home.path) NO_COLOR=1 \(Nabla.executable)")
    #expect(t.waitForPrompt())
    t.type("plot(sin, 0, 2*pi)")
    #expect(t.waitFor("sin′(x) = cos(x)"), "\(t.screen)")
    func axisWidths() -> [Int] {
      t.screen.split(separator: "\n").filter { $0.contains("└") }.map { $0.count }
    }
    #expect(axisWidths() == [119], "\(t.screen)")
    t.tmux(["resize-window", "-t", t.session, "-x", "80", "-y", "50"])
    t.type("plot(cos, 0, 1, order=0)")
    #expect(t.waitFor("── cos(x)"), "\(t.screen)")
    #expect(axisWidths().last == 79, "\(t.screen)")
    t.type(":quit")
    #expect(t.waitForExit())
  }
}
