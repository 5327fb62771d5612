import CKernels

/// Whether this CPU runs the AVX2 and FMA kernels of `CKernels` (matrix products, strided
/// arithmetic, float32 `tanh`, `sin`, `cos`), asked once.
let hasVectorKernels = nabla_gemm_avx2_available() != 0

/// The kernels this CPU gets, for `nabla --version`.
public let kernelDescription =
  hasVectorKernels
  ? "AVX2+FMA (packed 6x16 float32 / 6x8 float64 matrix products, vector tanh/sin/cos)"
  : "portable Swift (this CPU has no AVX2+FMA)"

/// A float32 kernel over contiguous elements: `out[i] = f(x[i])` for `i < n`.
typealias VectorUnaryKernel =
  @Sendable (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int)
  -> Void
