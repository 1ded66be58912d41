// Batch-1 mat-vec with bfloat16 weights: AVX-512 BF16 dot products (two bf16 multiply-adds per
// float32 lane, float32 accumulation), half the bytes of float32 weights per character. Built
// with target attributes, so the package needs no compiler flags; used only where the CPU has the
// instructions. Four rows share each converted block of x, as in matvec.c, and every row's sum is
// computed the same way whatever m is.
#include "CMatVec.h"

#include <immintrin.h>
#include <string.h>

bool charrnn_bf16_available(void) {
    static int cached = -1;  // every thread computes the same value: relaxed is enough
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512bf16");
        __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    }
    return known;
}

uint16_t charrnn_to_bf16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x0040u);  // NaN stays a (quiet) NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);  // round to nearest, ties to even; overflow carries to infinity
    return (uint16_t)(bits >> 16);
}

#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512bf16")))

// charrnn_to_bf16 on 16 floats at a time: the same integer arithmetic, so the same bits.
BF16_TARGET static void to_bf16_avx512(uint16_t *out, const float *in, long count) {
    const __m512i half = _mm512_set1_epi32(0x7fff), one = _mm512_set1_epi32(1);
    const __m512i magnitude = _mm512_set1_epi32(0x7fffffff), infinity = _mm512_set1_epi32(0x7f800000);
    const __m512i quiet = _mm512_set1_epi32(0x00400000);
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512i bits = _mm512_loadu_si512(in + i);
        __m512i parity = _mm512_and_si512(_mm512_srli_epi32(bits, 16), one);
        __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(half, parity));
        __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(bits, magnitude), infinity);
        __m512i result = _mm512_mask_mov_epi32(rounded, nan, _mm512_or_si512(bits, quiet));
        _mm256_storeu_si256((__m256i *)(out + i), _mm512_cvtepi32_epi16(_mm512_srli_epi32(result, 16)));
    }
    for (; i < count; i++) out[i] = charrnn_to_bf16(in[i]);
}

void charrnn_to_bf16_array(uint16_t *out, const float *in, long count) {
    if (charrnn_bf16_available()) {
        to_bf16_avx512(out, in, count);
        return;
    }
    for (long i = 0; i < count; i++) out[i] = charrnn_to_bf16(in[i]);
}

// x[j ..< j + 32] as bf16 (hardware round-to-nearest-even), zeros past n.
BF16_TARGET __attribute__((always_inline)) static inline __m512bh load_x(const float *x, long j, long n) {
    long left = n - j;
    __m512 lo = left >= 16 ? _mm512_loadu_ps(x + j)
                           : _mm512_maskz_loadu_ps((__mmask16)((1u << left) - 1), x + j);
    __m512 hi = left >= 32   ? _mm512_loadu_ps(x + j + 16)
                : left <= 16 ? _mm512_setzero_ps()
                             : _mm512_maskz_loadu_ps((__mmask16)((1u << (left - 16)) - 1), x + j + 16);
    return _mm512_cvtne2ps_pbh(hi, lo);
}

// Row r[j ..< j + 32], zeros past n.
BF16_TARGET __attribute__((always_inline)) static inline __m512bh load_w(const uint16_t *r, long j, long n) {
    long left = n - j;
    __m512i v = left >= 32 ? _mm512_loadu_si512(r + j)
                           : _mm512_maskz_loadu_epi16((__mmask32)((1ull << left) - 1), r + j);
    return (__m512bh)v;
}

__attribute__((always_inline)) static inline void store(float *y, float sum, bool accumulate) {
    *y = accumulate ? *y + sum : sum;
}

// One block of columns: y[m] (+)= w[m, n0 ..< n0 + nb] · xb, each row's stride n.
BF16_TARGET static void block(
    float *y, const uint16_t *w, const __m512bh *xb, long m, long n, long nb, bool accumulate) {
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        const uint16_t *r0 = w + i * n, *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (long j = 0; j < nb; j += 32) {
            __m512bh xv = xb[j / 32];
            a0 = _mm512_dpbf16_ps(a0, load_w(r0, j, nb), xv);
            a1 = _mm512_dpbf16_ps(a1, load_w(r1, j, nb), xv);
            a2 = _mm512_dpbf16_ps(a2, load_w(r2, j, nb), xv);
            a3 = _mm512_dpbf16_ps(a3, load_w(r3, j, nb), xv);
        }
        store(y + i, _mm512_reduce_add_ps(a0), accumulate);
        store(y + i + 1, _mm512_reduce_add_ps(a1), accumulate);
        store(y + i + 2, _mm512_reduce_add_ps(a2), accumulate);
        store(y + i + 3, _mm512_reduce_add_ps(a3), accumulate);
    }
    for (; i < m; i++) {
        const uint16_t *r = w + i * n;
        __m512 a = _mm512_setzero_ps();
        for (long j = 0; j < nb; j += 32) a = _mm512_dpbf16_ps(a, load_w(r, j, nb), xb[j / 32]);
        store(y + i, _mm512_reduce_add_ps(a), accumulate);
    }
}

// x is converted once per block of up to 2,048 columns (4 KB on the stack; one block for every
// hidden size in use), the blocks' sums added in order.
BF16_TARGET void charrnn_matvec_bf16(float *y, const uint16_t *w, const float *x, long m, long n, bool accumulate) {
    enum { COLUMNS = 2048 };
    __m512bh xb[COLUMNS / 32];
    for (long n0 = 0; n0 < n; n0 += COLUMNS) {
        long nb = n - n0 < COLUMNS ? n - n0 : COLUMNS;
        for (long j = 0; j < nb; j += 32) xb[j / 32] = load_x(x + n0, j, nb);
        block(y, w + n0, xb, m, n, nb, accumulate || n0 > 0);
    }
}
