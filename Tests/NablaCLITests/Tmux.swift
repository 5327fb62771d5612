import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Drives a program in a real terminal: a tmux server on a private socket, `send-keys` to
/// type, `capture-pane` to read the screen.
final class Tmux {
  let socket = "nabla-test-\(UUID().uuidString.prefix(8))"
  let session = "t"

  static var isAvailable: Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
      || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
  }

  /// Runs a tmux command and waits for it (posix_spawn and waitpid: Foundation's `Process`
  /// leaves the tmux client unreaped on these threads); `capture` returns its output.
  @discardableResult
  func tmux(_ arguments: [String], capture: Bool = false) -> String {
    let argv = ["tmux", "-L", socket] + arguments
    var pipe: [Int32] = [0, 0]
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if capture {
      _ = Glibc.pipe(&pipe)
      posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
      posix_spawn_file_actions_addclose(&actions, pipe[0])
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    // Start with no blocked signals: this thread's mask (a thread pool's) would otherwise be
    // inherited by the tmux server and the programs it runs.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    var pid: pid_t = 0
    guard posix_spawnp(&pid, "tmux", &actions, &attributes, &cArgs, environ) == 0 else { return "" }
    var output: [UInt8] = []
    if capture {
      close(pipe[1])
      var buffer = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = read(pipe[0], &buffer, buffer.count)
        if n <= 0 { break }
        output += buffer[0..<n]
      }
      close(pipe[0])
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return String(decoding: output, as: UTF8.self)
  }

  /// Starts `command` in a 120×50 terminal.
  func start(_ command: String) {
    tmux(["new-session", "-d", "-s", session, "-x", "120", "-y", "50", command])
  }

  /// Types text literally, then presses Enter unless `enter` is false.
  func type(_ text: String, enter: Bool = true) {
    tmux(["send-keys", "-t", session, "-l", text])
    if enter { key("Enter") }
  }

  func key(_ name: String) { tmux(["send-keys", "-t", session, name]) }

  /// The screen and its scroll-back, without trailing blank lines.
  var screen: String {
    tmux(["capture-pane", "-t", session, "-p", "-S", "-200"], capture: true)
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      .reversed().drop(while: { $0.isEmpty }).reversed().joined(separator: "\n")
  }

  /// The screen with its colour escapes (tmux's rendering of them, `ESC[…m`).
  var colouredScreen: String {
    tmux(["capture-pane", "-t", session, "-p", "-e"], capture: true)
  }

  /// Waits until the screen contains `text` (polling every 20 ms); false after `timeout` s.
  @discardableResult
  func waitFor(_ text: String, timeout: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if screen.contains(text) { return true }
      usleep(20_000)
    }
    return false
  }

  /// Waits until the last line of the screen is exactly `prompt` (the REPL is ready).
  @discardableResult
  func waitForPrompt(_ prompt: String = ">", timeout: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if screen.split(separator: "\n").last.map({
        $0.trimmingCharacters(in: .whitespaces) == prompt
      }) == true {
        return true
      }
      usleep(20_000)
    }
    return false
  }

  /// Whether the program is still running (its session ends when it exits).
  var isRunning: Bool { tmux(["list-sessions"], capture: true).contains("\(session):") }

  /// Waits until the program has exited.
  func waitForExit(timeout: Double = 5) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if !isRunning { return true }
      usleep(20_000)
    }
    return false
  }

  func stop() { tmux(["kill-server"]) }
}
