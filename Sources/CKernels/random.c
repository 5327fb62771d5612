// PyTorch's CPU generator in bulk: MT19937 outputs, uniforms, and the Box–Muller blocks of
// `randn`, bit for bit as PyTorch computes them (its AVX2 kernel: Cephes float32 log and
// sincos with fused multiply-adds exactly where its compiled code has them). The Swift
// `TorchGenerator` keeps the state and the scalar paths; these loops are what makes 10^8
// values take a fraction of a second.
#include "CKernels.h"

#include <stdint.h>

enum { MT_N = 624, MT_M = 397, CHUNK = 1024 };

/// One step of the twist: word i from words i, i + 1 and i + 397 (indices mod 624).
static inline void mt_twist_word(uint32_t *mt, int i) {
  uint32_t next = mt[i + 1 < MT_N ? i + 1 : 0];
  uint32_t y = (mt[i] & 0x80000000u) | (next & 0x7FFFFFFFu);
  int k = i + MT_M < MT_N ? i + MT_M : i + MT_M - MT_N;
  mt[i] = mt[k] ^ (y >> 1) ^ ((next & 1u) ? 0x9908B0DFu : 0u);
}

static inline uint32_t mt_temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9D2C5680u;
  y ^= (y << 15) & 0xEFC60000u;
  y ^= y >> 18;
  return y;
}

#if defined(__x86_64__)
#include <immintrin.h>

// Eight twist steps at once: words i..i+7 read i+1..i+8 (not yet rewritten) and k..k+7,
// which are either all old (k = i + 397 <= 616) or all rewritten at least 227 steps before.
__attribute__((target("avx2"))) static inline void mt_twist8(uint32_t *mt, int i, int k) {
  __m256i word = _mm256_loadu_si256((const __m256i *)(mt + i));
  __m256i next = _mm256_loadu_si256((const __m256i *)(mt + i + 1));
  __m256i far = _mm256_loadu_si256((const __m256i *)(mt + k));
  __m256i y = _mm256_or_si256(_mm256_and_si256(word, _mm256_set1_epi32((int)0x80000000u)),
                              _mm256_and_si256(next, _mm256_set1_epi32(0x7FFFFFFF)));
  __m256i odd = _mm256_sub_epi32(_mm256_setzero_si256(),
                                 _mm256_and_si256(next, _mm256_set1_epi32(1)));
  __m256i mixed = _mm256_xor_si256(_mm256_srli_epi32(y, 1),
                                   _mm256_and_si256(odd, _mm256_set1_epi32((int)0x9908B0DFu)));
  _mm256_storeu_si256((__m256i *)(mt + i), _mm256_xor_si256(far, mixed));
}

// The scalar twist's result: vector steps wherever words i + 1..i + 8 and k..k + 7 are
// contiguous and on one side of the rewrite front, single steps at the two seams.
__attribute__((target("avx2"))) static void mt_twist_avx2(uint32_t *mt) {
  int i = 0;
  for (; i < 224; i += 8) mt_twist8(mt, i, i + MT_M);
  for (; i < 232; i++) mt_twist_word(mt, i);
  for (; i < 616; i += 8) mt_twist8(mt, i, i + MT_M - MT_N);
  for (; i < MT_N; i++) mt_twist_word(mt, i);
}

// Tempers words[0..<8n) in place, eight at a time.
__attribute__((target("avx2"))) static void mt_temper_avx2(uint32_t *w, long n) {
  for (long j = 0; j + 8 <= n; j += 8) {
    __m256i y = _mm256_loadu_si256((const __m256i *)(w + j));
    y = _mm256_xor_si256(y, _mm256_srli_epi32(y, 11));
    y = _mm256_xor_si256(
        y, _mm256_and_si256(_mm256_slli_epi32(y, 7), _mm256_set1_epi32((int)0x9D2C5680u)));
    y = _mm256_xor_si256(
        y, _mm256_and_si256(_mm256_slli_epi32(y, 15), _mm256_set1_epi32((int)0xEFC60000u)));
    _mm256_storeu_si256((__m256i *)(w + j), _mm256_xor_si256(y, _mm256_srli_epi32(y, 18)));
  }
}
#endif

