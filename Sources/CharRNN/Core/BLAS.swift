import CMatVec
import COpenBLAS

/// The one file that talks to BLAS (and to the hand-written mat-vec that stands in for its sgemv).
/// Every matrix is row-major float32 and dense (leading dimension = number of columns), so callers
/// pass shapes, never strides.
enum BLAS {
    /// Sets OpenBLAS's process-wide thread count. Only `ComputePolicy.applyToOpenBLAS` calls it.
    static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }

    /// out[m, n] (+)= x[m, k] · w[n, k]ᵀ  — a linear layer's forward. One row goes to `matvec`
    /// (shared with `split` when given).
    static func linear(
        _ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = false, split: SplitMatVec? = nil
    ) {
        if m == 1 {  // one row (batch-1 evaluation): a mat-vec, without gemm's packing of w
            matvec(out, w, x, m: n, n: k, accumulate: accumulate, split: split)
            return
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
            1, x, Int32(k), w, Int32(k), accumulate ? 1 : 0, out, Int32(n))
    }

    /// out[m, n] (+)= a[m, k] · b[k, n]  — gradient back through a linear layer (dX = dY · W).
    static func matmul(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = false
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(n), accumulate ? 1 : 0, out, Int32(n))
    }

    /// out[m, n] (+)= a[k, m]ᵀ · b[k, n]  — a weight gradient (dW += dYᵀ · X), summed over k rows.
    static func matmulTransposedA(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = true
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(m), b, Int32(n), accumulate ? 1 : 0, out, Int32(n))
    }

    /// y[m] (+)= w[m, n] · x[n]  — batch-1 linear layer; big matrices are shared with `split`'s
    /// helper thread when one is given.
    static func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool = false, split: SplitMatVec? = nil
    ) {
        if let split, SplitMatVec.isWorthSplitting(rows: m, columns: n) {
            split.matvec(y, w, x, m: m, n: n, accumulate: accumulate)
        } else {
            sgemv(y, w, x, m: m, n: n, accumulate: accumulate)
        }
    }

    /// Whether `sgemv` runs the hand-written kernel (`CMatVec`: AVX-512F, or AVX2 with FMA) rather
    /// than OpenBLAS's: where the CPU has it, in optimised builds. Unoptimised C is slower than
    /// OpenBLAS, so debug builds keep OpenBLAS (the tests check the kernel directly).
    static let usesHandWrittenMatVec: Bool = {
        #if DEBUG
            false
        #else
            hasHandWrittenMatVec
        #endif
    }()
    static let hasHandWrittenMatVec = charrnn_matvec_available()

    /// y[m] (+)= w[m, n] · x[n]: on this thread by the hand-written kernel when OpenBLAS is on one
    /// thread (streaming, scoring); by OpenBLAS on its threads otherwise (validation during training).
    static func sgemv(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        if usesHandWrittenMatVec && openblas_get_num_threads() == 1 {
            handWrittenMatVec(y, w, x, m: m, n: n, accumulate: accumulate)
        } else {
            openBLASMatVec(y, w, x, m: m, n: n, accumulate: accumulate)
        }
    }

    /// `sgemv` by the hand-written kernel; only where `hasHandWrittenMatVec`. Each row is summed the
    /// same way however the rows are cut.
    static func handWrittenMatVec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        precondition(hasHandWrittenMatVec, "this CPU has neither AVX-512F nor AVX2 with FMA")
        charrnn_matvec(y, w, x, m, n, accumulate)
    }

    static func openBLASMatVec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1, w, Int32(n), x, 1,
            accumulate ? 1 : 0, y, 1)
    }
}
