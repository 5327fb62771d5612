// One packed matrix product, instantiated by gemm.c for float32 and float64: `T` the element,
// `VEC` an AVX2 register of `LANES` of them, and the intrinsics that load, store, broadcast,
// add and fuse-multiply-add them. NR = 2 · LANES columns by MR rows make the register tile.
#define NR (2 * LANES)

// B[p0..p0+kc, j0..j0+nc] as panels of NR columns, each kc × NR, zero-padded on the right.
static void NAME(pack_b)(const T *b, long n, long p0, long kc, long j0, long nc, T *out) {
  for (long j = 0; j < nc; j += NR) {
    long w = nc - j < NR ? nc - j : NR;
    for (long p = 0; p < kc; p++) {
      const T *src = b + (p0 + p) * n + j0 + j;
      T *dst = out + j * kc + p * NR;
      long c = 0;
      for (; c < w; c++) dst[c] = src[c];
      for (; c < NR; c++) dst[c] = 0;
    }
  }
}

// A[i0..i0+mc, p0..p0+kc] as panels of MR rows, each kc × MR, zero-padded below.
static void NAME(pack_a)(const T *a, long k, long i0, long mc, long p0, long kc, T *out) {
  for (long i = 0; i < mc; i += MR) {
    long h = mc - i < MR ? mc - i : MR;
    for (long p = 0; p < kc; p++) {
      T *dst = out + i * kc + p * MR;
      long r = 0;
      for (; r < h; r++) dst[r] = a[(i0 + i + r) * k + p0 + p];
      for (; r < MR; r++) dst[r] = 0;
    }
  }
}

// c[0..MR, 0..NR] (row stride ldc) += or = the product of an A panel and a B panel.
__attribute__((target("avx2,fma"))) static void NAME(kernel)(long kc, const T *ap, const T *bp,
                                                             T *c, long ldc, int accumulate) {
  VEC acc[MR][2];
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = ZERO();
  for (long p = 0; p < kc; p++) {
    VEC b0 = LOAD(bp + p * NR);
    VEC b1 = LOAD(bp + p * NR + LANES);
    for (int r = 0; r < MR; r++) {
      VEC a = BROADCAST(ap + p * MR + r);
      acc[r][0] = FMADD(a, b0, acc[r][0]);
      acc[r][1] = FMADD(a, b1, acc[r][1]);
    }
  }
  for (int r = 0; r < MR; r++) {
    T *row = c + r * ldc;
    if (accumulate) {
      acc[r][0] = ADD(acc[r][0], LOAD(row));
      acc[r][1] = ADD(acc[r][1], LOAD(row + LANES));
    }
    STORE(row, acc[r][0]);
    STORE(row + LANES, acc[r][1]);
  }
}

__attribute__((target("avx2,fma"))) int GEMM(const T *a, const T *b, T *c, long m, long k,
                                             long n, long row_begin, long row_end,
                                             int (*cancelled)(const void *context),
                                             const void *context) {
  (void)m;  // the rows asked for are row_begin..<row_end
  long kcmax = k < KC ? (k > 0 ? k : 1) : KC;
  long ncmax = n < NC ? n : NC;
  long rows = row_end - row_begin < MC ? row_end - row_begin : MC;
  size_t bbytes = sizeof(T) * (size_t)kcmax * (size_t)((ncmax + NR - 1) / NR * NR);
  size_t abytes = sizeof(T) * (size_t)kcmax * (size_t)((rows + MR - 1) / MR * MR);
  T *bpack = aligned_alloc(64, (bbytes + 63) / 64 * 64 + 64);
  T *apack = aligned_alloc(64, (abytes + 63) / 64 * 64 + 64);
  if (!bpack || !apack) {
    free(bpack);
    free(apack);
    return 0;
  }
  T edge[MR * NR] = {0};
  if (k == 0) {
    for (long i = row_begin; i < row_end; i++) memset(c + i * n, 0, sizeof(T) * n);
  }
  for (long j0 = 0; j0 < n; j0 += NC) {
    long nc = n - j0 < NC ? n - j0 : NC;
    for (long p0 = 0; p0 < k; p0 += KC) {
      long kc = k - p0 < KC ? k - p0 : KC;
      NAME(pack_b)(b, n, p0, kc, j0, nc, bpack);
      for (long i0 = row_begin; i0 < row_end; i0 += MC) {
        if (cancelled && cancelled(context)) {
          free(bpack);
          free(apack);
          return 1;
        }
        long mc = row_end - i0 < MC ? row_end - i0 : MC;
        NAME(pack_a)(a, k, i0, mc, p0, kc, apack);
        for (long j = 0; j < nc; j += NR) {
          long w = nc - j < NR ? nc - j : NR;
          for (long i = 0; i < mc; i += MR) {
            long h = mc - i < MR ? mc - i : MR;
            T *target = c + (i0 + i) * n + j0 + j;
            if (w == NR && h == MR) {
              NAME(kernel)(kc, apack + i * kc, bpack + j * kc, target, n, p0 > 0);
            } else {
              // a partial tile goes through a full-size scratch tile
              for (long r = 0; r < h; r++)
                for (long q = 0; q < w; q++) edge[r * NR + q] = p0 > 0 ? target[r * n + q] : 0;
              NAME(kernel)(kc, apack + i * kc, bpack + j * kc, edge, NR, p0 > 0);
              for (long r = 0; r < h; r++)
                for (long q = 0; q < w; q++) target[r * n + q] = edge[r * NR + q];
            }
          }
        }
      }
    }
  }
  free(bpack);
  free(apack);
  return 1;
}

#undef NR
