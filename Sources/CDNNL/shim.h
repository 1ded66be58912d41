#include <dnnl.h>

// oneDNN here is built on OpenMP (libgomp). charrnn runs each product on one OpenMP thread and shares
// big ones between two cores itself (BLAS.swift), so that no OpenMP team spins beside its threads.
extern void omp_set_num_threads(int);
