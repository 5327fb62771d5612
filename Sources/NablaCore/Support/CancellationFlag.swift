import Synchronization

/// Set from a signal handler (Ctrl-C) or another thread; checked by the interpreter between
/// equations and by long kernels, so a long evaluation stops promptly and the session stays as
/// it was.
///
/// A session owns one and passes it down to what it runs. Setting it is async-signal-safe (a
/// store to an atomic), so the executable's Ctrl-C handler can hold the process's flag in a
/// global and give it to its session.
public final class CancellationFlag: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  public func cancel() { flag.store(true, ordering: .relaxed) }
  public func reset() { flag.store(false, ordering: .relaxed) }
  public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
