/// Runs `body` on a thread with a 512 MiB stack and waits for it.
///
/// Parsing and tracing recurse over the syntax tree; their depth limits keep recursion far
/// below this, on any calling thread (including test runners' small-stack threads). Only the
/// pages actually touched are ever committed. Falls back to the calling thread if a thread
/// cannot be created.
func withLargeStack<T>(_ body: () -> T) -> T {
  var result: T?
  return withoutActuallyEscaping(body) { escapable in
    guard let thread = PosixThread.start(stackSize: 512 << 20, { result = escapable() }) else {
      return escapable()
    }
    thread.join()
    guard let result else { return escapable() }
    return result
  }
}
