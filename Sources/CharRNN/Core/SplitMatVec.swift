import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Batch-1 mat-vecs over big matrices shared between two cores. A streaming step reads all of
/// W_hh (3 MB for a GRU with H = 512) from the shared cache; two cores reading it nearly halve
/// the step. The rows are cut into chunks that the caller and a helper thread claim one at a
/// time from an atomic cursor, so when the helper is slow to start (asleep, or its core busy
/// with another process) the caller simply does more chunks: never much slower than one core.
/// The helper spins briefly between jobs, then sleeps on a semaphore: an idle session costs no CPU.
final class SplitMatVec: @unchecked Sendable {
    static let shared = SplitMatVec()
    /// Matrices with fewer elements are not worth sharing.
    static let minimumElements = 256 * 1024
    static let chunks = 8

    private struct Job {
        var y: UnsafeMutablePointer<Float>
        var w: UnsafePointer<Float>
        var x: UnsafePointer<Float>
        var rows: Int
        var columns: Int
        var accumulate: Bool
        var chunkRows: Int
    }

    private let inUse = Mutex<Void>(())
    /// generation << 16 | next chunk index. A new generation posts a new job.
    private let cursor = Atomic<Int>(0)
    private let chunksDone = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private var job: Job?  // written before the cursor is released, read after it is acquired
    private let wakeup: UnsafeMutablePointer<sem_t>
    private var generation = 0
    private var thread = pthread_t()

    private init() {
        wakeup = .allocate(capacity: 1)
        sem_init(wakeup, 0, 0)
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(&thread, nil, { raw in
            Unmanaged<SplitMatVec>.fromOpaque(raw!).takeUnretainedValue().helperLoop()
            return nil
        }, unmanaged.toOpaque())
    }

    /// y[m] (+)= w[m, n] · x[n] on up to two cores; on one when another thread is using the helper.
    func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        let done: Void? = inUse.withLockIfAvailable { _ in
            share(y, w, x, m: m, n: n, accumulate: accumulate)
        }
        if done == nil { BLAS.sgemv(y, w, x, m: m, n: n, accumulate: accumulate) }
    }

    private func share(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        let chunkRows = ((m + SplitMatVec.chunks - 1) / SplitMatVec.chunks + 15) / 16 * 16
        job = Job(y: y, w: w, x: x, rows: m, columns: n, accumulate: accumulate, chunkRows: chunkRows)
        generation = (generation + 1) & 0xFFFF_FFFF
        chunksDone.store(0, ordering: .relaxed)
        cursor.store(generation << 16, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) { sem_post(wakeup) }
        work(generation)
        let count = (m + chunkRows - 1) / chunkRows
        while chunksDone.load(ordering: .acquiring) < count {}
    }

    /// Claims and computes chunks of job `g` until none are left.
    private func work(_ g: Int) {
        guard let j = job else { return }
        let count = (j.rows + j.chunkRows - 1) / j.chunkRows
        var seen = cursor.load(ordering: .acquiring)
        while seen >> 16 == g && seen & 0xFFFF < count {
            let (exchanged, original) = cursor.compareExchange(
                expected: seen, desired: seen + 1, ordering: .acquiringAndReleasing)
            if !exchanged {
                seen = original
                continue
            }
            let first = (seen & 0xFFFF) * j.chunkRows, rows = min(j.chunkRows, j.rows - first)
            BLAS.sgemv(j.y + first, j.w + first * j.columns, j.x, m: rows, n: j.columns, accumulate: j.accumulate)
            chunksDone.add(1, ordering: .releasing)
            seen = cursor.load(ordering: .acquiring)
        }
    }

    private func helperLoop() {
        var seenGeneration = 0
        while true {
            var spins = 0
            var g = cursor.load(ordering: .acquiring) >> 16
            while g == seenGeneration {
                spins += 1
                if spins > 100_000 {  // a few hundred microseconds without work: sleep
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if cursor.load(ordering: .sequentiallyConsistent) >> 16 == seenGeneration { sem_wait(wakeup) }
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
                g = cursor.load(ordering: .acquiring) >> 16
            }
            seenGeneration = g
            work(g)
        }
    }
}
