@preconcurrency import CReadline
@preconcurrency import Glibc
import NablaCore

/// GNU readline, set up for nabla: completion from ``ReplEngine``, and a character reader
/// that turns Ctrl-C at the prompt into an abandoned line.
enum LineEditor {
  // Readline calls these callbacks on the main thread only.
  nonisolated(unsafe) static var engine: ReplEngine?
  nonisolated(unsafe) static var matches: [String] = []
  nonisolated(unsafe) static var matchIndex = 0
  nonisolated(unsafe) static var wasInterrupted = false

  /// Colours the line as it is typed (``SyntaxHighlighter``) when colour is on.
  static func setUp(highlighting: Bool) {
    setUp()
    if highlighting { rl_redisplay_function = highlightedRedisplay }
  }

  /// Readline's own redisplay, then, when the prompt and the line fit on one terminal row,
  /// the same characters again in colour and the cursor put back where it was: the visible
  /// text is readline's, so its record of the screen stays right (a long or multi-line input
  /// stays plain).
  static let highlightedRedisplay: @convention(c) () -> Void = {
    rl_redisplay()
    guard let buffer = rl_line_buffer else { return }
    let line = String(cString: buffer)
    let prompt = (rl_display_prompt.map { String(cString: $0) } ?? "")
    let shown = prompt.replacing(/\u{1}[^\u{2}]*\u{2}/, with: "")
    var rows: Int32 = 0
    var columns: Int32 = 0
    rl_get_screen_size(&rows, &columns)
    guard !line.contains("\n"), shown.count + line.count < Int(columns) else { return }
    let after = String(decoding: Array(line.utf8).dropFirst(Int(rl_point)), as: UTF8.self).count
    let visible = prompt.replacing(/[\u{1}\u{2}]/, with: "")
    var out = "\r" + visible + SyntaxHighlighter.highlight(line)
    if after > 0 { out += "\u{1B}[\(after)D" }
    _ = out.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
  }

  static func setUp() {
    rl_readline_name = UnsafePointer(strdup("nabla"))
    rl_getc_function = getCharacter
    rl_attempted_completion_function = attemptCompletion
    rl_completer_word_break_characters = UnsafePointer(strdup(ReplEngine.wordBreaks))
    rl_completer_quote_characters = UnsafePointer(strdup(""))
    // nor close a string after a completion: a directory goes on, a file's match ends in the
    // quote itself (readline would append the quote that preceded the word)
    rl_basic_quote_characters = UnsafePointer(strdup(""))
    // typing a closing bracket shows its opener for a moment (~/.inputrc can turn it off)
    _ = rl_variable_bind("blink-matching-paren", "on")
  }

  /// One line, or `nil` at end of input (Ctrl-D).
  static func read(_ prompt: String) -> String? {
    wasInterrupted = false
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    return String(cString: raw)
  }

  static let getCharacter: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { file in
    while true {
      var c: UInt8 = 0
      let n = Glibc.read(fileno(file), &c, 1)
      if n == 1 { return Int32(c) }
      if n == 0 { return EOF }
      if errno == EINTR {
        rl_check_signals()
        if interrupt.isCancelled {
          interrupt.reset()
          wasInterrupted = true
          rl_replace_line("", 0)
          return 10  // readline returns the (now empty) line
        }
        _ = rl_forced_update_display()  // redraw the prompt after Ctrl-Z and fg, or a resize
        continue
      }
      return EOF
    }
  }

  static let generator:
    @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
      guard matchIndex < matches.count else { return nil }
      defer { matchIndex += 1 }
      return strdup(matches[matchIndex])
    }

  static let attemptCompletion:
    @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<
      UnsafeMutablePointer<CChar>?
    >? = {
      text, start, end in
      rl_attempted_completion_over = 1  // no fallback to file names
      let line = rl_line_buffer.map { String(cString: $0) } ?? ""
      let cursor = String(decoding: Array(line.utf8).prefix(Int(end)), as: UTF8.self).count
      matches = engine?.completions(line: line, cursor: cursor) ?? []
      matchIndex = 0
      rl_completion_suppress_append = 1  // no space after a name: `jacrev(` follows directly
      return rl_completion_matches(text, generator)
    }
}
