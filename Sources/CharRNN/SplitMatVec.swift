import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Batch-1 mat-vecs over big matrices, split across two cores: the caller computes the top
/// rows while a helper thread computes the bottom ones. A streaming step reads all of W_hh
/// (3 MB for H = 512) from the shared cache, so two cores reading half each nearly halve it.
/// The helper spins briefly between steps, so back-to-back steps hand off in well under a
/// microsecond, then sleeps on a semaphore until the next job: an idle session costs no CPU.
final class SplitMatVec: @unchecked Sendable {
    static let shared = SplitMatVec()
    /// Matrices with fewer elements are not worth a hand-off.
    static let minimumElements = 256 * 1024

    private struct Job {
        var y: UnsafeMutablePointer<Float>
        var w: UnsafePointer<Float>
        var x: UnsafePointer<Float>
        var rows: Int
        var columns: Int
        var accumulate: Bool
    }

    private let inUse = Mutex<Void>(())
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private var job: Job?  // written before `posted` is released, read after it is acquired
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

    /// y[m] (+)= w[m, n] · x[n], in two halves on two cores; on one core when another thread
    /// is using the helper.
    func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        let done: Void? = inUse.withLockIfAvailable { _ in
            halves(y, w, x, m: m, n: n, accumulate: accumulate)
        }
        if done == nil { BLAS.sgemv(y, w, x, m: m, n: n, accumulate: accumulate) }
    }

    private func halves(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        let top = (m / 2 + 15) / 16 * 16  // rows for the caller, a multiple of 16
        job = Job(y: y + top, w: w + top * n, x: x, rows: m - top, columns: n, accumulate: accumulate)
        generation += 1
        posted.store(generation, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) { sem_post(wakeup) }
        BLAS.sgemv(y, w, x, m: top, n: n, accumulate: accumulate)
        while finished.load(ordering: .acquiring) != generation {}
    }

    private func helperLoop() {
        var seen = 0
        while true {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > 200_000 {  // about a millisecond without work: sleep
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if posted.load(ordering: .sequentiallyConsistent) == seen { sem_wait(wakeup) }
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
            }
            seen = posted.load(ordering: .acquiring)
            if let j = job {
                BLAS.sgemv(j.y, j.w, j.x, m: j.rows, n: j.columns, accumulate: j.accumulate)
            }
            finished.store(seen, ordering: .releasing)
        }
    }
}
