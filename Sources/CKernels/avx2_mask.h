// Shared by the AVX2 kernels of this target (not part of its public header).
#ifndef NABLA_AVX2_MASK_H
#define NABLA_AVX2_MASK_H
#include <immintrin.h>

// The lanes below n of eight, as a mask for masked loads and stores.
__attribute__((target("avx2"))) static inline __m256i tail_mask(long n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

#endif
