@testable import NablaCore

/// What a REPL engine printed, by stream.
final class ReplTranscript {
  var values = ""
  var diagnostics = ""
  /// Both streams, in the order they were written.
  var all = ""
}

/// A REPL engine on a fresh session, with what it prints collected.
func replEngine() -> (ReplEngine, ReplTranscript) {
  let session = Session()
  let transcript = ReplTranscript()
  session.output = { stream, text in
    if stream == .values { transcript.values += text } else { transcript.diagnostics += text }
    transcript.all += text
  }
  return (ReplEngine(session: session), transcript)
}
