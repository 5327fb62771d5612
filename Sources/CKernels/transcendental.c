// Float32 tanh, sin, cos, exp, log, log1p, logistic and softplus eight lanes at a time with AVX2 and FMA, chosen at run time like
// the matrix products: Cephes' polynomials (tanh as the Swift scalar kernel FastMath writes
// it), which compilers cannot vectorise with AVX when the package targets baseline x86-64.
#include "CKernels.h"

#include <math.h>

#if defined(__x86_64__)
#include "avx2_mask.h"

// e^x for -87 <= x <= 88 (arguments outside are clamped): x = n ln 2 + r with |r| <= ln 2 / 2,
// e^r by a degree-7 polynomial, 2^n put in the exponent bits.
__attribute__((target("avx2,fma"))) static inline __m256 exp8(__m256 x) {
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(88.0f));
  const __m256 round = _mm256_set1_ps(12582912.0f);  // 1.5 * 2^23: adding it rounds to integer
  __m256 shifted = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504f), round);
  __m256 n = _mm256_sub_ps(shifted, round);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fmadd_ps(n, _mm256_set1_ps(2.1219444e-4f), r);
  __m256 p = _mm256_set1_ps(1.98756915e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.39819995e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.16657959e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.66666655e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.00000012e-1f));
  __m256 e = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r), _mm256_set1_ps(1.0f));
  // n is in the low mantissa bits of `shifted` (1.5 * 2^23 + n)
  __m256i bits = _mm256_add_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(127 - 0x4B400000));
  return _mm256_mul_ps(e, _mm256_castsi256_ps(_mm256_slli_epi32(bits, 23)));
}

// tanh x: an odd polynomial below |x| = 0.625, else 1 - 2 / (e^2|x| + 1) with the sign of x;
// NaN and both zeros are returned as they are.
__attribute__((target("avx2,fma"))) static inline __m256 tanh8(__m256 x) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 ax = _mm256_andnot_ps(sign, x);
  __m256 a = _mm256_min_ps(ax, _mm256_set1_ps(10.0f));
  __m256 z = _mm256_mul_ps(x, x);
  __m256 p = _mm256_set1_ps(-5.70498873e-3f);
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390888e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397156e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819e-1f));
  __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, z), x, x);
  __m256 one = _mm256_set1_ps(1.0f);
  __m256 e = exp8(_mm256_add_ps(a, a));
  __m256 large = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));
  large = _mm256_or_ps(large, _mm256_and_ps(x, sign));
  __m256 result = _mm256_blendv_ps(large, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
  __m256 keep = _mm256_or_ps(_mm256_cmp_ps(x, x, _CMP_UNORD_Q),
                             _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_EQ_OQ));
  return _mm256_blendv_ps(result, x, keep);
}

__attribute__((target("avx2,fma"))) void nabla_stanh_avx2(float *out, const float *x, long n) {
  long i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, tanh8(_mm256_loadu_ps(x + i)));
  if (i < n) {
    __m256i m = tail_mask(n - i);
    _mm256_maskstore_ps(out + i, m, tanh8(_mm256_maskload_ps(x + i, m)));
  }
}

// sin x (cosine = 0) or cos x (cosine = 1) for |x| <= SINCOS_LIMIT: x = j pi/4 + z with j even
// and |z| <= pi/4 (pi/4 in three float32 parts, each product exact inside its FMA), then sin z or
// cos z by Cephes' polynomials as the octant asks, and the sign. Within 1.5 ulp (tested).
#define SINCOS_LIMIT 8192.0f
__attribute__((target("avx2,fma"))) static inline __m256 sincos8(__m256 x, int cosine) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 sign_bit = cosine ? _mm256_setzero_ps() : _mm256_and_ps(x, sign);
  __m256 ax = _mm256_andnot_ps(sign, x);
  __m256i j = _mm256_cvttps_epi32(_mm256_mul_ps(ax, _mm256_set1_ps(1.27323954473516f)));
  j = _mm256_and_si256(_mm256_add_epi32(j, _mm256_set1_epi32(1)), _mm256_set1_epi32(~1));
  __m256 y = _mm256_cvtepi32_ps(j);
  if (cosine) j = _mm256_sub_epi32(j, _mm256_set1_epi32(2));
  __m256i four = _mm256_set1_epi32(4);
  __m256i flip = cosine ? _mm256_andnot_si256(j, four) : _mm256_and_si256(j, four);
  sign_bit = _mm256_xor_ps(sign_bit, _mm256_castsi256_ps(_mm256_slli_epi32(flip, 29)));
  __m256 use_sin = _mm256_castsi256_ps(_mm256_cmpeq_epi32(
      _mm256_and_si256(j, _mm256_set1_epi32(2)), _mm256_setzero_si256()));
  __m256 z = _mm256_fnmadd_ps(y, _mm256_set1_ps(0.7853981852531433f), ax);
  z = _mm256_fnmadd_ps(y, _mm256_set1_ps(-2.1855694143368964e-08f), z);
  z = _mm256_fnmadd_ps(y, _mm256_set1_ps(-8.575622550029409e-16f), z);
  __m256 zz = _mm256_mul_ps(z, z);
  __m256 c = _mm256_set1_ps(2.443315711809948e-5f);
  c = _mm256_fmadd_ps(c, zz, _mm256_set1_ps(-1.388731625493765e-3f));
  c = _mm256_fmadd_ps(c, zz, _mm256_set1_ps(4.166664568298827e-2f));
  c = _mm256_mul_ps(_mm256_mul_ps(c, zz), zz);
  c = _mm256_add_ps(_mm256_fnmadd_ps(_mm256_set1_ps(0.5f), zz, c), _mm256_set1_ps(1.0f));
  __m256 s = _mm256_set1_ps(-1.9515295891e-4f);
  s = _mm256_fmadd_ps(s, zz, _mm256_set1_ps(8.3321608736e-3f));
  s = _mm256_fmadd_ps(s, zz, _mm256_set1_ps(-1.6666654611e-1f));
  s = _mm256_fmadd_ps(_mm256_mul_ps(s, zz), z, z);
  return _mm256_xor_ps(_mm256_blendv_ps(c, s, use_sin), sign_bit);
}

