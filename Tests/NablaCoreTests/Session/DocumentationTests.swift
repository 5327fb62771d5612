import Testing

@testable import NablaCore

/// The user docs stay true: every built-in is in the language reference, every built-in's
/// example runs without an error, and the reference's examples print what it shows.
@Suite struct DocumentationTests {
  static let root = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/")

  @Test func languageReferenceListsEveryBuiltin() throws {
    let text = try readText(Self.root + "/docs/language.md")
    let missing = Builtins.all.filter { !text.contains("`\($0.signature)`") }.map(\.name)
    #expect(missing.isEmpty, "add these to docs/language.md (regenerate the reference): \(missing)")
  }

  /// The reference's examples (a "> program" line and what it prints, in a code block) print
  /// what the page shows.
  @Test func referenceExamplesPrintWhatThePageShows() throws {
    let text = try readText(Self.root + "/docs/language.md")
    var checked = 0
    for block in text.components(separatedBy: "```\n").dropFirst().enumerated()
    where block.offset % 2 == 0 && block.element.hasPrefix("> ") {
      var lines = block.element.split(separator: "\n", omittingEmptySubsequences: false)
      let program = String(lines.removeFirst().dropFirst(2))
      guard !lines.contains(where: { $0.hasPrefix("> ") }) else { continue }
      let run = Run(program, seed: 0)
      let printed =
        run.values + run.diagnostics.replacingOccurrences(of: "<test>", with: "<program>")
      #expect(printed == lines.joined(separator: "\n"), "\(program)")
      checked += 1
    }
    #expect(checked > 150)
  }

  @Test(arguments: Builtins.all.map(\.name)) func exampleRuns(_ name: String) {
    guard let b = Builtins.table[name] else { return }
    let run = Run(b.example, seed: 0)
    #expect(run.status == 0, "\(b.example): \(run.diagnostics)")
  }
}
