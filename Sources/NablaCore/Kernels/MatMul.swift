import CKernels
import Synchronization

/// Batched matrix product `C[b] = A[b] · B[b]` for row-major `[batch, m, k]` and `[batch, k, n]`.
///
/// Large products go to the packed AVX2/FMA kernels when the CPU has them; otherwise a
/// cache-friendly i-k-j loop over raw pointers, which the compiler vectorises along `n`, with
/// rows shared out to the worker pool.
///
/// A long product polls `cancellation` and stops early once it is set (the caller then discards
/// the result).
func matmul<T: TensorScalar>(
  _ a: [T], _ b: [T], batch: Int, m: Int, k: Int, n: Int, cancellation: CancellationFlag?
) -> [T] {
  if usesPackedKernel(m: m, k: k, n: n),
    let c = packedProduct(a, b, batch: batch, m: m, k: k, n: n, cancellation: cancellation)
  {
    return c
  }
  var c = [T](repeating: 0, count: batch * m * n)
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      c.withUnsafeMutableBufferPointer { pc in
        guard let A = pa.baseAddress, let B = pb.baseAddress, let C = pc.baseAddress else { return }
        // rows of all batches, split across the worker pool (each row is computed whole)
        WorkerPool.forEachRange(batch * m, costPerItem: k * n) { rows in
          for r in rows {
            if cancellation?.isCancelled == true { return }
            let (bi, i) = r.quotientAndRemainder(dividingBy: m)
            let a0 = A + bi * m * k
            let b0 = B + bi * k * n
            let row = C + bi * m * n + i * n
            for p in 0..<k {
              let s = a0[i * k + p]
              if s == 0 { continue }
              let brow = b0 + p * n
              for j in 0..<n { row[j] += s * brow[j] }
            }
          }
        }
      }
    }
  }
  return c
}

/// Whether this CPU has AVX2 and FMA (the packed kernels' instructions), asked once.
private let hasPackedKernel = nabla_gemm_avx2_available() != 0

/// Below this many multiply-adds the simple kernel is as fast (packing costs more than it saves).
private let packedMinimumWork = 1 << 15

/// Whether a product of this size goes to the packed kernel: the CPU has it, the product is
/// large enough, and it has the rows and columns to fill the register tile (a vector–matrix
/// product, m = 1, would waste five of its six rows; the simple kernel streams it instead).
private func usesPackedKernel(m: Int, k: Int, n: Int) -> Bool {
  let (work, o1) = m.multipliedReportingOverflow(by: k)
  let (total, o2) = work.multipliedReportingOverflow(by: n)
  return hasPackedKernel && !o1 && !o2 && total >= packedMinimumWork && m >= 8 && n >= 8
}

/// Rows `rows` of one `m × k` by `k × n` product through the packed kernel of `CKernels` for
/// the element type; 0 if it could not allocate its buffers.
private func packedRows<T: TensorScalar>(
  _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ c: UnsafeMutablePointer<T>, m: Int, k: Int,
  n: Int, rows: Range<Int>, cancellation: CancellationFlag?
) -> Int32 {
  let cancelled: @convention(c) (UnsafeRawPointer?) -> Int32 = { context in
    guard let context else { return 0 }
    return Unmanaged<CancellationFlag>.fromOpaque(context).takeUnretainedValue().isCancelled
      ? 1 : 0
  }
  let context = cancellation.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) }
  if T.self == Float.self {
    return a.withMemoryRebound(to: Float.self, capacity: m * k) { a in
      b.withMemoryRebound(to: Float.self, capacity: k * n) { b in
        c.withMemoryRebound(to: Float.self, capacity: m * n) { c in
          nabla_sgemm_avx2(a, b, c, m, k, n, rows.lowerBound, rows.upperBound, cancelled, context)
        }
      }
    }
  }
  return a.withMemoryRebound(to: Double.self, capacity: m * k) { a in
    b.withMemoryRebound(to: Double.self, capacity: k * n) { b in
      c.withMemoryRebound(to: Double.self, capacity: m * n) { c in
        nabla_dgemm_avx2(a, b, c, m, k, n, rows.lowerBound, rows.upperBound, cancelled, context)
      }
    }
  }
}

/// The product through the packed AVX2/FMA kernels; rows are shared out to the worker pool,
/// each summed over k in the same order whatever the split, so results do not depend on the
/// thread count. `nil` if a kernel could not allocate its buffers.
private func packedProduct<T: TensorScalar>(
  _ a: [T], _ b: [T], batch: Int, m: Int, k: Int, n: Int, cancellation: CancellationFlag?
) -> [T]? {
  let failed = Atomic<Bool>(false)
  let c = [T](unsafeUninitializedCapacity: batch * m * n) { out, initialized in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        guard let A = pa.baseAddress, let B = pb.baseAddress, let C = out.baseAddress else {
          failed.store(true, ordering: .relaxed)
          return
        }
        WorkerPool.forEachRange(batch * m, costPerItem: max(1, k * n)) { rows in
          var r = rows.lowerBound
          while r < rows.upperBound, cancellation?.isCancelled != true {
            let (bi, i) = r.quotientAndRemainder(dividingBy: m)
            let end = min(rows.upperBound, (bi + 1) * m)
            let done = packedRows(
              A + bi * m * k, B + bi * k * n, C + bi * m * n, m: m, k: k, n: n,
              rows: i..<(i + end - r), cancellation: cancellation)
            if done == 0 { failed.store(true, ordering: .relaxed) }
            r = end
          }
        }
      }
    }
    initialized = batch * m * n
  }
  return failed.load(ordering: .relaxed) ? nil : c
}

extension Tensor.Storage {
  func matmul(
    _ other: Tensor.Storage, batch: Int, m: Int, k: Int, n: Int, cancellation: CancellationFlag?
  ) -> Tensor.Storage {
    let c = cancellation
    return switch (self, other) {
    case (.f32(let a), .f32(let b)):
      .f32(NablaCore.matmul(a, b, batch: batch, m: m, k: k, n: n, cancellation: c))
    case (.f64(let a), .f64(let b)):
      .f64(NablaCore.matmul(a, b, batch: batch, m: m, k: k, n: n, cancellation: c))
    case (.f32(let a), .f64(let b)):
      .f64(NablaCore.matmul(a.map(Double.init), b, batch: batch, m: m, k: k, n: n, cancellation: c))
    case (.f64(let a), .f32(let b)):
      .f64(NablaCore.matmul(a, b.map(Double.init), batch: batch, m: m, k: k, n: n, cancellation: c))
    }
  }
}
