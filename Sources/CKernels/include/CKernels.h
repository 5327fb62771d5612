#ifndef NABLA_CKERNELS_H
#define NABLA_CKERNELS_H

/// Whether this CPU runs the `*_avx2` kernels (x86-64 with AVX2 and FMA), checked at run time
/// so the default build runs on any x86-64 or arm64.
int nabla_gemm_avx2_available(void);

/// Rows `row_begin..<row_end` of `C = A · B` for row-major float32 `A` (m × k), `B` (k × n) and
/// `C` (m × n), overwriting those rows of `C`. A packed, cache-blocked product with a 6 × 16
/// AVX2/FMA register kernel. Each element of C is summed over k in the same order whatever rows
/// are asked for, so splitting the rows across threads gives identical results.
/// `cancelled(context)` is polled between blocks of rows; when it returns non-zero the product stops
/// early (C is then incomplete and must be discarded).
/// Call only when `nabla_gemm_avx2_available()` is non-zero; returns 0 when it could not get
/// its packing buffers (C is then untouched), else 1.
int nabla_sgemm_avx2(const float *a, const float *b, float *c, long m, long k, long n,
                     long row_begin, long row_end,
                     int (*cancelled)(const void *context), const void *context);

/// `nabla_sgemm_avx2` for float64 (a 6 × 8 register tile).
int nabla_dgemm_avx2(const double *a, const double *b, double *c, long m, long k, long n,
                     long row_begin, long row_end,
                     int (*cancelled)(const void *context), const void *context);

#endif
