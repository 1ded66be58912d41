import COpenBLAS

#if canImport(Glibc)
    import Glibc
#endif

/// The one file that talks to BLAS. Every matrix is row-major float32 and dense
/// (leading dimension = number of columns), so callers pass shapes, never strides.
enum BLAS {
    /// Threads OpenBLAS may use for one call. With 2 cores, training gives BLAS both;
    /// batch-1 streaming is faster on one (no hand-off per character).
    /// CHARRNN_SPLIT=0 turns the two-core mat-vec off (for comparisons).
    static let splitEnabled = getenv("CHARRNN_SPLIT").map { String(cString: $0) != "0" } ?? true

    static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            openblas_set_num_threads(Int32(max(1, newValue)))
            splitAcrossCores = newValue == 1 && cores >= 2 && splitEnabled
        }
    }

    /// out[m, n] (+)= x[m, k] · w[n, k]ᵀ  — a linear layer's forward.
    static func linear(
        _ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = false
    ) {
        if m == 1 {  // one row (batch-1 evaluation): a mat-vec, without gemm's packing of w
            matvec(out, w, x, m: n, n: k, accumulate: accumulate)
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

    /// Runs `body` with `count` BLAS threads, then restores the previous count.
    static func withThreads<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        let previous = threads
        threads = count
        defer { threads = previous }
        return try body()
    }

    /// Cores available to this process.
    static var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// y[m] (+)= w[m, n] · x[n]  — batch-1 linear layer. With BLAS on one thread and a big
    /// matrix on a machine with two or more cores, the rows are split across two cores.
    static func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool = false
    ) {
        if m * n >= SplitMatVec.minimumElements && m >= 64 && splitAcrossCores {
            SplitMatVec.shared.matvec(y, w, x, m: m, n: n, accumulate: accumulate)
        } else {
            sgemv(y, w, x, m: m, n: n, accumulate: accumulate)
        }
    }

    /// Whether big batch-1 mat-vecs use two cores (set by `threads`: only when BLAS has one).
    nonisolated(unsafe) private(set) static var splitAcrossCores = false

    static func sgemv(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), 1, w, Int32(n), x, 1,
            accumulate ? 1 : 0, y, 1)
    }
}
