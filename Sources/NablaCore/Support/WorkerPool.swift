import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A persistent fork–join pool for large kernels: `threads − 1` pthreads
/// that spin briefly (yielding) between regions and then park on a semaphore; the caller works
/// too.
///
/// A region is split into chunks at boundaries that depend only on its size, and chunks are
/// claimed dynamically; a chunk computes the same numbers whichever thread runs it, so results
/// do not depend on the thread count. Work below ``minimumParallelWork`` elements, nested
/// regions, and one-thread pools run serially on the caller. When the other core is busy the
/// caller simply claims every chunk itself and returns without waiting for a worker to wake.
public final class WorkerPool: @unchecked Sendable {
  /// Elements of cheap work below which a region runs serially (the pool's hand-off costs a
  /// few microseconds; 2 threads pay off from about 16K float32 elements when the worker is
  /// awake, measured on this machine kind). Measured on the workloads: 32K gave W6 1.6× on two threads
  /// where 64K gave 1.2×, and left W2's lone 64K-element kernels no slower.
  public static let minimumParallelWork = 1 << 15

  /// The process's pool, sized by ``configure(threads:)`` (default: every core).
  public static var shared: WorkerPool { sharedPool }

  /// Sets the size of ``shared`` before its first use (the `--threads` option).
  public static func configure(threads: Int) {
    requestedThreads.store(max(1, threads), ordering: .relaxed)
  }

  public let threads: Int
  private let generation = Atomic<Int>(0)
  private let busy = Atomic<Bool>(false)
  private let current = Mutex<Region?>(nil)
  private let workers: [Worker]

  public init(threads: Int) {
    self.threads = max(1, threads)
    workers = (1..<self.threads).map { _ in Worker() }
    for worker in workers {
      PosixThread.start(blocksInterrupt: true) { self.run(worker) }?.detach()
    }
  }

  /// Calls `body` on consecutive ranges covering `0..<count`, on the shared pool when
  /// `count × costPerItem` elements of work are enough (the pool and its threads are created
  /// only then, so small programs never start a thread). Ranges are fixed by `count` alone.
  public static func forEachRange(
    _ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void
  ) {
    let work = count.multipliedReportingOverflow(by: max(1, costPerItem))
    guard !work.overflow, work.partialValue >= minimumParallelWork else {
      body(0..<count)
      return
    }
    shared.split(count, costPerItem: max(1, costPerItem), body)
  }

  private func split(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
    let perChunk = max(1, (Self.minimumParallelWork / 4) / costPerItem)
    let chunks = min(16, count / perChunk)
    guard threads > 1, chunks > 1, !busy.exchange(true, ordering: .acquiring) else {
      body(0..<count)
      return
    }
    defer { busy.store(false, ordering: .releasing) }
    withoutActuallyEscaping(body) { escapable in
      let region = Region(chunks: chunks) { c in
        escapable((c * count / chunks)..<((c + 1) * count / chunks))
      }
      current.withLock { $0 = region }
      generation.add(1, ordering: .releasing)
      for worker in workers where worker.sleeping.exchange(false, ordering: .acquiringAndReleasing)
      {
        worker.semaphore.signal()
      }
      region.work()
      var spins = 0
      while region.remaining.load(ordering: .acquiring) > 0 {
        spins += 1
        if spins > 256 { sched_yield() }
      }
      region.task = nil
      current.withLock { $0 = nil }
    }
  }

  /// One worker's loop: wait for a new generation, help with its region, repeat.
  fileprivate func run(_ worker: Worker) {
    var seen = generation.load(ordering: .acquiring)
    while true {
      var spins = 0
      while generation.load(ordering: .acquiring) == seen {
        spins += 1
        if spins % 64 == 0 { sched_yield() }
        // about 100 µs awake (yielding), so back-to-back kernels find it hot
        guard spins > 16384 else { continue }
        // park: announce it, re-check, and sleep unless the dispatcher already saw the flag
        worker.sleeping.store(true, ordering: .sequentiallyConsistent)
        if generation.load(ordering: .sequentiallyConsistent) == seen {
          worker.semaphore.wait()
        } else if !worker.sleeping.exchange(false, ordering: .acquiringAndReleasing) {
          worker.semaphore.wait()  // the dispatcher signalled: consume it
        }
        spins = 0
      }
      seen = generation.load(ordering: .acquiring)
      current.withLock { $0 }?.work()
    }
  }
}

private let requestedThreads = Atomic<Int>(0)

private let sharedPool: WorkerPool = {
  let requested = requestedThreads.load(ordering: .relaxed)
  #if canImport(Glibc)
    let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
  #else
    let cores = 1
  #endif
  return WorkerPool(threads: requested > 0 ? requested : max(1, cores))
}()

/// One parallel region: a task per chunk, claimed in order by whichever thread is free.
private final class Region: @unchecked Sendable {
  var task: ((Int) -> Void)?
  let chunks: Int
  let next = Atomic<Int>(0)
  let remaining: Atomic<Int>

  init(chunks: Int, task: @escaping (Int) -> Void) {
    self.chunks = chunks
    self.task = task
    remaining = Atomic(chunks)
  }

  /// Runs unclaimed chunks until none are left.
  func work() {
    while true {
      let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
      guard c < chunks else { return }
      run(c)
      remaining.subtract(1, ordering: .releasing)
    }
  }

  /// One chunk; the task is released before the chunk counts as done, so the dispatcher can
  /// drop it (and its non-escaping body) as soon as `remaining` reaches 0.
  @inline(never) private func run(_ c: Int) { task?(c) }
}

private final class Worker: Sendable {
  let sleeping = Atomic<Bool>(false)
  let semaphore = DispatchSemaphore(value: 0)
}
