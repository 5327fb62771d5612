#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A POSIX thread of our own: the interpreter's large-stack thread and the worker pool's threads.
struct PosixThread {
  let id: pthread_t

  /// Starts `body` on a new thread with `stackSize` bytes of stack (the system's default when
  /// `nil`), with SIGINT blocked when `blocksInterrupt` (so Ctrl-C is handled elsewhere);
  /// `nil` when no thread can be created.
  static func start(
    stackSize: Int? = nil, blocksInterrupt: Bool = false, _ body: @escaping () -> Void
  ) -> PosixThread? {
    let context = Unmanaged.passRetained(ThreadContext(body, blocksInterrupt)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    let created = pthread_create(
      &thread, &attributes,
      { raw in
        guard let raw else { return nil }
        let context = Unmanaged<ThreadContext>.fromOpaque(raw).takeRetainedValue()
        if context.blocksInterrupt {
          var signals = sigset_t()
          sigemptyset(&signals)
          sigaddset(&signals, SIGINT)
          pthread_sigmask(SIG_BLOCK, &signals, nil)
        }
        context.body()
        return nil
      }, context)
    guard created == 0 else {
      Unmanaged<ThreadContext>.fromOpaque(context).release()
      return nil
    }
    #if canImport(Glibc)
      return PosixThread(id: thread)
    #else
      return thread.map(PosixThread.init(id:))
    #endif
  }

  /// Waits for the thread to finish.
  func join() { pthread_join(id, nil) }

  /// Lets the thread run on its own, its resources freed when it ends.
  func detach() { pthread_detach(id) }
}

/// What a new thread runs.
private final class ThreadContext {
  let body: () -> Void
  let blocksInterrupt: Bool
  init(_ body: @escaping () -> Void, _ blocksInterrupt: Bool) {
    self.body = body
    self.blocksInterrupt = blocksInterrupt
  }
}
