/// How the C allocator treats the interpreter's large, short-lived tensors.
///
/// By default glibc serves every allocation over 128 KiB–32 MiB with a fresh `mmap` and unmaps
/// it on free, so each run of a plan page-faults every byte of every intermediate again (in a
/// profile of W6, 60 % of the time was the kernel zeroing pages). Like PyTorch's caching
/// allocator and XLA's arena, nabla keeps freed memory in the process instead: one arena, no
/// `mmap` per tensor, no trimming. The REPL gives the memory back when it waits for input.
enum Allocator {
  /// Keeps freed memory for reuse (call once, before any tensor exists).
  static func keepFreedMemory() {
    #if os(Linux)
      // <malloc.h>: M_TRIM_THRESHOLD -1, M_MMAP_MAX -4, M_ARENA_MAX -8
      _ = glibcMallopt(-8, 1)
      _ = glibcMallopt(-4, 0)
      _ = glibcMallopt(-1, Int32.max)
    #endif
  }

  /// Returns freed memory to the system.
  static func releaseFreedMemory() {
    #if os(Linux)
      _ = glibcMallocTrim(0)
    #endif
  }
}

#if os(Linux)
  // glibc's <malloc.h> is not part of Swift's Glibc module.
  @_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
  @_silgen_name("malloc_trim") private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
