import CKernels

/// Whether this CPU runs the AVX2 and FMA kernels of `CKernels` (matrix products, strided
/// arithmetic, float32 `tanh`), asked once.
let hasVectorKernels = nabla_gemm_avx2_available() != 0

/// A float32 kernel over contiguous elements: `out[i] = f(x[i])` for `i < n`.
typealias VectorUnaryKernel =
  @Sendable (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int)
  -> Void
