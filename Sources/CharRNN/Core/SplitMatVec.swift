/// Batch-1 mat-vecs over big matrices shared between two cores, float32 or bfloat16 weights
/// (`BF16Matrix`). A streaming step reads all of W_hh (3 MB for a GRU with H = 512 in float32,
/// 1.5 MB in bfloat16) from the shared cache; two cores reading it nearly halve the step. The
/// rows are cut into chunks: the first half is the caller's, the second the helper thread's, so
/// each core reads the same rows every step and keeps what its own L2 holds of them. Each job
/// walks its half in the direction opposite to the last job's, so the rows a core read last
/// (still in its L2) are the ones it reads first (a 1.5 MB half in a 1 MB L2: about a third
/// fewer bytes from L3). A core that finishes its half claims the other's remaining chunks
/// (`CoreHelper`), so when the helper is slow to start (asleep, or its core busy with another
/// process) the caller simply does more.
///
/// Lifetime: each instance owns one `CoreHelper` and so one thread, which ends with the instance:
/// releasing the owner (a `StreamingModel`, a batch-1 `SequenceGraph`) ends it. Calls from one
/// thread at a time use the helper; a call that finds it busy with another thread's job runs on
/// one core.
final class SplitMatVec {
    /// Matrices with fewer elements, or fewer rows, are not worth sharing.
    static func isWorthSplitting(rows: Int, columns: Int) -> Bool {
        rows * columns >= 256 * 1024 && rows >= 64
    }
    /// Chunks a matrix is cut into: 8 rather than 16 saved a few claims a step (GRU 1×512 bf16
    /// streaming 9.7 against 10.1 µs/char, alternating runs; float32 unchanged).
    static let chunks = 8

    /// A helper for batch-1 runs of a model under `compute`: nil unless the policy splits and one
    /// of the model's mat-vecs (W_hh and W_ih [GH, H], fc [V, H]) is worth sharing.
    static func forBatchOne(_ config: ModelConfig, _ compute: ComputePolicy) -> SplitMatVec? {
        let H = config.hiddenSize, GH = config.cell.gateCount * H
        let big = [GH, config.vocabularySize].contains { isWorthSplitting(rows: $0, columns: H) }
        return compute.splitsMatVecs && big ? SplitMatVec() : nil
    }

    private let helper: CoreHelper

    /// Nil when the system refuses another thread: the caller then computes on one core.
    init?() {
        guard let helper = CoreHelper() else { return nil }
        self.helper = helper
    }

    /// The helper's kernel thread id once it has started (0 before): tests check it ends.
    var helperThreadID: Int32 { helper.threadID }

    /// y[m] (+)= w[m, n] · x[n] on up to two cores; on one when another thread is using the helper.
    func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        let shared = share(rows: m) { row, rows in
            BLAS.sgemv(y + row, w + row * n, x, m: rows, n: n, accumulate: accumulate)
        }
        if !shared { BLAS.sgemv(y, w, x, m: m, n: n, accumulate: accumulate) }
    }

    /// y[w.rows] (+)= w · bf16(x) on up to two cores, each row summed as on one core (bit-identical
    /// results); on one when another thread is using the helper. Only where `BF16Matrix.isSupported`.
    func matvec(_ y: UnsafeMutablePointer<Float>, _ w: BF16Matrix, _ x: UnsafePointer<Float>, accumulate: Bool) {
        let n = w.columns
        let shared = w.withBits { bits in
            share(rows: w.rows) { row, rows in
                BF16Matrix.matvec(y + row, bits + row * n, x, m: rows, n: n, accumulate: accumulate)
            }
        }
        if !shared { w.matvec(y, x, accumulate: accumulate) }
    }

    /// Runs `rows(first, count)` over `m` rows cut into `chunks` chunks (multiples of 16 rows), the
    /// first half the caller's, each half walked opposite to the last job's direction. False, having
    /// run nothing, when the helper is busy.
    private func share(rows m: Int, _ rows: (_ first: Int, _ count: Int) -> Void) -> Bool {
        let chunkRows = ((m + Self.chunks - 1) / Self.chunks + 15) / 16 * 16
        let count = (m + chunkRows - 1) / chunkRows
        return helper.run(count: count, callerChunks: (count + 1) / 2, alternating: true) { chunk in
            let first = chunk * chunkRows
            rows(first, min(chunkRows, m - first))
        }
    }
}
