/// The REPL's behaviour, independent of the terminal: runs lines and `:commands`, knows when
/// input continues on the next line, and completes names. The `nabla` executable only reads
/// lines (with readline) and hands them here.
public final class ReplEngine {
  public let session: Session
  /// What `~` in a path being completed stands for (`$HOME`).
  public var homeDirectory = environmentVariable("HOME")

  public enum Outcome: Sendable {
    case `continue`
    case quit
  }

  public init(session: Session) {
    self.session = session
    session.options.echoAssignments = true
    session.options.bindsLastResult = true
  }

  /// True while `input` is unfinished (open brackets, a trailing operator, `=` or `->`), so the
  /// next line continues it; a `:command` is always one line.
  public func needsMoreInput(_ input: String) -> Bool {
    !input.trimmingSpaces().hasPrefix(":") && LineCompleteness.isOpen(input)
  }

  /// Runs one complete input: a `:command` or statements. The first error stops the input (a
  /// syntax error anywhere stops it before anything runs), as in scripts: the statements after
  /// it never see the state it failed to make. Errors leave the session as it was.
  public func handle(_ input: String) -> Outcome {
    let text = input.trimmingSpaces()
    if text.isEmpty { return .continue }
    if text.hasPrefix(":") {
      return ReplCommand.run(text, in: self)
    }
    if let topic = Self.helpRequest(text) {
      say(Help.text(for: topic, in: session))
      return .continue
    }
    session.run(SourceFile(name: "<repl>", text: input), keepGoing: false)
    return .continue
  }

  /// The name in `NAME?` or `help(NAME)` (IPython's and Python's ways to ask), else `nil`.
  static func helpRequest(_ text: String) -> String? {
    func isName(_ s: Substring) -> Bool {
      guard let first = s.first, first.isLetter || first == "_" else { return false }
      return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
    if text.hasSuffix("?"), isName(text.dropLast()) { return String(text.dropLast()) }
    if text.hasPrefix("help("), text.hasSuffix(")") {
      let inner = String(text.dropFirst(5).dropLast()).trimmingSpaces()
      if inner.isEmpty || isName(Substring(inner)) { return inner }
    }
    return nil
  }

  /// Writes to the values stream.
  func say(_ text: String) { session.output(.values, text.hasSuffix("\n") ? text : text + "\n") }

  func complain(_ message: String) {
    session.report(Diagnostic(.usage(message), at: nil))
  }
}