static void mt_twist(uint32_t *mt, int vectorised) {
#if defined(__x86_64__)
  if (vectorised) {
    mt_twist_avx2(mt);
    return;
  }
#endif
  (void)vectorised;
  for (int i = 0; i < MT_N; i++) mt_twist_word(mt, i);
}

// The next `n` tempered outputs (n <= CHUNK), twisting whenever the 624 words are used up;
// AVX2 when `vectorised`, the same bits either way.
static void mt_outputs(uint32_t *mt, long *index, uint32_t *out, long n, int vectorised) {
  long i = 0;
  while (i < n) {
    if (*index >= MT_N) {
      mt_twist(mt, vectorised);
      *index = 0;
    }
    long take = n - i < MT_N - *index ? n - i : MT_N - *index;
    for (long j = 0; j < take; j++) out[i + j] = mt[*index + j];
    long tempered = 0;
#if defined(__x86_64__)
    if (vectorised) {
      mt_temper_avx2(out + i, take);
      tempered = take - take % 8;
    }
#endif
    for (long j = tempered; j < take; j++) out[i + j] = mt_temper(out[i + j]);
    *index += take;
    i += take;
  }
}

static int mt_vectorised(void) { return nabla_gemm_avx2_available(); }

void nabla_mt_uniform_f32(uint32_t *state, long *index, float *out, long n) {
  int vectorised = mt_vectorised();
  uint32_t words[CHUNK];
  for (long i = 0; i < n; i += CHUNK) {
    long m = n - i < CHUNK ? n - i : CHUNK;
    mt_outputs(state, index, words, m, vectorised);
    for (long j = 0; j < m; j++) out[i + j] = (float)(words[j] & 0x00FFFFFFu) * 0x1p-24f;
  }
}

void nabla_mt_uniform_f64(uint32_t *state, long *index, double *out, long n) {
  int vectorised = mt_vectorised();
  uint32_t words[CHUNK];
  for (long i = 0; i < n; i += CHUNK / 2) {
    long m = n - i < CHUNK / 2 ? n - i : CHUNK / 2;
    mt_outputs(state, index, words, 2 * m, vectorised);
    for (long j = 0; j < m; j++) {
      uint64_t bits = ((uint64_t)words[2 * j] << 32) | words[2 * j + 1];
      out[i + j] = (double)(bits & 0x001FFFFFFFFFFFFFull) * 0x1p-53;
    }
  }
}

#if defined(__x86_64__)
#define SET(bits) _mm256_castsi256_ps(_mm256_set1_epi32((int)(bits)))

// Cephes logf for x in (0, 1], as PyTorch's log256_ps.
__attribute__((target("avx2,fma"))) static inline __m256 cephes_log8(__m256 input) {
  const __m256 one = _mm256_set1_ps(1.0f);
  __m256 x0 = _mm256_max_ps(input, SET(0x00800000));
  __m256i bits = _mm256_castps_si256(x0);
  __m256 e = _mm256_add_ps(
      _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127))),
      one);
  __m256 m = _mm256_castsi256_ps(_mm256_or_si256(
      _mm256_and_si256(bits, _mm256_set1_epi32((int)0x807FFFFF)), _mm256_set1_epi32(0x3F000000)));
  __m256 below = _mm256_cmp_ps(m, SET(0x3F3504F3), _CMP_LT_OQ);
  e = _mm256_sub_ps(e, _mm256_and_ps(below, one));
  __m256 x = _mm256_add_ps(_mm256_sub_ps(m, one), _mm256_and_ps(below, m));
  __m256 z = _mm256_mul_ps(x, x);
  __m256 y = SET(0x3D9021BB);
  y = _mm256_fmadd_ps(y, x, SET(0xBDEBD1B8));
  y = _mm256_fmadd_ps(y, x, SET(0x3DEF251A));
  y = _mm256_fmadd_ps(y, x, SET(0xBDFE5D4F));
  y = _mm256_fmadd_ps(y, x, SET(0x3E11E9BF));
  y = _mm256_fmadd_ps(y, x, SET(0xBE2AAE50));
  y = _mm256_fmadd_ps(y, x, SET(0x3E4CCEAC));
  y = _mm256_fmadd_ps(y, x, SET(0xBE7FFFFC));
  y = _mm256_fmadd_ps(y, x, SET(0x3EAAAAAA));
  y = _mm256_mul_ps(y, x);
  y = _mm256_fmadd_ps(y, z, _mm256_mul_ps(e, SET(0xB95E8083)));
  y = _mm256_sub_ps(y, _mm256_mul_ps(z, _mm256_set1_ps(0.5f)));
  x = _mm256_add_ps(x, y);
  return _mm256_add_ps(x, _mm256_mul_ps(e, SET(0x3F318000)));
}

