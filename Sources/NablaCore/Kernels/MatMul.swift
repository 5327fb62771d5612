import CKernels
import Synchronization

/// Where a batch of matrices lies in memory: element `(b, i, j)` of a `[batch, rows, columns]`
/// view is at `b·batch + i·row + j·column`, so a transposed operand (or one whose axes were
/// permuted in any way that keeps rows and columns strided) is read without a copy.
struct MatrixLayout: Equatable {
  var batch: Int
  var row: Int
  var column: Int

  /// `[batch, rows, columns]` stored row-major.
  static func contiguous(rows: Int, columns: Int) -> MatrixLayout {
    MatrixLayout(batch: rows * columns, row: columns, column: 1)
  }

  /// The layout of a row-major tensor of `shape` read as a batch of matrices whose batch,
  /// row and column indices are its axes `batch`, `rows` and `columns` (each list in order),
  /// or `nil` when the axes of a list cannot be read as one strided axis.
  static func reading(_ shape: [Int], batch: [Int], rows: [Int], columns: [Int]) -> MatrixLayout? {
    let strides = Shape.strides(shape)
    func merged(_ axes: [Int]) -> Int? {
      let varying = axes.filter { shape[$0] != 1 }
      guard let last = varying.last else { return 1 }  // one element: any stride reads it
      for (x, y) in zip(varying, varying.dropFirst()) where strides[x] != strides[y] * shape[y] {
        return nil
      }
      return strides[last]
    }
    guard let b = merged(batch), let r = merged(rows), let c = merged(columns) else { return nil }
    return MatrixLayout(batch: b, row: r, column: c)
  }
}

/// `C[b] = A[b] · B[b]` for `batch` products of an `m × k` matrix A and a `k × n` matrix B in
/// the given layouts; C is `[batch, m, n]`, row-major.
///
/// - Products with rows and columns enough to fill the 6 × 16 register tile go to the packed
///   AVX2/FMA kernel where the CPU has it: each block of B is packed once, from either layout,
///   and the rows are shared out to the worker pool (or, for a batch, whole products are).
/// - Thin products whose operands both run along k (a matrix times a vector, `x · Wᵀ`) are
///   dot products, vectorised along k.
/// - The rest stream rows of B (i-k-j, vectorised along n).
///
/// Every element is summed over k in the same order whatever the thread count. A long product
/// polls `cancellation` between blocks and stops early once it is set (the caller then
/// discards the result).
func contract<T: TensorScalar>(
  _ a: UnsafePointer<T>, _ la: MatrixLayout, _ b: UnsafePointer<T>, _ lb: MatrixLayout,
  batch: Int, m: Int, k: Int, n: Int, cancellation: CancellationFlag?
) -> [T] {
  let total = batch * m * n
  guard k > 0, total > 0 else { return [T](repeating: 0, count: total) }
  return [T](unsafeUninitializedCapacity: total) { out, initialized in
    defer { initialized = total }
    guard let c = out.baseAddress else { return }
    if usesPackedKernel(m: m, k: k, n: n),
      packedProduct(a, la, b, lb, c, batch: batch, m: m, k: k, n: n, cancellation: cancellation)
    {
      return
    }
    let alongK = (k == 1 || la.column == 1) && (k == 1 || lb.row == 1)
    if alongK && (n < 16 || (n > 1 && lb.column != 1)) {
      dotProducts(a, la, b, lb, c, batch: batch, m: m, k: k, n: n)
    } else if n == 1 || lb.column == 1 {
      streamedProduct(a, la, b, lb, c, batch: batch, m: m, k: k, n: n, cancellation: cancellation)
    } else {
      // B strided along both axes: copy it row-major first
      var dense: [T] = []
      dense.reserveCapacity(batch * k * n)
      for bi in 0..<batch {
        for p in 0..<k {
          for j in 0..<n { dense.append(b[bi * lb.batch + p * lb.row + j * lb.column]) }
        }
      }
      dense.withUnsafeBufferPointer { d in
        guard let d = d.baseAddress else { return }
        streamedProduct(
          a, la, d, .contiguous(rows: k, columns: n), c, batch: batch, m: m, k: k, n: n,
          cancellation: cancellation)
      }
    }
  }
}

/// `matmul(a, b)` of contiguous `[batch, m, k]` and `[batch, k, n]` arrays.
func matmul<T: TensorScalar>(
  _ a: [T], _ b: [T], batch: Int, m: Int, k: Int, n: Int, cancellation: CancellationFlag?
) -> [T] {
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      guard let pa = pa.baseAddress, let pb = pb.baseAddress else {
        return [T](repeating: 0, count: batch * m * n)
      }
      return contract(
        pa, .contiguous(rows: m, columns: k), pb, .contiguous(rows: k, columns: n), batch: batch,
        m: m, k: k, n: n, cancellation: cancellation)
    }
  }
}

// MARK: - Kernels

