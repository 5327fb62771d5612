@preconcurrency import CReadline
@preconcurrency import Glibc
import NablaCore

/// The terminal front end of the REPL: GNU readline for editing, history and completion;
/// Ctrl-C through a flag the interpreter polls. Everything else is ``ReplEngine``'s.
struct REPL {
  let session: Session
  let useColor: Bool

  func run() -> Int32 {
    let engine = ReplEngine(session: session)
    LineEditor.engine = engine
    installInterruptHandler()
    let history = HistoryFile()
    LineEditor.setUp(highlighting: useColor)
    let prompt = useColor ? "\u{1}\u{1B}[1;36m\u{2}>\u{1}\u{1B}[0m\u{2} " : "> "
    let continuation = useColor ? "\u{1}\u{1B}[2m\u{2}.\u{1}\u{1B}[0m\u{2} " : ". "
    Terminal.write(.values, "nabla \(Nabla.version) — :help for help, Ctrl-D to leave\n")
    var buffer = ""
    while true {
      guard let line = LineEditor.read(buffer.isEmpty ? prompt : continuation) else {
        Terminal.write(.values, "\n")
        return 0
      }
      if LineEditor.wasInterrupted {  // Ctrl-C at the prompt abandons the input
        buffer = ""
        continue
      }
      buffer += buffer.isEmpty ? line : "\n" + line
      if engine.needsMoreInput(buffer) { continue }
      let input = buffer
      buffer = ""
      history.add(input)  // a multi-line input is one entry: Up recalls all of it
      interrupt.reset()
      // plots fill the terminal as it is now (it may have been resized)
      session.options.picture.columns = Terminal.columns() ?? session.options.picture.columns
      if case .quit = engine.handle(input) { return 0 }
      Allocator.releaseFreedMemory()
    }
  }
}

/// Persistent history: `$XDG_STATE_HOME/nabla/history`, else `~/.local/state/nabla/history`;
/// each line is appended as it is entered, so nothing is lost on a crash or a kill.
struct HistoryFile {
  let path: String?
  static let limit: Int32 = 5000

  init() {
    let environment = { (name: String) -> String? in
      guard let v = getenv(name) else { return nil }
      let s = String(cString: v)
      return s.isEmpty ? nil : s
    }
    let base = environment("XDG_STATE_HOME") ?? environment("HOME").map { $0 + "/.local/state" }
    guard let base else {
      path = nil
      return
    }
    var directory = ""
    for part in (base + "/nabla").split(separator: "/") {
      directory += "/" + part
      mkdir(directory, 0o755)
    }
    let file = directory + "/history"
    path = file
    let fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    if fd >= 0 { close(fd) }
    using_history()
    // entries with newlines (multi-line inputs) are written after a timestamp line and read
    // back whole
    history_write_timestamps = 1
    history_multiline_entries = 1
    stifle_history(Self.limit)
    _ = read_history(file)
    _ = history_truncate_file(file, Self.limit)
  }

  /// Adds a non-empty line that differs from the previous one, and appends it to the file.
  func add(_ line: String) {
    guard line.contains(where: { !$0.isWhitespace }) else { return }
    if history_length > 0, let last = history_get(history_base + history_length - 1),
      let text = last.pointee.line,
      String(cString: text) == line
    {
      return
    }
    add_history(line)
    if let path { _ = append_history(1, path) }
  }
}
