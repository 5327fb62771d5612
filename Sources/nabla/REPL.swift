import NablaCore

/// The interactive loop on a terminal: reads a line (more while brackets are open), runs it,
/// and keeps the session on errors.
struct REPL {
  let session: Session

  func run() -> Int32 {
    session.options.echoAssignments = true
    var buffer = ""
    while true {
      Terminal.write(.values, buffer.isEmpty ? "> " : ". ")
      guard let line = readLine(strippingNewline: true) else {
        Terminal.write(.values, "\n")
        return 0
      }
      buffer += (buffer.isEmpty ? "" : "\n") + line
      if LineCompleteness.isOpen(buffer) { continue }
      let text = buffer
      buffer = ""
      if text.trimmingCharacters() == ":quit" { return 0 }
      session.run(SourceFile(name: "<repl>", text: text), keepGoing: true)
    }
  }
}

extension String {
  func trimmingCharacters() -> String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}
