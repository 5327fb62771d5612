// One packed matrix product, instantiated by gemm.c for float32 and float64: `T` the element,
// `VEC` an AVX2 register of `LANES` of them, and the intrinsics that load, store, broadcast,
// add and fuse-multiply-add them. NR = 2 · LANES columns by MR rows make the register tile.
#define NR (2 * LANES)

// B[p0..p0+kc, j0..j0+nc] as panels of NR columns, each kc × NR, zero-padded on the right;
// element (p, j) of B is at b[p * brs + j * bcs].
void PACK_B(const T *b, long brs, long bcs, long p0, long kc, long j0, long nc, T *out) {
  for (long j = 0; j < nc; j += NR) {
    long w = nc - j < NR ? nc - j : NR;
    for (long p = 0; p < kc; p++) {
      const T *src = b + (p0 + p) * brs + (j0 + j) * bcs;
      T *dst = out + j * kc + p * NR;
      long c = 0;
      if (bcs == 1) {
        for (; c < w; c++) dst[c] = src[c];
      } else {
        for (; c < w; c++) dst[c] = src[c * bcs];
      }
      for (; c < NR; c++) dst[c] = 0;
    }
  }
}

// A[i0..i0+mc, p0..p0+kc] as panels of MR rows, each kc × MR, zero-padded below; element
// (i, p) of A is at a[i * ars + p * acs].
static void NAME(pack_a)(const T *a, long ars, long acs, long i0, long mc, long p0, long kc,
                         T *out) {
  for (long i = 0; i < mc; i += MR) {
    long h = mc - i < MR ? mc - i : MR;
    for (long p = 0; p < kc; p++) {
      T *dst = out + i * kc + p * MR;
      long r = 0;
      for (; r < h; r++) dst[r] = a[(i0 + i + r) * ars + (p0 + p) * acs];
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

// Rows row_begin..<row_end of one k block of C[:, j0..j0+nc] += (or =, when !accumulate)
// A[:, p0..p0+kc] · B[p0..p0+kc, j0..j0+nc], with that block of B packed by PACK_B; `c` points
// at column j0 of row 0 and rows are ldc apart. 0 when it could not get its packing buffer.
__attribute__((target("avx2,fma"))) int BLOCK(const T *a, long ars, long acs, const T *bpack,
                                              T *c, long ldc, long p0, long kc, long nc,
                                              long row_begin, long row_end, int accumulate) {
  long rows = row_end - row_begin < MC ? row_end - row_begin : MC;
  size_t abytes = sizeof(T) * (size_t)(kc > 0 ? kc : 1) * (size_t)((rows + MR - 1) / MR * MR);
  T *apack = aligned_alloc(64, (abytes + 63) / 64 * 64 + 64);
  if (!apack) return 0;
  T edge[MR * NR] = {0};
  for (long i0 = row_begin; i0 < row_end; i0 += MC) {
    long mc = row_end - i0 < MC ? row_end - i0 : MC;
    NAME(pack_a)(a, ars, acs, i0, mc, p0, kc, apack);
    for (long j = 0; j < nc; j += NR) {
      long w = nc - j < NR ? nc - j : NR;
      for (long i = 0; i < mc; i += MR) {
        long h = mc - i < MR ? mc - i : MR;
        T *target = c + (i0 + i) * ldc + j;
        if (w == NR && h == MR) {
          NAME(kernel)(kc, apack + i * kc, bpack + j * kc, target, ldc, accumulate);
        } else {
          // a partial tile goes through a full-size scratch tile
          for (long r = 0; r < h; r++)
            for (long q = 0; q < w; q++) edge[r * NR + q] = accumulate ? target[r * ldc + q] : 0;
          NAME(kernel)(kc, apack + i * kc, bpack + j * kc, edge, NR, accumulate);
          for (long r = 0; r < h; r++)
            for (long q = 0; q < w; q++) target[r * ldc + q] = edge[r * NR + q];
        }
      }
    }
  }
  free(apack);
  return 1;
}

// C[i, j] = Σ_p A[i * lda + p] · B[j * ldb + p] for rows row_begin..<row_end and all n
// columns of C (row stride ldc): one dot product per element, for products too thin to pack
// (a matrix times a vector).
__attribute__((target("avx2,fma"))) void DOT(const T *a, long lda, const T *b, long ldb, T *c,
                                             long ldc, long k, long n, long row_begin,
                                             long row_end) {
  for (long i = row_begin; i < row_end; i++) {
    const T *x = a + i * lda;
    for (long j = 0; j < n; j++) {
      const T *y = b + j * ldb;
      VEC s0 = ZERO(), s1 = ZERO(), s2 = ZERO(), s3 = ZERO();
      long p = 0;
      for (; p + 4 * LANES <= k; p += 4 * LANES) {
        s0 = FMADD(LOAD(x + p), LOAD(y + p), s0);
        s1 = FMADD(LOAD(x + p + LANES), LOAD(y + p + LANES), s1);
        s2 = FMADD(LOAD(x + p + 2 * LANES), LOAD(y + p + 2 * LANES), s2);
        s3 = FMADD(LOAD(x + p + 3 * LANES), LOAD(y + p + 3 * LANES), s3);
      }
      for (; p + LANES <= k; p += LANES) s0 = FMADD(LOAD(x + p), LOAD(y + p), s0);
      T lanes[LANES];
      STORE(lanes, ADD(ADD(s0, s1), ADD(s2, s3)));
      T sum = 0;
      for (int l = 0; l < LANES; l++) sum += lanes[l];
      for (; p < k; p++) sum += x[p] * y[p];
      c[i * ldc + j] = sum;
    }
  }
}

#undef NR
