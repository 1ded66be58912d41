// bf16 vs f32 batch-1 mat-vec probe (4- and 8-row bf16 kernels, one core and two halves), as measured for
// docs/bf16-notes.md: gcc -O2 -march=native scripts/bf16/matvec_probe.c -o /tmp/mv -lpthread -lm && /tmp/mv
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <math.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void mv_f32(float *y, const float *w, const float *x, long m, long n) {
    for (long i = 0; i < m; i += 4) {
        const float *r0 = w + i * n, *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (long j = 0; j < n; j += 16) {
            __m512 xv = _mm512_loadu_ps(x + j);
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + j), xv, a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(r1 + j), xv, a1);
            a2 = _mm512_fmadd_ps(_mm512_loadu_ps(r2 + j), xv, a2);
            a3 = _mm512_fmadd_ps(_mm512_loadu_ps(r3 + j), xv, a3);
        }
        y[i] = _mm512_reduce_add_ps(a0); y[i+1] = _mm512_reduce_add_ps(a1);
        y[i+2] = _mm512_reduce_add_ps(a2); y[i+3] = _mm512_reduce_add_ps(a3);
    }
}
// w: bf16 row-major; x given as float, converted per call (as the real kernel would).
static void mv_bf16(float *y, const uint16_t *w, const float *x, long m, long n) {
    __m512bh xb[64];
    for (long j = 0; j < n; j += 32) xb[j / 32] = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + j + 16), _mm512_loadu_ps(x + j));
    for (long i = 0; i < m; i += 4) {
        const uint16_t *r0 = w + i * n, *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (long j = 0; j < n; j += 32) {
            __m512bh xv = xb[j / 32];
            a0 = _mm512_dpbf16_ps(a0, (__m512bh)_mm512_loadu_si512(r0 + j), xv);
            a1 = _mm512_dpbf16_ps(a1, (__m512bh)_mm512_loadu_si512(r1 + j), xv);
            a2 = _mm512_dpbf16_ps(a2, (__m512bh)_mm512_loadu_si512(r2 + j), xv);
            a3 = _mm512_dpbf16_ps(a3, (__m512bh)_mm512_loadu_si512(r3 + j), xv);
        }
        y[i] = _mm512_reduce_add_ps(a0); y[i+1] = _mm512_reduce_add_ps(a1);
        y[i+2] = _mm512_reduce_add_ps(a2); y[i+3] = _mm512_reduce_add_ps(a3);
    }
}

static void mv_bf16_8(float *y, const uint16_t *w, const float *x, long m, long n) {
    __m512bh xb[64];
    for (long j = 0; j < n; j += 32) xb[j / 32] = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + j + 16), _mm512_loadu_ps(x + j));
    for (long i = 0; i < m; i += 8) {
        const uint16_t *r = w + i * n;
        __m512 a[8]; for (int k = 0; k < 8; k++) a[k] = _mm512_setzero_ps();
        for (long j = 0; j < n; j += 32) {
            __m512bh xv = xb[j / 32];
            for (int k = 0; k < 8; k++) a[k] = _mm512_dpbf16_ps(a[k], (__m512bh)_mm512_loadu_si512(r + k * n + j), xv);
        }
        for (int k = 0; k < 8; k++) y[i + k] = _mm512_reduce_add_ps(a[k]);
    }
}
static uint16_t tobf(float f) { uint32_t u; memcpy(&u, &f, 4); u += 0x7fff + ((u >> 16) & 1); return u >> 16; }

typedef struct { int bf; float *y; const void *w; const float *x; long m, n; } Job;
static void run(Job *j) { if (j->bf == 2) mv_bf16_8(j->y, (const uint16_t *)j->w, j->x, j->m, j->n); else if (j->bf) mv_bf16(j->y, (const uint16_t *)j->w + 0, j->x, j->m, j->n); else mv_f32(j->y, j->w, j->x, j->m, j->n); }
static volatile int go, fin; static Job helperJob; static int reps;
static void *helper(void *p) {
    for (int r = 1; r <= reps; r++) { while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) < r) _mm_pause(); run(&helperJob); __atomic_store_n(&fin, r, __ATOMIC_RELEASE); }
    return 0;
}
static double bench(int bf, int two, long m, long n, float *w32, uint16_t *w16, float *x, float *y) {
    double best = 1e9;
    for (int trial = 0; trial < 5; trial++) {
        reps = 20000; go = fin = 0;
        Job mine = {bf, y, bf ? (void *)w16 : (void *)w32, x, two ? m / 2 : m, n};
        pthread_t t;
        if (two) { helperJob = (Job){bf, y + m / 2, bf ? (void *)(w16 + m / 2 * n) : (void *)(w32 + m / 2 * n), x, m / 2, n}; pthread_create(&t, 0, helper, 0); }
        double t0 = now();
        for (int r = 1; r <= reps; r++) {
            if (two) __atomic_store_n(&go, r, __ATOMIC_RELEASE);
            run(&mine);
            if (two) while (__atomic_load_n(&fin, __ATOMIC_ACQUIRE) < r) _mm_pause();
            x[r % n] = y[r % m] * 1e-3f;  // dependency like a recurrence
        }
        double dt = (now() - t0) / reps * 1e6;
        if (two) pthread_join(t, 0);
        if (dt < best) best = dt;
    }
    return best;
}
int main(void) {
    long shapes[][2] = {{1536, 512}, {2048, 512}};
    for (int s = 0; s < 2; s++) {
        long m = shapes[s][0], n = shapes[s][1];
        float *w32 = aligned_alloc(64, m * n * 4), *x = aligned_alloc(64, n * 4), *y = aligned_alloc(64, m * 4), *yr = aligned_alloc(64, m * 4);
        uint16_t *w16 = aligned_alloc(64, m * n * 2);
        srand(1);
        for (long i = 0; i < m * n; i++) { w32[i] = (rand() / (float)RAND_MAX - 0.5f) * 0.1f; w16[i] = tobf(w32[i]); }
        for (long j = 0; j < n; j++) x[j] = rand() / (float)RAND_MAX - 0.5f;
        mv_f32(yr, w32, x, m, n); mv_bf16(y, w16, x, m, n);
        double maxrel = 0, num = 0, den = 0;
        for (long i = 0; i < m; i++) { num += (y[i] - yr[i]) * (y[i] - yr[i]); den += yr[i] * yr[i]; }
        printf("[%ldx%ld] rel-l2 err bf16 vs f32: %.2e\n", m, n, sqrt(num / den));
        for (int two = 0; two < 2; two++) {
            double f = bench(0, two, m, n, w32, w16, x, y), b = bench(1, two, m, n, w32, w16, x, y);
            double b8 = bench(2, two, m, n, w32, w16, x, y); printf("  8-row bf16 %.2f us\n", b8);
            printf("  %s: f32 %.2f us (%.0f GFLOPS, %.0f GB/s)  bf16 %.2f us (%.0f GFLOPS, %.0f GB/s)  speedup %.2fx\n",
                   two ? "two cores (halves)" : "one core          ", f, 2.0 * m * n / f / 1e3, 4.0 * m * n / f / 1e3,
                   b, 2.0 * m * n / b / 1e3, 2.0 * m * n / b / 1e3, f / b);
        }
    }
}