// Cephes sincosf for t >= 0, as PyTorch's sincos256_ps.
__attribute__((target("avx2,fma"))) static inline void cephes_sincos8(__m256 t, __m256 *sin_out,
                                                                       __m256 *cos_out) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 sign_sin = _mm256_and_ps(t, sign);
  __m256 x = _mm256_andnot_ps(sign, t);
  __m256i j = _mm256_cvttps_epi32(_mm256_mul_ps(x, SET(0x3FA2F983)));
  j = _mm256_and_si256(_mm256_add_epi32(j, _mm256_set1_epi32(1)), _mm256_set1_epi32(~1));
  __m256 y = _mm256_cvtepi32_ps(j);
  __m256i four = _mm256_set1_epi32(4);
  __m256 swap_sin = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_and_si256(j, four), 29));
  __m256 poly_sin = _mm256_castsi256_ps(
      _mm256_cmpeq_epi32(_mm256_and_si256(j, _mm256_set1_epi32(2)), _mm256_setzero_si256()));
  __m256 cos_negative = _mm256_castsi256_ps(_mm256_slli_epi32(
      _mm256_andnot_si256(_mm256_sub_epi32(j, _mm256_set1_epi32(2)), four), 29));
  x = _mm256_fmadd_ps(y, SET(0xBF490000), x);
  x = _mm256_fmadd_ps(y, SET(0xB97DA000), x);
  x = _mm256_fmadd_ps(y, SET(0xB3222169), x);
  __m256 z = _mm256_mul_ps(x, x);
  __m256 c = _mm256_fmadd_ps(SET(0x37CCF5CE), z, SET(0xBAB6061A));
  c = _mm256_fmadd_ps(c, z, SET(0x3D2AAAA5));
  c = _mm256_mul_ps(c, z);
  c = _mm256_fmadd_ps(c, z, _mm256_xor_ps(_mm256_mul_ps(z, _mm256_set1_ps(0.5f)), sign));
  c = _mm256_add_ps(c, _mm256_set1_ps(1.0f));
  __m256 s = _mm256_fmadd_ps(SET(0xB94CA1F9), z, SET(0x3C08839E));
  s = _mm256_fmadd_ps(s, z, SET(0xBE2AAAA3));
  s = _mm256_mul_ps(s, z);
  s = _mm256_fmadd_ps(s, x, x);
  __m256 sin_value = _mm256_blendv_ps(c, s, poly_sin);
  __m256 cos_value = _mm256_blendv_ps(s, c, poly_sin);
  *sin_out = _mm256_xor_ps(sin_value, _mm256_xor_ps(swap_sin, sign_sin));
  *cos_out = _mm256_xor_ps(cos_value, cos_negative);
}

__attribute__((target("avx2,fma"))) void nabla_box_muller_f32_avx2(float *d, long blocks) {
  const __m256 two_pi = SET(0x40C90FDB);
  for (long b = 0; b < blocks; b++) {
    float *p = d + 16 * b;
    __m256 u1 = _mm256_sub_ps(_mm256_set1_ps(1.0f), _mm256_loadu_ps(p));
    __m256 u2 = _mm256_loadu_ps(p + 8);
    __m256 radius = _mm256_sqrt_ps(_mm256_mul_ps(_mm256_set1_ps(-2.0f), cephes_log8(u1)));
    __m256 s, c;
    cephes_sincos8(_mm256_mul_ps(two_pi, u2), &s, &c);
    _mm256_storeu_ps(p, _mm256_mul_ps(radius, c));
    _mm256_storeu_ps(p + 8, _mm256_mul_ps(radius, s));
  }
}
#else
void nabla_box_muller_f32_avx2(float *d, long blocks) { (void)d; (void)blocks; }
#endif
