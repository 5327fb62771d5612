// Elementwise arithmetic over strided operands (a broadcast read in place), 8 float32 lanes at
// a time with AVX2, chosen at run time like the matrix products.
#include "CKernels.h"

#if defined(__x86_64__)
#include "avx2_mask.h"
#include <stdint.h>

// For each operation: one row of n results, out[j] = x[j·xs] (op) y[j·ys]. A contiguous or
// broadcast operand is read eight lanes at a time, the last partial vector masked. A long row
// (64 or more) first computes a scalar head up to the first 32-byte boundary of out, so each
// cache line is written whole by two aligned stores instead of split across unaligned ones (a
// quarter less time for long rows that do not start on a boundary). Then the rows of the odometer
// over the leading axes.
#define ROW_BODY(VOP, SOP, XV, YV)                                                              \
  for (; j < head; j++) out[j] = SOP(x[j * xs], y[j * ys]);                                     \
  for (; j + 8 <= n; j += 8) _mm256_storeu_ps(out + j, VOP(XV, YV));                            \
  if (j < n) {                                                                                  \
    __m256i m = tail_mask(n - j);                                                               \
    _mm256_maskstore_ps(out + j, m, VOP(XV##_TAIL, YV##_TAIL));                                 \
  }
// An operand of ROW_BODY's vector steps: eight lanes loaded (masked in the tail), or the
// splat of a broadcast operand.
#define X_LOADED _mm256_loadu_ps(x + j)
#define X_LOADED_TAIL _mm256_maskload_ps(x + j, m)
#define Y_LOADED _mm256_loadu_ps(y + j)
#define Y_LOADED_TAIL _mm256_maskload_ps(y + j, m)
#define X_SPLAT xb
#define X_SPLAT_TAIL xb
#define Y_SPLAT yb
#define Y_SPLAT_TAIL yb
#define ROWS(NAME, VOP, SOP)                                                                    \
  __attribute__((target("avx2"), always_inline)) static inline void NAME##_row(                  \
      float *out, const float *x, long xs, const float *y, long ys, long n) {                   \
    long j = 0, head = (long)(((32 - ((uintptr_t)out & 31)) & 31) / 4);                         \
    if (n <= 0) return;                                                                         \
    if (n < 64) head = 0;                                                                       \
    if (xs < 0 || xs > 1 || ys < 0 || ys > 1 || xs + ys == 0) {                                 \
      for (; j < n; j++) out[j] = SOP(x[j * xs], y[j * ys]);                                    \
    } else if (xs == 1 && ys == 1) {                                                            \
      ROW_BODY(VOP, SOP, X_LOADED, Y_LOADED)                                                    \
    } else if (xs == 1) {                                                                       \
      __m256 yb = _mm256_set1_ps(*y);                                                           \
      ROW_BODY(VOP, SOP, X_LOADED, Y_SPLAT)                                                     \
    } else {                                                                                    \
      __m256 xb = _mm256_set1_ps(*x);                                                           \
      ROW_BODY(VOP, SOP, X_SPLAT, Y_LOADED)                                                     \
    }                                                                                           \
  }                                                                                             \
  __attribute__((target("avx2"))) static void NAME##_rows(                                      \
      float *out, const float *x, const long *xst, const float *y, const long *yst,             \
      const long *shape, int rank, long row_begin, long row_end) {                              \
    long inner = shape[rank - 1], index[16] = {0}, xo = 0, yo = 0, rest = row_begin;            \
    for (int axis = rank - 2; axis >= 0; axis--) {                                              \
      index[axis] = rest % shape[axis];                                                         \
      rest /= shape[axis];                                                                      \
      xo += index[axis] * xst[axis];                                                            \
      yo += index[axis] * yst[axis];                                                            \
    }                                                                                           \
    long xs = xst[rank - 1], ys = yst[rank - 1];                                                \
    for (long r = row_begin; r < row_end; r++) {                                                \
      NAME##_row(out + r * inner, x + xo, xs, y + yo, ys, inner);                               \
      for (int axis = rank - 2; axis >= 0; axis--) {                                            \
        index[axis] += 1;                                                                       \
        xo += xst[axis];                                                                        \
        yo += yst[axis];                                                                        \
        if (index[axis] < shape[axis]) break;                                                   \
        xo -= xst[axis] * shape[axis];                                                          \
        yo -= yst[axis] * shape[axis];                                                          \
        index[axis] = 0;                                                                        \
      }                                                                                         \
    }                                                                                           \
  }

#define SADD(a, b) ((a) + (b))
#define SSUB(a, b) ((a) - (b))
#define SMUL(a, b) ((a) * (b))
#define SDIV(a, b) ((a) / (b))
ROWS(add, _mm256_add_ps, SADD)
ROWS(sub, _mm256_sub_ps, SSUB)
ROWS(mul, _mm256_mul_ps, SMUL)
ROWS(div, _mm256_div_ps, SDIV)

void nabla_sbinary_rows_avx2(int op, float *out, const float *x, const long *xstrides,
                             const float *y, const long *ystrides, const long *shape, int rank,
                             long row_begin, long row_end) {
  if (rank <= 0 || rank > 16 || row_begin >= row_end) return;
  switch (op) {
  case NABLA_ADD: add_rows(out, x, xstrides, y, ystrides, shape, rank, row_begin, row_end); break;
  case NABLA_SUB: sub_rows(out, x, xstrides, y, ystrides, shape, rank, row_begin, row_end); break;
  case NABLA_MUL: mul_rows(out, x, xstrides, y, ystrides, shape, rank, row_begin, row_end); break;
  default: div_rows(out, x, xstrides, y, ystrides, shape, rank, row_begin, row_end); break;
  }
}

__attribute__((target("avx2"))) void nabla_sbinary_avx2(int op, float *out, const float *x,
                                                        const float *y, long n) {
  switch (op) {
  case NABLA_ADD: add_row(out, x, 1, y, 1, n); break;
  case NABLA_SUB: sub_row(out, x, 1, y, 1, n); break;
  case NABLA_MUL: mul_row(out, x, 1, y, 1, n); break;
  default: div_row(out, x, 1, y, 1, n); break;
  }
}

#else

void nabla_sbinary_avx2(int op, float *out, const float *x, const float *y, long n) {
  (void)op, (void)out, (void)x, (void)y, (void)n;
}

void nabla_sbinary_rows_avx2(int op, float *out, const float *x, const long *xstrides,
                             const float *y, const long *ystrides, const long *shape, int rank,
                             long row_begin, long row_end) {
  (void)op, (void)out, (void)x, (void)xstrides, (void)y, (void)ystrides, (void)shape;
  (void)rank, (void)row_begin, (void)row_end;
}

#endif
