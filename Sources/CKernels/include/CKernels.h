#ifndef NABLA_CKERNELS_H
#define NABLA_CKERNELS_H

#include <stdint.h>

/// Whether this CPU runs the `*_avx2` kernels (x86-64 with AVX2 and FMA), checked at run time
/// so the default build runs on any x86-64 or arm64.
int nabla_gemm_avx2_available(void);

/// The packed product works on blocks of `nabla_gemm_kc()` rows of B (the k axis) by
/// `nabla_gemm_nc()` columns; a packed block of B needs `nabla_gemm_packed_b_count()`
/// elements (0 where the packed kernels are unavailable).
long nabla_gemm_kc(void);
long nabla_gemm_nc(void);
long nabla_gemm_packed_b_count(void);

/// Packs B[p0..p0+kc, j0..j0+nc] for `nabla_sgemm_block_avx2`; element (p, j) of B is at
/// b[p * brs + j * bcs], so B may be read in either layout (or any strided one).
void nabla_sgemm_pack_b(const float *b, long brs, long bcs, long p0, long kc, long j0, long nc,
                        float *out);

/// Rows row_begin..<row_end of one k block of the packed product
/// C[:, j0..j0+nc] (+)= A[:, p0..p0+kc] · B[p0..p0+kc, j0..j0+nc], with that block of B packed
/// by `nabla_sgemm_pack_b` (shared by every thread) and a 6 × 16 AVX2/FMA register kernel.
/// Element (i, p) of A is at a[i * ars + p * acs]; `c` points at column j0 of row 0, rows ldc
/// apart; the block adds to C when `accumulate`, else overwrites it. Each element of C is
/// summed over k in the same order whatever rows are asked for, so splitting the rows across
/// threads gives identical results. Call only when `nabla_gemm_avx2_available()` is non-zero;
/// returns 0 when it could not get its packing buffer (C is then incomplete), else 1.
int nabla_sgemm_block_avx2(const float *a, long ars, long acs, const float *bpack, float *c,
                           long ldc, long p0, long kc, long nc, long row_begin, long row_end,
                           int accumulate);

/// C[i, j] = Σ_p A[i * lda + p] · B[j * ldb + p] for rows row_begin..<row_end and all n columns
/// (C's rows ldc apart): a dot product per element, for products too thin to pack (a matrix
/// times a vector, a vector times a matrix stored by rows). AVX2/FMA; call only when
/// `nabla_gemm_avx2_available()` is non-zero.
void nabla_sdot_rows_avx2(const float *a, long lda, const float *b, long ldb, float *c, long ldc,
                          long k, long n, long row_begin, long row_end);

/// `nabla_sgemm_pack_b` for float64.
void nabla_dgemm_pack_b(const double *b, long brs, long bcs, long p0, long kc, long j0, long nc,
                        double *out);

/// `nabla_sgemm_block_avx2` for float64 (a 6 × 8 register tile).
int nabla_dgemm_block_avx2(const double *a, long ars, long acs, const double *bpack, double *c,
                           long ldc, long p0, long kc, long nc, long row_begin, long row_end,
                           int accumulate);

/// `nabla_sdot_rows_avx2` for float64.
void nabla_ddot_rows_avx2(const double *a, long lda, const double *b, long ldb, double *c,
                          long ldc, long k, long n, long row_begin, long row_end);

/// snprintf(buffer, size, spec, value) for a spec with one double conversion.
int nabla_format_double(char *buffer, long size, const char *spec, double value);

/// The arithmetic `nabla_sbinary_rows_avx2` does.
enum { NABLA_ADD = 0, NABLA_SUB = 1, NABLA_MUL = 2, NABLA_DIV = 3 };

/// Rows row_begin..<row_end (of the last axis) of out = x (op) y over `shape` (rank ≤ 16),
/// row-major, where element i of x is x[Σ i_k · xstrides[k]] (likewise y): an elementwise
/// operation reading broadcast operands in place, eight float32 lanes at a time. AVX2; call
/// only when `nabla_gemm_avx2_available()` is non-zero.
void nabla_sbinary_rows_avx2(int op, float *out, const float *x, const long *xstrides,
                             const float *y, const long *ystrides, const long *shape, int rank,
                             long row_begin, long row_end);

/// out[i] = x[i] (op) y[i] for i < n, contiguous float32 (a fused loop's segment). AVX2.
void nabla_sbinary_avx2(int op, float *out, const float *x, const float *y, long n);

/// out[i] = tanh(x[i]) for i < n, float32, within 2 ulp (NaN and signed zeros kept). AVX2 and
/// FMA; call only when `nabla_gemm_avx2_available()` is non-zero.
void nabla_stanh_avx2(float *out, const float *x, long n);

/// out[i] = sin(x[i]) (cos) for i < n, float32, within 1.5 ulp (tested up to |x| = 8192; larger
/// or non-finite arguments go to libm). AVX2 and FMA; call only when
/// `nabla_gemm_avx2_available()` is non-zero.
void nabla_ssin_avx2(float *out, const float *x, long n);
void nabla_scos_avx2(float *out, const float *x, long n);

/// out[i] = exp(x[i]), log(x[i]), log1p(x[i]) for i < n, float32, within 2 ulp (tested);
/// arguments outside the kernels' ranges (|x| > 87 for exp, below the smallest normal float
/// for log, -1 or below for log1p, and infinities and NaN) go to libm. AVX2 and FMA; call
/// only when `nabla_gemm_avx2_available()` is non-zero.
void nabla_sexp_avx2(float *out, const float *x, long n);
void nabla_slog_avx2(float *out, const float *x, long n);
void nabla_slog1p_avx2(float *out, const float *x, long n);
void nabla_slogistic_avx2(float *out, const float *x, long n);
void nabla_ssoftplus_avx2(float *out, const float *x, long n);

/// MT19937 (state of 624 words, `*index` the next word to temper; 624 means twist first):
/// `n` uniforms in [0, 1) as PyTorch's `rand` makes them, 24 random bits per float32 ...
void nabla_mt_uniform_f32(uint32_t *state, long *index, float *out, long n);
/// ... and 53 per float64, from two outputs (the first as the high half).
void nabla_mt_uniform_f64(uint32_t *state, long *index, double *out, long n);

/// PyTorch's `randn` blocks in place: each 16 uniforms u become 16 normals by Box–Muller,
/// r = sqrt(-2 log(1 - u[j])), θ = 2π u[j + 8], u[j] ← r cos θ, u[j + 8] ← r sin θ, with
/// PyTorch's float32 Cephes log and sincos. AVX2/FMA; call only when
/// `nabla_gemm_avx2_available()` is non-zero.
void nabla_box_muller_f32_avx2(float *d, long blocks);

#endif