// log u for positive normal finite u: u = m 2^e with sqrt(1/2) <= m < sqrt(2), log m by Cephes'
// degree-9 polynomial in z = m - 1, and e ln 2 in two parts.
__attribute__((target("avx2,fma"))) static inline __m256 log8(__m256 u) {
  __m256i bits = _mm256_castps_si256(u);
  __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(126));
  __m256 m = _mm256_castsi256_ps(_mm256_or_si256(
      _mm256_and_si256(bits, _mm256_set1_epi32(0x007FFFFF)), _mm256_set1_epi32(0x3F000000)));
  __m256 below = _mm256_cmp_ps(m, _mm256_set1_ps(0.707106781186547524f), _CMP_LT_OQ);
  e = _mm256_add_epi32(e, _mm256_castps_si256(below));  // a true lane is -1
  __m256 z = _mm256_sub_ps(_mm256_add_ps(m, _mm256_and_ps(below, m)), _mm256_set1_ps(1.0f));
  __m256 fe = _mm256_cvtepi32_ps(e);
  __m256 zz = _mm256_mul_ps(z, z);
  __m256 p = _mm256_set1_ps(7.0376836292e-2f);
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-1.1514610310e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.1676998740e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-1.2420140846e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.4249322787e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-1.6668057665e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.0000714765e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-2.4999993993e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(3.3333331174e-1f));
  __m256 y = _mm256_mul_ps(_mm256_mul_ps(p, z), zz);
  y = _mm256_fmadd_ps(fe, _mm256_set1_ps(-2.12194440e-4f), y);
  y = _mm256_fnmadd_ps(_mm256_set1_ps(0.5f), zz, y);
  return _mm256_fmadd_ps(fe, _mm256_set1_ps(0.693359375f), _mm256_add_ps(z, y));
}

// log(1 + x) for -1 < x < infinity: log u of u = 1 + x, plus the part of x the rounding of u
// lost, (x - (u - 1)) / u, so a small x gives x (and a zero itself, with its sign).
__attribute__((target("avx2,fma"))) static inline __m256 log1p8(__m256 x) {
  __m256 u = _mm256_add_ps(x, _mm256_set1_ps(1.0f));
  __m256 lost = _mm256_sub_ps(x, _mm256_sub_ps(u, _mm256_set1_ps(1.0f)));
  __m256 y = _mm256_add_ps(log8(u), _mm256_div_ps(lost, u));
  return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_EQ_OQ));
}

// The lanes a vector kernel does not cover (outside its domain, or not finite) are computed
// again by libm, each on its own, so an element's result never depends on its neighbours.
// `inside` holds a bit per covered lane. Whole vectors are loaded and stored plainly (masked
// stores are slow on some CPUs), the tail masked.
typedef __m256 (*vector8)(__m256);
typedef __m256 (*domain8)(__m256);
typedef float (*scalar1)(float);

__attribute__((target("avx2,fma"), always_inline)) static inline void libm_lanes(
    float *out, const float *x, __m256 inside, long m, scalar1 libm) {
  int outside = ~_mm256_movemask_ps(inside) & 0xFF;
  for (long k = 0; outside != 0 && k < m; k++) {
    if (outside & (1 << k)) out[k] = libm(x[k]);
  }
}

