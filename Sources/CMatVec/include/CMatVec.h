#ifndef CMATVEC_H
#define CMATVEC_H

#include <stdbool.h>

/// Whether this CPU runs the hand-written mat-vec (AVX-512F, or AVX2 with FMA); checked once.
bool charrnn_matvec_available(void);

/// y[m] (+)= w[m, n] · x[n], w row-major and dense. Each row's sum is computed the same way
/// whatever m is, so a matrix cut into row blocks gives bit-identical results. Call only when
/// charrnn_matvec_available().
void charrnn_matvec(float *y, const float *w, const float *x, long m, long n, bool accumulate);

#endif
