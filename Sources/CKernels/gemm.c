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

long nabla_gemm_kc(void) { return KC; }
long nabla_gemm_nc(void) { return NC; }
long nabla_gemm_packed_b_count(void) { return (long)KC * (NC + 16); }

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
#define PACK_B nabla_sgemm_pack_b
#define BLOCK nabla_sgemm_block_avx2
#define DOT nabla_sdot_rows_avx2
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
#undef PACK_B
#undef BLOCK
#undef DOT

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
#define PACK_B nabla_dgemm_pack_b
#define BLOCK nabla_dgemm_block_avx2
#define DOT nabla_ddot_rows_avx2
#include "gemm_avx2.h"

#else

int nabla_gemm_avx2_available(void) { return 0; }
long nabla_gemm_kc(void) { return 256; }
long nabla_gemm_nc(void) { return 4096; }
long nabla_gemm_packed_b_count(void) { return 0; }

#define UNAVAILABLE(T, prefix)                                                               \
  void nabla_##prefix##gemm_pack_b(const T *b, long brs, long bcs, long p0, long kc, long j0,  \
                                   long nc, T *out) {                                        \
    (void)b, (void)brs, (void)bcs, (void)p0, (void)kc, (void)j0, (void)nc, (void)out;        \
  }                                                                                          \
  int nabla_##prefix##gemm_block_avx2(const T *a, long ars, long acs, const T *bpack, T *c,  \
                                      long ldc, long p0, long kc, long nc, long row_begin,   \
                                      long row_end, int accumulate) {                        \
    (void)a, (void)ars, (void)acs, (void)bpack, (void)c, (void)ldc, (void)p0, (void)kc;      \
    (void)nc, (void)row_begin, (void)row_end, (void)accumulate;                              \
    return 0;                                                                                \
  }                                                                                          \
  void nabla_##prefix##dot_rows_avx2(const T *a, long lda, const T *b, long ldb, T *c,       \
                                     long ldc, long k, long n, long row_begin, long row_end) { \
    (void)a, (void)lda, (void)b, (void)ldb, (void)c, (void)ldc, (void)k, (void)n;            \
    (void)row_begin, (void)row_end;                                                          \
  }
UNAVAILABLE(float, s)
UNAVAILABLE(double, d)

#endif
