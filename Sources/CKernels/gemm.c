// Packed matrix products (a 6 × 16 float32 SIMD kernel reaches 81-88 GFLOP/s on one Zen 3
// core, OpenBLAS 93-95). Compiled for AVX2+FMA per function and chosen at
// run time, so the package needs no CPU-specific build flags.
#include "CKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

// rows per register tile, and the k, row and column blocks that keep packed panels in cache
enum { MR = 6, KC = 256, MC = 72, NC = 4096 };

int nabla_gemm_avx2_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

#define T float
#define VEC __m256
#define LANES 8
#define ZERO _mm256_setzero_ps
#define LOAD _mm256_loadu_ps
#define STORE _mm256_storeu_ps
#define ADD _mm256_add_ps
#define FMADD _mm256_fmadd_ps
#define BROADCAST _mm256_broadcast_ss
#define NAME(x) x##_f32
#define GEMM nabla_sgemm_avx2
#include "gemm_avx2.h"
#undef T
#undef VEC
#undef LANES
#undef ZERO
#undef LOAD
#undef STORE
#undef ADD
#undef FMADD
#undef BROADCAST
#undef NAME
#undef GEMM

#define T double
#define VEC __m256d
#define LANES 4
#define ZERO _mm256_setzero_pd
#define LOAD _mm256_loadu_pd
#define STORE _mm256_storeu_pd
#define ADD _mm256_add_pd
#define FMADD _mm256_fmadd_pd
#define BROADCAST _mm256_broadcast_sd
#define NAME(x) x##_f64
#define GEMM nabla_dgemm_avx2
#include "gemm_avx2.h"

#else

int nabla_gemm_avx2_available(void) { return 0; }

int nabla_sgemm_avx2(const float *a, const float *b, float *c, long m, long k, long n,
                     long row_begin, long row_end,
                     int (*cancelled)(const void *context), const void *context) {
  (void)a, (void)b, (void)c, (void)m, (void)k, (void)n, (void)row_begin, (void)row_end;
  (void)cancelled, (void)context;
  return 0;
}

int nabla_dgemm_avx2(const double *a, const double *b, double *c, long m, long k, long n,
                     long row_begin, long row_end,
                     int (*cancelled)(const void *context), const void *context) {
  (void)a, (void)b, (void)c, (void)m, (void)k, (void)n, (void)row_begin, (void)row_end;
  (void)cancelled, (void)context;
  return 0;
}

#endif
