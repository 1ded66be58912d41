import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Batch-1 mat-vecs over big matrices shared between two cores, float32 or bfloat16 weights
/// (`BF16Matrix`). A streaming step reads all of W_hh (3 MB for a GRU with H = 512 in float32,
/// 1.5 MB in bfloat16) from the shared cache; two cores reading it nearly halve the step. The
/// rows are cut into chunks: the first half is the caller's, the second the helper thread's, so
/// each core reads the same rows every step and keeps what its own L2 holds of them. Each job
/// walks its half in the direction opposite to the last job's, so the rows a core read last
/// (still in its L2) are the ones it reads first (a 1.5 MB half in a 1 MB L2: about a third
/// fewer bytes from L3). A core that finishes its half claims the other's remaining chunks
/// from the same atomic cursor, so when the helper is slow to start (asleep, or its core busy
/// with another process) the caller simply does more: never much slower than one core.
/// The helper spins briefly between jobs, then sleeps on a semaphore: an idle model costs no CPU.
///
/// Lifetime: each instance owns one helper thread, started by `init` and stopped and joined by
/// `deinit`. The thread holds only the state it shares with the caller (`Helper`), never the
/// instance, so releasing the owner (a `StreamingModel`, a batch-1 `SequenceGraph`) ends it.
/// Calls from one thread at a time use the helper; a call that finds it busy with another
/// thread's job runs on one core.
final class SplitMatVec {
    /// Matrices with fewer elements, or fewer rows, are not worth sharing.
    static func isWorthSplitting(rows: Int, columns: Int) -> Bool {
        rows * columns >= 256 * 1024 && rows >= 64
    }
    static let chunks = 16

    /// A helper for batch-1 runs of a model under `compute`: nil unless the policy splits and one
    /// of the model's mat-vecs (W_hh and W_ih [GH, H], fc [V, H]) is worth sharing.
    static func forBatchOne(_ config: ModelConfig, _ compute: ComputePolicy) -> SplitMatVec? {
        let H = config.hiddenSize, GH = config.cell.gateCount * H
        let big = [GH, config.vocabularySize].contains { isWorthSplitting(rows: $0, columns: H) }
        return compute.splitsMatVecs && big ? SplitMatVec() : nil
    }

    private let helper: Helper
    private let thread: pthread_t

    /// Nil when the system refuses another thread: the caller then computes on one core.
    init?() {
        let helper = Helper()
        var thread = pthread_t()
        let retained = Unmanaged.passRetained(helper)  // the thread's reference, released as it ends
        let created = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<Helper>.fromOpaque(raw!).takeRetainedValue().loop()
                return nil
            }, retained.toOpaque())
        guard created == 0 else {  // before any property is set, so deinit does not run
            retained.release()
            return nil
        }
        self.helper = helper
        self.thread = thread
    }

    deinit {
        helper.stop()
        pthread_join(thread, nil)
    }

    /// The helper's kernel thread id once it has started (0 before): tests check it ends.
    var helperThreadID: Int32 { helper.threadID.load(ordering: .acquiring) }

    /// y[m] (+)= w[m, n] · x[n] on up to two cores; on one when another thread is using the helper.
    func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        let done: Void? = helper.inUse.withLockIfAvailable { _ in
            helper.share(y, .float32(w), x, m: m, n: n, accumulate: accumulate)
        }
        if done == nil { BLAS.sgemv(y, w, x, m: m, n: n, accumulate: accumulate) }
    }

    /// y[w.rows] (+)= w · bf16(x) on up to two cores, each row summed as on one core (bit-identical
    /// results); on one when another thread is using the helper. Only where `BF16Matrix.isSupported`.
    func matvec(_ y: UnsafeMutablePointer<Float>, _ w: BF16Matrix, _ x: UnsafePointer<Float>, accumulate: Bool) {
        let done: Void? = w.withBits { bits in
            helper.inUse.withLockIfAvailable { _ in
                helper.share(y, .bfloat16(bits), x, m: w.rows, n: w.columns, accumulate: accumulate)
            }
        }
        if done == nil { w.matvec(y, x, accumulate: accumulate) }
    }
}

/// What the caller and the helper thread share. Each half of the rows has a cursor, generation
/// << 16 | chunk count << 8 | chunks claimed; a new generation posts a new job (the helper watches
/// its own half's cursor, stored last). `job` is written only while no chunk of the previous job
/// is outstanding, and read only after claiming a chunk of the current one, so the two threads
/// never touch it at the same time.
private final class Helper: @unchecked Sendable {
    struct CacheLine {
        var bytes: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// A job's matrix [rows, columns], row-major.
    enum Weights {
        case float32(UnsafePointer<Float>)
        case bfloat16(UnsafePointer<UInt16>)
    }

    struct Job {
        var y: UnsafeMutablePointer<Float>
        var w: Weights
        var x: UnsafePointer<Float>
        var rows: Int
        var columns: Int
        var accumulate: Bool
        var chunkRows: Int
        var callerChunks: Int  // chunks 0..<callerChunks are the caller's half, the rest the helper's
        var descending: Bool  // the order each core walks its half in
    }

