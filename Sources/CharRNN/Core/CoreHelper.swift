import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A second thread that shares chunked jobs with the caller, for work split across two cores (the
/// batch-1 mat-vecs of `SplitMatVec`, the training products of `BLAS`). A job is `count` chunks:
/// the caller starts on the first `callerChunks`, the helper on the rest; a thread that finishes
/// its share claims what is left of the other's from the same atomic cursor, so when the helper
/// is slow to start (asleep, or its core busy with another process) the caller simply does more:
/// never much slower than one core. Which thread computes a chunk never changes what it computes.
/// The helper spins briefly between jobs, then sleeps on a semaphore: an idle helper costs no CPU.
///
/// Lifetime: each instance owns one thread, started by `init`, stopped and joined by `deinit`. The
/// thread holds only the state it shares with the caller (`Shared`), never the instance. Calls
/// from one thread at a time use the helper; a call that finds it busy returns false at once.
final class CoreHelper: @unchecked Sendable {
    /// Chunks a job may have (the cursors keep counts in 8 bits).
    static let maxChunks = 255

    private let shared: Shared
    private let thread: pthread_t

    /// Nil when the system refuses another thread: the caller then computes on one core.
    init?() {
        let shared = Shared()
        var thread = pthread_t()
        let retained = Unmanaged.passRetained(shared)  // the thread's reference, released as it ends
        let created = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<Shared>.fromOpaque(raw!).takeRetainedValue().loop()
                return nil
            }, retained.toOpaque())
        guard created == 0 else {  // before any property is set, so deinit does not run
            retained.release()
            return nil
        }
        self.shared = shared
        self.thread = thread
    }

    deinit {
        shared.stop()
        pthread_join(thread, nil)
    }

    /// The helper's kernel thread id once it has started (0 before): tests check it ends.
    var threadID: Int32 { shared.threadID.load(ordering: .acquiring) }

    /// Runs `chunk(i)` for every i in 0..<count on this thread and the helper, each walking its
    /// share upwards or, when `alternating`, in the direction opposite to the last job's (so the
    /// data a core touched last, still in its cache, comes first); returns when all are done.
    /// False, having run nothing, when another thread's job holds the helper.
    /// `chunk` does not escape (no allocation per job): the helper drops its reference to it
    /// before it counts its last chunk done, and `share` drops the job's before it returns.
    func run(count: Int, callerChunks: Int, alternating: Bool = false, _ chunk: (Int) -> Void) -> Bool {
        precondition(count >= 1 && count <= Self.maxChunks && (0...count).contains(callerChunks))
        let done: Void? = shared.inUse.withLockIfAvailable { _ in
            withoutActuallyEscaping(chunk) { chunk in
                shared.share(Job(chunk: chunk, callerChunks: callerChunks, alternating: alternating), count: count)
            }
        }
        return done != nil
    }

    fileprivate struct Job {
        var chunk: (Int) -> Void
        var callerChunks: Int  // chunks 0..<callerChunks are the caller's share, the rest the helper's
        var alternating: Bool
        var descending = false  // set by `share`
    }
}

/// What the caller and the helper thread share. Each share of the chunks has a cursor, generation
/// << 16 | chunk count << 8 | chunks claimed; a new generation posts a new job (the helper watches
/// its own share's cursor, stored last). `job` is written only while no chunk of the previous job
/// is outstanding, and read only after claiming a chunk of the current one, so the two threads
/// never touch it at the same time.
private final class Shared: @unchecked Sendable {
    struct CacheLine {
        var bytes: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
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
    private var job: CoreHelper.Job?
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
    func share(_ newJob: CoreHelper.Job, count: Int) {
        generation = (generation + 1) & 0xFFFF_FFFF
        job = newJob
        job!.descending = newJob.alternating && generation & 1 == 1
        chunksDone.store(0, ordering: .relaxed)
        let callerChunks = newJob.callerChunks
        callerCursor.store(generation << 16 | callerChunks << 8, ordering: .sequentiallyConsistent)
        helperCursor.store(generation << 16 | (count - callerChunks) << 8, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) { sem_post(wakeup) }
        work(generation, caller: true)
        while chunksDone.load(ordering: .acquiring) < count {}
        job = nil
    }

    /// Computes chunks of job `g`: its own share's (the caller's or the helper's), then whatever
    /// is left of the other's.
    private func work(_ g: Int, caller: Bool) {
        while claim(g, callersShare: caller) {}
        while claim(g, callersShare: !caller) {}
    }

    private func claim(_ g: Int, callersShare: Bool) -> Bool {
        callersShare ? claim(g, from: callerCursor, callersShare: true) : claim(g, from: helperCursor, callersShare: false)
    }

    /// Claims and computes the next chunk of one share of job `g`; false when none is left.
    private func claim(_ g: Int, from cursor: borrowing Atomic<Int>, callersShare: Bool) -> Bool {
        var seen = cursor.load(ordering: .acquiring)
        while seen >> 16 == g && seen & 0xFF < (seen >> 8) & 0xFF {
            let (exchanged, original) = cursor.compareExchange(
                expected: seen, desired: seen + 1, ordering: .acquiringAndReleasing)
            if !exchanged {
                seen = original
                continue
            }
            do {  // `j` (and its reference to the closure) ends before the chunk is counted done
                let j = job!  // stable until this chunk is counted done
                let first = callersShare ? 0 : j.callerChunks, size = (seen >> 8) & 0xFF, claimed = seen & 0xFF
                j.chunk(first + (j.descending ? size - 1 - claimed : claimed))
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
