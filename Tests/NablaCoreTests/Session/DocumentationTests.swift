import Testing

@testable import NablaCore

/// The user docs stay true: every built-in is in the language reference, and every
/// built-in's example runs without an error.
@Suite struct DocumentationTests {
  static let root = "/" + #filePath.split(separator: "/").dropLast(4).joined(separator: "/")

  @Test func languageReferenceListsEveryBuiltin() throws {
    let text = try readText(Self.root + "/docs/language.md")
    let missing = Builtins.all.filter { !text.contains("`\($0.signature)`") }.map(\.name)
    #expect(missing.isEmpty, "add these to docs/language.md (regenerate the reference): \(missing)")
  }

  @Test(arguments: Builtins.all.map(\.name)) func exampleRuns(_ name: String) {
    guard let b = Builtins.table[name] else { return }
    let run = Run(b.example, seed: 0)
    #expect(run.status == 0, "\(b.example): \(run.diagnostics)")
  }
}
