// Batch-1 mat-vec kernels for the streaming and scoring hot loop, chosen at run time. Four rows
// at a time share each load of x; one accumulator per row keeps every row's sum in the same
// order as the one-row tail, so results never depend on how the rows were cut.
#include "CMatVec.h"

#include <immintrin.h>

enum { NONE, AVX2, AVX512 };

static int level(void) {
    static int cached = -1;  // every thread computes the same value: relaxed is enough
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512f")                                     ? AVX512
                : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? AVX2
                                                                                  : NONE;
        __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    }
    return known;
}

bool charrnn_matvec_available(void) { return level() != NONE; }

__attribute__((always_inline)) static inline void store(float *y, float sum, bool accumulate) {
    *y = accumulate ? *y + sum : sum;
}

// ---- AVX-512: 16 columns a step, the last partial step masked.

__attribute__((target("avx512f"), always_inline)) static inline __m512 load512(const float *p, long left) {
    return left >= 16 ? _mm512_loadu_ps(p) : _mm512_maskz_loadu_ps((__mmask16)((1u << left) - 1), p);
}

__attribute__((target("avx512f"))) static void matvec512(
    float *y, const float *w, const float *x, long m, long n, bool accumulate) {
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        const float *r0 = w + i * n, *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (long j = 0; j < n; j += 16) {
            __m512 xv = load512(x + j, n - j);
            a0 = _mm512_fmadd_ps(load512(r0 + j, n - j), xv, a0);
            a1 = _mm512_fmadd_ps(load512(r1 + j, n - j), xv, a1);
            a2 = _mm512_fmadd_ps(load512(r2 + j, n - j), xv, a2);
            a3 = _mm512_fmadd_ps(load512(r3 + j, n - j), xv, a3);
        }
        store(y + i, _mm512_reduce_add_ps(a0), accumulate);
        store(y + i + 1, _mm512_reduce_add_ps(a1), accumulate);
        store(y + i + 2, _mm512_reduce_add_ps(a2), accumulate);
        store(y + i + 3, _mm512_reduce_add_ps(a3), accumulate);
    }
    for (; i < m; i++) {
        const float *r = w + i * n;
        __m512 a = _mm512_setzero_ps();
        for (long j = 0; j < n; j += 16) a = _mm512_fmadd_ps(load512(r + j, n - j), load512(x + j, n - j), a);
        store(y + i, _mm512_reduce_add_ps(a), accumulate);
    }
}

// ---- AVX2: 8 columns a step, the tail one column at a time.

// The lanes of v, then the columns from `from` on one at a time.
__attribute__((target("avx2,fma"), always_inline)) static inline float sum256(
    __m256 v, const float *r, const float *x, long from, long n) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    float sum = _mm_cvtss_f32(s);
    for (long j = from; j < n; j++) sum += r[j] * x[j];
    return sum;
}

__attribute__((target("avx2,fma"))) static void matvec256(
    float *y, const float *w, const float *x, long m, long n, bool accumulate) {
    long n8 = n / 8 * 8, i = 0;
    for (; i + 4 <= m; i += 4) {
        const float *r0 = w + i * n, *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (long j = 0; j < n8; j += 8) {
            __m256 xv = _mm256_loadu_ps(x + j);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + j), xv, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + j), xv, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + j), xv, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + j), xv, a3);
        }
        store(y + i, sum256(a0, r0, x, n8, n), accumulate);
        store(y + i + 1, sum256(a1, r1, x, n8, n), accumulate);
        store(y + i + 2, sum256(a2, r2, x, n8, n), accumulate);
        store(y + i + 3, sum256(a3, r3, x, n8, n), accumulate);
    }
    for (; i < m; i++) {
        const float *r = w + i * n;
        __m256 a = _mm256_setzero_ps();
        for (long j = 0; j < n8; j += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(r + j), _mm256_loadu_ps(x + j), a);
        store(y + i, sum256(a, r, x, n8, n), accumulate);
    }
}

void charrnn_matvec(float *y, const float *w, const float *x, long m, long n, bool accumulate) {
    if (level() == AVX512) {
        matvec512(y, w, x, m, n, accumulate);
    } else {
        matvec256(y, w, x, m, n, accumulate);
    }
}
