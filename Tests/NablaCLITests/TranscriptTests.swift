import Foundation
import Testing

/// The shell transcripts in the documentation (`$ command` followed by what it prints, in
/// code blocks) are run with the built binary, in a scratch directory, and must print exactly
/// what the page shows, so the docs cannot go stale.
@Suite struct TranscriptTests {
  struct Command: CustomTestStringConvertible {
    var page: String
    var text: String
    var expected: String
    var testDescription: String { "\(page): \(text.prefix(60))" }
  }

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Every `$ …` command of the page's code blocks with the lines it prints; a command runs
  /// on while a quote is open or to the end of its here-document.
  static func commands(of page: String) -> [Command] {
    guard let text = try? String(contentsOf: root.appendingPathComponent(page), encoding: .utf8)
    else { return [] }
    var commands: [Command] = []
    var inBlock = false
    var lines = text.components(separatedBy: "\n")[...]
    var current: Command?
    func finish() {
      guard var c = current else { return }
      while c.expected.hasSuffix("\n\n") { c.expected.removeLast() }
      if c.expected == "\n" { c.expected = "" }
      commands.append(c)
      current = nil
    }
    while let line = lines.popFirst() {
      if line.hasPrefix("```") {
        if inBlock { finish() }
        inBlock.toggle()
        continue
      }
      guard inBlock else { continue }
      if line.hasPrefix("$ ") {
        finish()
        var command = String(line.dropFirst(2))
        if let range = command.range(of: "<<'") {
          let terminator = command[range.upperBound...].prefix { $0 != "'" }
          while let next = lines.popFirst() {
            command += "\n" + next
            if next == terminator { break }
          }
        }
        while command.filter({ $0 == "'" }).count % 2 == 1, let next = lines.popFirst() {
          command += "\n" + next
        }
        current = Command(page: page, text: command, expected: "")
      } else if current != nil {
        current?.expected += line + "\n"
      }
    }
    return commands.filter { $0.text.contains("nabla") || $0.text.hasPrefix("cat ") }
  }

  static let pages = [
    "docs/getting-started.md", "docs/command-line.md", "docs/seeing-derivatives.md",
    "docs/plots.md", "docs/language.md", "docs/export.md",
  ]
  static let all = pages.flatMap(commands)

  @Test func pagesHaveTranscripts() {
    #expect(Self.commands(of: "docs/getting-started.md").count >= 8)
  }

  /// The commands of one page run in order in one directory (a later one may read a file an
  /// earlier one wrote).
  @Test(arguments: pages)
  func transcriptsPrintWhatThePageShows(_ page: String) throws {
    let directory = try Nabla.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bin = URL(fileURLWithPath: Nabla.executable).deletingLastPathComponent().path
    for command in Self.commands(of: page) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", "{ " + command.text + "\n} 2>&1"]
      process.currentDirectoryURL = directory
      var environment = ProcessInfo.processInfo.environment
      environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
      environment["NO_COLOR"] = "1"
      process.environment = environment
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(output == command.expected, "\(page): \(command.text)")
    }
  }
}
