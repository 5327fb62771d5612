// Elementwise arithmetic over strided operands (a broadcast read in place), 8 float32 lanes at
// a time with AVX2, chosen at run time like the matrix products.
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static inline __m256 op8(int op, __m256 a, __m256 b) {
  switch (op) {
  case NABLA_ADD: return _mm256_add_ps(a, b);
  case NABLA_SUB: return _mm256_sub_ps(a, b);
  case NABLA_MUL: return _mm256_mul_ps(a, b);
  default: return _mm256_div_ps(a, b);
  }
}

static inline float op1(int op, float a, float b) {
  switch (op) {
  case NABLA_ADD: return a + b;
  case NABLA_SUB: return a - b;
  case NABLA_MUL: return a * b;
  default: return a / b;
  }
}

// The lanes below n of eight, as a mask for masked loads and stores.
__attribute__((target("avx2"))) static inline __m256i tail_mask(long n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// One row of n results: out[j] = x[j·xs] (op) y[j·ys]; the last partial vector is masked.
__attribute__((target("avx2"))) static void row(int op, float *out, const float *x, long xs,
                                                const float *y, long ys, long n) {
  long j = 0;
  if (xs == 1 && ys == 1) {
    for (; j + 8 <= n; j += 8)
      _mm256_storeu_ps(out + j, op8(op, _mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
    if (j < n) {
      __m256i m = tail_mask(n - j);
      __m256 a = _mm256_maskload_ps(x + j, m), b = _mm256_maskload_ps(y + j, m);
      _mm256_maskstore_ps(out + j, m, op8(op, a, b));
    }
  } else if (xs == 1 && ys == 0) {
    __m256 s = _mm256_set1_ps(*y);
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(out + j, op8(op, _mm256_loadu_ps(x + j), s));
    if (j < n) {
      __m256i m = tail_mask(n - j);
      _mm256_maskstore_ps(out + j, m, op8(op, _mm256_maskload_ps(x + j, m), s));
    }
  } else if (xs == 0 && ys == 1) {
    __m256 s = _mm256_set1_ps(*x);
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(out + j, op8(op, s, _mm256_loadu_ps(y + j)));
    if (j < n) {
      __m256i m = tail_mask(n - j);
      _mm256_maskstore_ps(out + j, m, op8(op, s, _mm256_maskload_ps(y + j, m)));
    }
  } else {
    for (; j < n; j++) out[j] = op1(op, x[j * xs], y[j * ys]);
  }
}

__attribute__((target("avx2"))) void nabla_sbinary_rows_avx2(
    int op, float *out, const float *x, const long *xstrides, const float *y,
    const long *ystrides, const long *shape, int rank, long row_begin, long row_end) {
  if (rank <= 0 || row_begin >= row_end) return;
  long inner = shape[rank - 1];
  long index[16] = {0};
  long xo = 0, yo = 0, rest = row_begin;
  for (int axis = rank - 2; axis >= 0; axis--) {
    index[axis] = rest % shape[axis];
    rest /= shape[axis];
    xo += index[axis] * xstrides[axis];
    yo += index[axis] * ystrides[axis];
  }
  for (long r = row_begin; r < row_end; r++) {
    row(op, out + r * inner, x + xo, xstrides[rank - 1], y + yo, ystrides[rank - 1], inner);
    for (int axis = rank - 2; axis >= 0; axis--) {
      index[axis] += 1;
      xo += xstrides[axis];
      yo += ystrides[axis];
      if (index[axis] < shape[axis]) break;
      xo -= xstrides[axis] * shape[axis];
      yo -= ystrides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
}

#else

void nabla_sbinary_rows_avx2(int op, float *out, const float *x, const long *xstrides,
                             const float *y, const long *ystrides, const long *shape, int rank,
                             long row_begin, long row_end) {
  (void)op, (void)out, (void)x, (void)xstrides, (void)y, (void)ystrides, (void)shape;
  (void)rank, (void)row_begin, (void)row_end;
}

#endif