    /// 64 unused bytes on each side keep the fields both threads write off the cache lines of
    /// this object's reference count and of neighbouring allocations (false sharing).
    private let before = CacheLine()
    let inUse = Mutex<Void>(())
    let callerCursor = Atomic<Int>(0)
    let helperCursor = Atomic<Int>(0)
    let chunksDone = Atomic<Int>(0)
    let sleeping = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)
    let threadID = Atomic<Int32>(0)
    private var job: Job?
    private let wakeup: UnsafeMutablePointer<sem_t>
    private var generation = 0  // the caller's, under `inUse`
    private let after = CacheLine()

    init() {
        wakeup = .allocate(capacity: 1)
        sem_init(wakeup, 0, 0)
    }

    deinit {
        sem_destroy(wakeup)
        wakeup.deallocate()
    }

    /// Posts the job, works on it alongside the helper, and returns when every chunk is done.
    func share(
        _ y: UnsafeMutablePointer<Float>, _ w: Weights, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        let chunkRows = ((m + SplitMatVec.chunks - 1) / SplitMatVec.chunks + 15) / 16 * 16
        let count = (m + chunkRows - 1) / chunkRows, callerChunks = (count + 1) / 2
        generation = (generation + 1) & 0xFFFF_FFFF
        job = Job(
            y: y, w: w, x: x, rows: m, columns: n, accumulate: accumulate, chunkRows: chunkRows,
            callerChunks: callerChunks, descending: generation & 1 == 1)
        chunksDone.store(0, ordering: .relaxed)
        callerCursor.store(generation << 16 | callerChunks << 8, ordering: .sequentiallyConsistent)
        helperCursor.store(generation << 16 | (count - callerChunks) << 8, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) { sem_post(wakeup) }
        work(generation, caller: true)
        while chunksDone.load(ordering: .acquiring) < count {}
    }

    /// Computes chunks of job `g`: its own half's (the caller's or the helper's), then whatever is
    /// left of the other's.
    private func work(_ g: Int, caller: Bool) {
        while claim(g, callersHalf: caller) {}
        while claim(g, callersHalf: !caller) {}
    }

    /// Claims and computes the next chunk of one half of job `g`; false when none is left.
    private func claim(_ g: Int, callersHalf: Bool) -> Bool {
        callersHalf ? claim(g, from: callerCursor, callersHalf: true) : claim(g, from: helperCursor, callersHalf: false)
    }

    private func claim(_ g: Int, from cursor: borrowing Atomic<Int>, callersHalf: Bool) -> Bool {
        var seen = cursor.load(ordering: .acquiring)
        while seen >> 16 == g && seen & 0xFF < (seen >> 8) & 0xFF {
            let (exchanged, original) = cursor.compareExchange(
                expected: seen, desired: seen + 1, ordering: .acquiringAndReleasing)
            if !exchanged {
                seen = original
                continue
            }
            let j = job!  // stable until this chunk is counted done
            let first = callersHalf ? 0 : j.callerChunks, size = (seen >> 8) & 0xFF, claimed = seen & 0xFF
            let chunk = first + (j.descending ? size - 1 - claimed : claimed)
            let row = chunk * j.chunkRows, rows = min(j.chunkRows, j.rows - row)
            switch j.w {
            case .float32(let w):
                BLAS.sgemv(j.y + row, w + row * j.columns, j.x, m: rows, n: j.columns, accumulate: j.accumulate)
            case .bfloat16(let w):
                BF16Matrix.matvec(j.y + row, w + row * j.columns, j.x, m: rows, n: j.columns, accumulate: j.accumulate)
            }
            chunksDone.add(1, ordering: .releasing)
            return true
        }
        return false
    }

    /// The helper thread: serves jobs until `stop()`.
    func loop() {
        threadID.store(Self.kernelThreadID(), ordering: .releasing)
        var seenGeneration = 0
        while true {
            var spins = 0
            var g = helperCursor.load(ordering: .acquiring) >> 16
            while g == seenGeneration {
                spins += 1
                if spins > 100_000 {  // a few hundred microseconds without work: sleep, or end
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if stopping.load(ordering: .sequentiallyConsistent) { return }
                    if helperCursor.load(ordering: .sequentiallyConsistent) >> 16 == seenGeneration {
                        sem_wait(wakeup)
                    }
                    if stopping.load(ordering: .sequentiallyConsistent) { return }  // woken to end
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
                g = helperCursor.load(ordering: .acquiring) >> 16
            }
            seenGeneration = g
            work(g, caller: false)
        }
    }

    /// The calling thread's id as the kernel knows it (/proc/thread-self is "pid/task/tid"); 0 if
    /// unknown. Glibc's gettid() is not visible from Swift.
    private static func kernelThreadID() -> Int32 {
        var path = [CChar](repeating: 0, count: 64)
        let n = readlink("/proc/thread-self", &path, path.count - 1)
        guard n > 0 else { return 0 }
        let text = String(decoding: path[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: "/").last.flatMap { Int32($0) } ?? 0
    }

    /// Ends `loop()`, waking the thread if it sleeps.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        sem_post(wakeup)
    }
}
