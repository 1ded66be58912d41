// OpenBLAS sgemm on the oneDNN probe shapes (docs/bf16-notes.md): gcc -O2 scripts/bf16/sgemm.c -o /tmp/sg
// -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas && OPENBLAS_NUM_THREADS=1 /tmp/sg
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(void) {
    long shapes[][3] = {{1, 512, 1536}, {1, 512, 2048}, {64, 512, 1536}, {64, 512, 2048}, {64, 1536, 512}, {64, 2048, 512}};
    for (int s = 0; s < 6; s++) {
        long M = shapes[s][0], K = shapes[s][1], N = shapes[s][2];
        float *a = calloc(M * K, 4), *b = calloc(K * N, 4), *c = calloc(M * N, 4);
        for (long i = 0; i < K * N; i++) b[i] = 0.001f * (i % 7);
        for (long i = 0; i < M * K; i++) a[i] = 0.01f * (i % 5);
        double best = 1e9; int reps = M == 1 ? 5000 : 500;
        for (int t = 0; t < 5; t++) {
            double t0 = now();
            for (int r = 0; r < reps; r++) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, a, K, b, K, 0, c, N);
            double us = (now() - t0) / reps * 1e6; if (us < best) best = us;
        }
        printf("M=%-3ld K=%-4ld N=%-4ld openblas sgemm %8.2f us (%5.0f GFLOPS)\n", M, K, N, best, 2.0 * M * K * N / best / 1e3);
    }
}
