/// Batched matrix product `C[b] = A[b] · B[b]` for row-major `[batch, m, k]` and `[batch, k, n]`.
///
/// A cache-friendly i-k-j loop over raw pointers, which the compiler vectorises along `n`;
/// rows are shared out to the worker pool.
func matmul<T: TensorScalar>(_ a: [T], _ b: [T], batch: Int, m: Int, k: Int, n: Int) -> [T] {
  var c = [T](repeating: 0, count: batch * m * n)
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      c.withUnsafeMutableBufferPointer { pc in
        guard let A = pa.baseAddress, let B = pb.baseAddress, let C = pc.baseAddress else { return }
        // rows of all batches, split across the worker pool (each row is computed whole)
        WorkerPool.forEachRange(batch * m, costPerItem: k * n) { rows in
          for r in rows {
            // A long product stops early when cancelled; the interpreter then discards it.
            if CancellationFlag.shared.isCancelled { return }
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

extension Tensor.Storage {
  func matmul(_ other: Tensor.Storage, batch: Int, m: Int, k: Int, n: Int) -> Tensor.Storage {
    switch (self, other) {
    case (.f32(let a), .f32(let b)): .f32(NablaCore.matmul(a, b, batch: batch, m: m, k: k, n: n))
    case (.f64(let a), .f64(let b)): .f64(NablaCore.matmul(a, b, batch: batch, m: m, k: k, n: n))
    case (.f32(let a), .f64(let b)):
      .f64(NablaCore.matmul(a.map(Double.init), b, batch: batch, m: m, k: k, n: n))
    case (.f64(let a), .f32(let b)):
      .f64(NablaCore.matmul(a, b.map(Double.init), batch: batch, m: m, k: k, n: n))
    }
  }
}