/// `C[i, :] += A[i, p] · B[p, :]`, rows of all batches shared out to the worker pool.
private func streamedProduct<T: TensorScalar>(
  _ a: UnsafePointer<T>, _ la: MatrixLayout, _ b: UnsafePointer<T>, _ lb: MatrixLayout,
  _ c: UnsafeMutablePointer<T>, batch: Int, m: Int, k: Int, n: Int,
  cancellation: CancellationFlag?
) {
  c.initialize(repeating: 0, count: batch * m * n)
  let step = n == 1 ? 0 : lb.column  // a single column is contiguous however it is stored
  WorkerPool.forEachRange(batch * m, costPerItem: k * n) { rows in
    for r in rows {
      if cancellation?.isCancelled == true { return }
      let (bi, i) = r.quotientAndRemainder(dividingBy: m)
      let a0 = a + bi * la.batch + i * la.row
      let b0 = b + bi * lb.batch
      let row = c + r * n
      for p in 0..<k {
        let s = a0[p * la.column]
        if s == 0 { continue }
        let brow = b0 + p * lb.row
        if step == 1 || n == 1 {
          for j in 0..<n { row[j] += s * brow[j] }
        } else {
          for j in 0..<n { row[j] += s * brow[j * step] }
        }
      }
    }
  }
}

/// `C[i, j] = Σ_p A[i, p] · B[p, j]` as one dot product per element, for operands that both
/// run contiguously along k.
private func dotProducts<T: TensorScalar>(
  _ a: UnsafePointer<T>, _ la: MatrixLayout, _ b: UnsafePointer<T>, _ lb: MatrixLayout,
  _ c: UnsafeMutablePointer<T>, batch: Int, m: Int, k: Int, n: Int
) {
  WorkerPool.forEachRange(batch * m, costPerItem: k * n) { rows in
    var r = rows.lowerBound
    while r < rows.upperBound {
      let (bi, i) = r.quotientAndRemainder(dividingBy: m)
      let end = min(rows.upperBound, (bi + 1) * m)
      let (a0, b0, c0) = (a + bi * la.batch, b + bi * lb.batch, c + bi * m * n)
      if hasVectorKernels {
        KernelScalar<T>.dotRows(
          a0, la.row, b0, lb.column, c0, n, k: k, n: n, rows: i..<(i + end - r))
      } else {
        for ii in i..<(i + end - r) {
          for j in 0..<n {
            let (x, y) = (a0 + ii * la.row, b0 + j * lb.column)
            var (s0, s1, s2, s3) = (T.zero, T.zero, T.zero, T.zero)
            var p = 0
            while p + 4 <= k {
              s0 += x[p] * y[p]
              s1 += x[p + 1] * y[p + 1]
              s2 += x[p + 2] * y[p + 2]
              s3 += x[p + 3] * y[p + 3]
              p += 4
            }
            var sum = (s0 + s1) + (s2 + s3)
            while p < k {
              sum += x[p] * y[p]
              p += 1
            }
            c0[ii * n + j] = sum
          }
        }
      }
      r = end
    }
  }
}

/// Below this many multiply-adds the unpacked kernels are as fast (packing costs more than it
/// saves).
private let packedMinimumWork = 1 << 15

/// Multiply–adds of the packed kernel that cost about as much as one element of elementwise
/// work (the unit of ``WorkerPool/minimumParallelWork``): eight lanes and two FMA units
/// against a load, an operation and a store.
private let multiplyAddsPerElement = 8

/// Whether a product of this size goes to the packed kernel: the CPU has it, the product is
/// large enough, and it has the rows and columns to fill the register tile (a vector–matrix
/// product, m = 1, would waste five of its six rows; the other kernels stream it instead).
private func usesPackedKernel(m: Int, k: Int, n: Int) -> Bool {
  let (work, o1) = m.multipliedReportingOverflow(by: k)
  let (total, o2) = work.multipliedReportingOverflow(by: n)
  return hasVectorKernels && !o1 && !o2 && total >= packedMinimumWork && m >= 8 && n >= 8
}