__attribute__((target("avx2,fma"), always_inline)) static inline void unary_rows(
    float *out, const float *x, long n, vector8 kernel, domain8 domain, scalar1 libm) {
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    _mm256_storeu_ps(out + i, kernel(v));
    libm_lanes(out + i, x + i, domain(v), 8, libm);
  }
  if (i < n) {
    __m256i mask = tail_mask(n - i);
    __m256 v = _mm256_maskload_ps(x + i, mask);
    _mm256_maskstore_ps(out + i, mask, kernel(v));
    libm_lanes(out + i, x + i, domain(v), n - i, libm);
  }
}

__attribute__((target("avx2,fma"))) static inline __m256 sin8(__m256 x) { return sincos8(x, 0); }
__attribute__((target("avx2,fma"))) static inline __m256 cos8(__m256 x) { return sincos8(x, 1); }
// |x| <= SINCOS_LIMIT
__attribute__((target("avx2,fma"))) static inline __m256 sincos_domain(__m256 x) {
  __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
  return _mm256_cmp_ps(ax, _mm256_set1_ps(SINCOS_LIMIT), _CMP_LE_OQ);
}
// |x| <= 87: exp8's range with a normal result
__attribute__((target("avx2,fma"))) static inline __m256 exp_domain(__m256 x) {
  __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
  return _mm256_cmp_ps(ax, _mm256_set1_ps(87.0f), _CMP_LE_OQ);
}
// the smallest normal float <= x < infinity
__attribute__((target("avx2,fma"))) static inline __m256 log_domain(__m256 x) {
  return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_set1_ps(1.17549435e-38f), _CMP_GE_OQ),
                       _mm256_cmp_ps(x, _mm256_set1_ps(INFINITY), _CMP_LT_OQ));
}
// -1 < x < infinity
__attribute__((target("avx2,fma"))) static inline __m256 log1p_domain(__m256 x) {
  return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_set1_ps(-1.0f), _CMP_GT_OQ),
                       _mm256_cmp_ps(x, _mm256_set1_ps(INFINITY), _CMP_LT_OQ));
}

__attribute__((target("avx2,fma"))) void nabla_ssin_avx2(float *out, const float *x, long n) {
  unary_rows(out, x, n, sin8, sincos_domain, sinf);
}
__attribute__((target("avx2,fma"))) void nabla_scos_avx2(float *out, const float *x, long n) {
  unary_rows(out, x, n, cos8, sincos_domain, cosf);
}
__attribute__((target("avx2,fma"))) void nabla_sexp_avx2(float *out, const float *x, long n) {
  unary_rows(out, x, n, exp8, exp_domain, expf);
}
__attribute__((target("avx2,fma"))) void nabla_slog_avx2(float *out, const float *x, long n) {
  unary_rows(out, x, n, log8, log_domain, logf);
}
__attribute__((target("avx2,fma"))) void nabla_slog1p_avx2(float *out, const float *x, long n) {
  unary_rows(out, x, n, log1p8, log1p_domain, log1pf);
}

// σ(x) = 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below, both from e = e^-|x| <= 1, so
// neither overflows; lanes beyond |x| = 87, where e^-|x| is subnormal, go to libm.
__attribute__((target("avx2,fma"))) static inline __m256 logistic8(__m256 x) {
  __m256 e = exp8(_mm256_or_ps(x, _mm256_set1_ps(-0.0f)));  // e^-|x|
  __m256 r = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
  __m256 negative = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
  return _mm256_blendv_ps(r, _mm256_mul_ps(e, r), negative);
}
// log(1 + e^x) = max(x, 0) + log1p(e^-|x|); e^-|x| <= 1 is in log1p8's domain
__attribute__((target("avx2,fma"))) static inline __m256 softplus8(__m256 x) {
  __m256 e = exp8(_mm256_or_ps(x, _mm256_set1_ps(-0.0f)));
  return _mm256_add_ps(_mm256_max_ps(x, _mm256_setzero_ps()), log1p8(e));
}
static float logisticf(float x) {
  if (x >= 0) return 1.0f / (1.0f + expf(-x));
  float e = expf(x);
  return e / (1.0f + e);
}
static float softplusf(float x) { return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x))); }

__attribute__((target("avx2,fma"))) void nabla_slogistic_avx2(float *out, const float *x, long n) {
  unary_rows(out, x, n, logistic8, exp_domain, logisticf);
}
__attribute__((target("avx2,fma"))) void nabla_ssoftplus_avx2(float *out, const float *x, long n) {
  unary_rows(out, x, n, softplus8, exp_domain, softplusf);
}

#else

void nabla_stanh_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }
void nabla_ssin_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }
void nabla_scos_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }
void nabla_sexp_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }
void nabla_slog_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }
void nabla_slog1p_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }
void nabla_slogistic_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }
void nabla_ssoftplus_avx2(float *out, const float *x, long n) { (void)out, (void)x, (void)n; }

#endif
