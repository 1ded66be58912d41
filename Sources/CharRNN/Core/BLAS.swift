import CDNNL
import CMatVec
import COpenBLAS
import Synchronization

/// The one file that talks to BLAS: oneDNN's sgemm for matrix products, OpenBLAS's sgemv and the
/// hand-written mat-vec (`CMatVec`) for batch-1 products. Every matrix is row-major float32 and
/// dense (leading dimension = number of columns), so callers pass shapes, never strides.
///
/// Why oneDNN for products: on the training shapes (m = 64 rows against 512×1536 or 512×2048
/// weights) Debian's oneDNN 2.6 runs 2.4× OpenBLAS 0.3.21's sgemm on AVX-512 CPUs (517 against 217
/// GFLOPS on two cores, docs/bf16-notes.md). Each product is cut into chunks fixed by its shape,
/// each chunk one oneDNN sgemm; with more than one thread the chunks are shared with a helper
/// thread (`CoreHelper`), which, unlike an OpenMP team, never waits for a descheduled thread. On
/// two cores each chunk runs on one thread, so the result does not depend on which thread
/// computed what; on bigger machines each chunk gets half of the threads as an OpenMP team.
enum BLAS {
    /// Sets the process-wide thread count for products (OpenBLAS's, and whether products share a
    /// helper thread). Only `ComputePolicy.applyToOpenBLAS` calls it.
    static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
        productThreads.store(count, ordering: .relaxed)
    }

    /// Threads for products (tests set it directly to compare one thread with two).
    static let productThreads = Atomic<Int>(1)
    /// Shares big products across two cores while `setThreads` asked for more than one.
    private static let productHelper = CoreHelper()

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
        gemm(out, x, transposedA: false, w, transposedB: true, m: m, n: n, k: k, accumulate: accumulate)
    }

    /// out[m, n] (+)= a[m, k] · b[k, n]  — gradient back through a linear layer (dX = dY · W).
    static func matmul(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = false
    ) {
        gemm(out, a, transposedA: false, b, transposedB: false, m: m, n: n, k: k, accumulate: accumulate)
    }

    /// out[m, n] (+)= a[k, m]ᵀ · b[k, n]  — a weight gradient (dW += dYᵀ · X), summed over k rows.
    static func matmulTransposedA(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = true
    ) {
        gemm(out, a, transposedA: true, b, transposedB: false, m: m, n: n, k: k, accumulate: accumulate)
    }

    /// Chunks a product's output is cut into (along its longer side), at least `chunkSpan` wide.
    static let productChunks = 4, chunkSpan = 128
    /// Products with fewer multiply-adds run on the calling thread only.
    static let sharedProductSize = 1 << 20

    /// out[m, n] (+)= op(a)[m, k] · op(b)[k, n], where op(a) = a [m, k] or, transposed, a [k, m]ᵀ,
    /// and op(b) = b [k, n] or, transposed, b [n, k]ᵀ. Each chunk is one oneDNN sgemm; `shareCores`
    /// as in `shareChunks`.
    static func gemm(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, transposedA: Bool,
        _ b: UnsafePointer<Float>, transposedB: Bool, m: Int, n: Int, k: Int, accumulate: Bool,
        shareCores: Bool? = nil
    ) {
        let shape = ProductShape(m: m, n: n, k: k, transposedA: transposedA, transposedB: transposedB)
        shareChunks(of: shape, shareCores: shareCores) { c in
            let status = dnnl_sgemm(
                CChar(UInt8(ascii: transposedA ? "T" : "N")), CChar(UInt8(ascii: transposedB ? "T" : "N")),
                Int64(c.rows), Int64(c.columns), Int64(k), 1, a + c.aOffset, Int64(shape.lda), b + c.bOffset,
                Int64(shape.ldb), accumulate ? 1 : 0, out + c.outOffset, Int64(n))
            precondition(status == dnnl_success, "oneDNN sgemm failed with status \(status.rawValue)")
        }
    }

    /// Runs `chunk` on every chunk of `shape`'s output, cut along n (or along m when m > n) into
    /// chunks that depend on the shape only. The chunks are shared with the helper thread when
    /// `shareCores` (by default: when `setThreads` asked for more than one thread and the product
    /// is big).
    static func shareChunks(
        of shape: ProductShape, shareCores: Bool? = nil, _ chunk: (ProductChunk) -> Void
    ) {
        let m = shape.m, n = shape.n
        guard m > 0 && n > 0 else { return }
        let alongN = n >= m, side = alongN ? n : m
        let count = max(1, min(productChunks, side / chunkSpan))
        let span = ((side + count - 1) / count + 15) / 16 * 16
        let threads = productThreads.load(ordering: .relaxed)
        // Each of the two threads that share the chunks gives a chunk half of the cores: one on two
        // cores (no OpenMP team at all), more on bigger machines.
        let threadsPerChunk = Int32(max(1, threads / 2))
        func run(_ i: Int) {
            let start = i * span, size = min(span, side - start)
            guard size > 0 else { return }
            omp_set_num_threads(threadsPerChunk)
            chunk(shape.chunk(start: start, size: size, alongN: alongN))
        }
        let share = shareCores ?? (m * n * shape.k >= sharedProductSize && threads > 1)
        let shared = count > 1 && share && productHelper?.run(count: count, callerChunks: count / 2, run) == true
        if !shared {
            for i in 0..<count { run(i) }
        }
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

/// A product out[m, n] (+)= op(a)[m, k] · op(b)[k, n] over dense row-major operands: a is [m, k],
/// or [k, m] when transposed; b is [k, n], or [n, k] when transposed.
struct ProductShape {
    let m: Int, n: Int, k: Int
    let transposedA: Bool, transposedB: Bool
    var lda: Int { transposedA ? m : k }
    var ldb: Int { transposedB ? k : n }

    /// The chunk of out's columns (`alongN`) or rows [start, start + size).
    func chunk(start: Int, size: Int, alongN: Bool) -> ProductChunk {
        alongN
            ? ProductChunk(
                rows: m, columns: size, aOffset: 0, bOffset: transposedB ? start * ldb : start, outOffset: start)
            : ProductChunk(
                rows: size, columns: n, aOffset: transposedA ? start : start * lda, bOffset: 0,
                outOffset: start * n)
    }
}

/// A block of a product's output, out[rows, columns] at `outOffset` (leading dimension n), with
/// where its operands start in a and b (leading dimensions as the whole product's).
struct ProductChunk {
    let rows: Int, columns: Int
    let aOffset: Int, bOffset: Int, outOffset: Int
}
