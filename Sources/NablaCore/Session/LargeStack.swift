#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs `body` on a thread with a 512 MiB stack and waits for it.
///
/// Parsing and tracing recurse over the syntax tree; their depth limits keep recursion far
/// below this, on any calling thread (including test runners' small-stack threads). Only the
/// pages actually touched are ever committed. Falls back to the calling thread if a thread
/// cannot be created.
func withLargeStack<T>(_ body: () -> T) -> T {
  var result: T?
  return withoutActuallyEscaping(body) { escapable in
    let context = LargeStackContext()
    context.body = { result = escapable() }
    let raw = Unmanaged.passRetained(context).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, 512 << 20)
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    let created = pthread_create(
      &thread, &attributes,
      { raw in
        guard let raw else { return nil }
        let context = Unmanaged<LargeStackContext>.fromOpaque(raw).takeRetainedValue()
        context.body?()
        return nil
      }, raw)
    if created != 0 {
      Unmanaged<LargeStackContext>.fromOpaque(raw).release()
      return escapable()
    }
    #if canImport(Glibc)
      pthread_join(thread, nil)
    #else
      if let thread { pthread_join(thread, nil) }
    #endif
    guard let result else { return escapable() }
    return result
  }
}

/// The closure a large-stack thread runs.
private final class LargeStackContext {
  var body: (() -> Void)?
}
