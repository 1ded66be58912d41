#ifndef CMATVEC_H
#define CMATVEC_H

#include <stdbool.h>
#include <stdint.h>

/// Whether this CPU runs the hand-written mat-vec (AVX-512F, or AVX2 with FMA); checked once.
bool charrnn_matvec_available(void);

/// y[m] (+)= w[m, n] · x[n], w row-major and dense. Each row's sum is computed the same way
/// whatever m is, so a matrix cut into row blocks gives bit-identical results. Call only when
/// charrnn_matvec_available().
void charrnn_matvec(float *y, const float *w, const float *x, long m, long n, bool accumulate);

/// Whether this CPU has AVX-512 BF16 (with AVX-512F and BW) for charrnn_matvec_bf16; checked once.
bool charrnn_bf16_available(void);

/// value as bfloat16 bits: round to nearest, ties to even; infinities kept, overflow rounds to
/// infinity, NaN stays NaN. Any CPU.
uint16_t charrnn_to_bf16(float value);

/// out[i] = charrnn_to_bf16(in[i]) for i < count.
void charrnn_to_bf16_array(uint16_t *out, const float *in, long count);

/// y[m] (+)= w[m, n] · bf16(x)[n], w row-major bfloat16 bits, products of bf16 values summed in
/// float32; x is rounded to bf16 (to nearest even; denormals read as zero). Each row's sum is
/// computed the same way whatever m is. Call only when charrnn_bf16_available().
void charrnn_matvec_bf16(float *y, const uint16_t *w, const float *x, long m, long n, bool accumulate);

#endif