/// The product through the packed kernels. One product: each block of B is packed once and
/// the rows are shared out; a batch: whole products are shared out, each packing its own B.
/// `false` if a kernel could not allocate its buffers.
private func packedProduct<T: TensorScalar>(
  _ a: UnsafePointer<T>, _ la: MatrixLayout, _ b: UnsafePointer<T>, _ lb: MatrixLayout,
  _ c: UnsafeMutablePointer<T>, batch: Int, m: Int, k: Int, n: Int,
  cancellation: CancellationFlag?
) -> Bool {
  let (kc, nc) = (nabla_gemm_kc(), nabla_gemm_nc())
  let packedCount = nabla_gemm_packed_b_count()
  guard packedCount > 0 else { return false }
  /// One product, its rows shared out to the pool when `split`.
  func product(
    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ c: UnsafeMutablePointer<T>, split: Bool
  )
    -> Bool
  {
    let packed = UnsafeMutablePointer<T>.allocate(capacity: packedCount)
    defer { packed.deallocate() }
    let failed = Atomic<Bool>(false)
    for j0 in stride(from: 0, to: n, by: nc) {
      let width = min(nc, n - j0)
      for p0 in stride(from: 0, to: k, by: kc) {
        if cancellation?.isCancelled == true { return true }
        let depth = min(kc, k - p0)
        KernelScalar<T>.packB(b, lb.row, lb.column, p0, depth, j0, width, packed)
        let block = { (rows: Range<Int>) in
          // a few register-tile rows at a time, polling for cancellation between them
          for start in stride(from: rows.lowerBound, to: rows.upperBound, by: 72) {
            if cancellation?.isCancelled == true { return }
            let done = KernelScalar<T>.block(
              a, la.row, la.column, packed, c + j0, n, p0, depth, width,
              start..<min(rows.upperBound, start + 72), accumulate: p0 > 0)
            if !done { failed.store(true, ordering: .relaxed) }
          }
        }
        if split {
          WorkerPool.forEachRange(m, costPerItem: depth * width / multiplyAddsPerElement) {
            block($0)
          }
        } else {
          block(0..<m)
        }
      }
    }
    return !failed.load(ordering: .relaxed)
  }
  if batch == 1 {
    return product(a, b, c, split: true)
  }
  let status = UnsafeMutablePointer<Bool>.allocate(capacity: batch)
  defer { status.deallocate() }
  status.initialize(repeating: true, count: batch)
  WorkerPool.forEachRange(batch, costPerItem: m * k * n / multiplyAddsPerElement) { items in
    for bi in items {
      status[bi] = product(a + bi * la.batch, b + bi * lb.batch, c + bi * m * n, split: false)
    }
  }
  return (0..<batch).allSatisfy { status[$0] }
}

/// The C kernels for an element type: float32 or float64.
private enum KernelScalar<T: TensorScalar> {
  static func packB(
    _ b: UnsafePointer<T>, _ rowStride: Int, _ columnStride: Int, _ p0: Int, _ kc: Int,
    _ j0: Int, _ nc: Int, _ out: UnsafeMutablePointer<T>
  ) {
    if T.self == Float.self {
      b.withMemoryRebound(to: Float.self, capacity: 1) { b in
        out.withMemoryRebound(to: Float.self, capacity: 1) { out in
          nabla_sgemm_pack_b(b, rowStride, columnStride, p0, kc, j0, nc, out)
        }
      }
    } else {
      b.withMemoryRebound(to: Double.self, capacity: 1) { b in
        out.withMemoryRebound(to: Double.self, capacity: 1) { out in
          nabla_dgemm_pack_b(b, rowStride, columnStride, p0, kc, j0, nc, out)
        }
      }
    }
  }

  static func block(
    _ a: UnsafePointer<T>, _ rowStride: Int, _ columnStride: Int, _ packed: UnsafePointer<T>,
    _ c: UnsafeMutablePointer<T>, _ ldc: Int, _ p0: Int, _ kc: Int, _ nc: Int,
    _ rows: Range<Int>, accumulate: Bool
  ) -> Bool {
    let flag: Int32 = accumulate ? 1 : 0
    if T.self == Float.self {
      return a.withMemoryRebound(to: Float.self, capacity: 1) { a in
        packed.withMemoryRebound(to: Float.self, capacity: 1) { packed in
          c.withMemoryRebound(to: Float.self, capacity: 1) { c in
            nabla_sgemm_block_avx2(
              a, rowStride, columnStride, packed, c, ldc, p0, kc, nc, rows.lowerBound,
              rows.upperBound, flag) != 0
          }
        }
      }
    }
    return a.withMemoryRebound(to: Double.self, capacity: 1) { a in
      packed.withMemoryRebound(to: Double.self, capacity: 1) { packed in
        c.withMemoryRebound(to: Double.self, capacity: 1) { c in
          nabla_dgemm_block_avx2(
            a, rowStride, columnStride, packed, c, ldc, p0, kc, nc, rows.lowerBound,
            rows.upperBound, flag) != 0
        }
      }
    }
  }

  static func dotRows(
    _ a: UnsafePointer<T>, _ lda: Int, _ b: UnsafePointer<T>, _ ldb: Int,
    _ c: UnsafeMutablePointer<T>, _ ldc: Int, k: Int, n: Int, rows: Range<Int>
  ) {
    if T.self == Float.self {
      a.withMemoryRebound(to: Float.self, capacity: 1) { a in
        b.withMemoryRebound(to: Float.self, capacity: 1) { b in
          c.withMemoryRebound(to: Float.self, capacity: 1) { c in
            nabla_sdot_rows_avx2(a, lda, b, ldb, c, ldc, k, n, rows.lowerBound, rows.upperBound)
          }
        }
      }
    } else {
      a.withMemoryRebound(to: Double.self, capacity: 1) { a in
        b.withMemoryRebound(to: Double.self, capacity: 1) { b in
          c.withMemoryRebound(to: Double.self, capacity: 1) { c in
            nabla_ddot_rows_avx2(a, lda, b, ldb, c, ldc, k, n, rows.lowerBound, rows.upperBound)
          }
        }
      }
    }
  }
}
