import Synchronization

/// Set from a signal handler (Ctrl-C) or another thread; checked by the interpreter between
/// equations, so a long evaluation stops promptly and the session stays as it was.
public final class CancellationFlag: Sendable {
  private let flag = Atomic<Bool>(false)

  /// The process's flag: the Ctrl-C handler sets it, every session and long kernel reads it.
  /// (A signal handler can reach only global state; storing to an atomic is async-signal-safe.)
  public static let shared = CancellationFlag()

  public init() {}

  public func cancel() { flag.store(true, ordering: .relaxed) }
  public func reset() { flag.store(false, ordering: .relaxed) }
  public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
