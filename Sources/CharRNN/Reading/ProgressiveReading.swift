import RealModule
import Synchronization

/// A long text read by a model chunk by chunk, in the background if asked, so that a front end
/// can show it at once and fill in the figures as they come. The reading is `TextReading`'s
/// (from a zero state carried through the whole text; position i is predicted from
/// tokens[..<i]), kept compactly: per predicted character its `CharacterReading` and `topCount`
/// candidates (16 + 8·topCount bytes), and per chunk of `chunkLength` characters the hidden
/// state at its start, from which `distribution(at:)` recomputes any position's whole
/// distribution in at most `chunkLength` steps, bit-equal to the stored figures.
///
/// Threads: one reader at a time (the thread `readInBackground()` starts, or the caller of
/// `readAll()`) writes a chunk's figures and snapshot, then publishes the chunk with a releasing
/// store of the completed count; everything else (the figures, the summary, `distribution(at:)`)
/// reads only published chunks, from any one other thread, while the reader goes on. The
/// streaming model has no two-core helper, so the reader and recomputation share it safely:
/// its weights are only read, and each works on a state of its own.
public final class ProgressiveReading {
    public static let defaultChunkLength = 256

    public let tokens: [Int32]
    public let vocabulary: Vocabulary
    public let topCount: Int
    public let chunkLength: Int
    private let work: ReadingWork
    private let reader: ReaderThread
    /// States inside the chunk recomputed last, every `localStride` characters from its start
    /// (filled in as recomputation passes them): once the cursor has landed in a chunk, any
    /// position of it costs at most `localStride` steps.
    private var local: (chunk: Int, states: [StreamingState?])?
    static let localStride = 16

    /// Prepares a reading of `tokens` (at least 2) keeping `top` (0…16, at most the vocabulary)
    /// candidates per position; nothing is read until `readInBackground()` or `readAll()`.
    /// It reads on one core (`compute.oneCore`), in `compute.precision`.
    public init(
        _ model: CharRNNModel, tokens: [Int32], top: Int = 5, chunk: Int = defaultChunkLength,
        compute: ComputePolicy = .streaming()
    ) {
        precondition(tokens.count >= 2, "a reading needs at least 2 tokens, got \(tokens.count)")
        precondition((0...TopEntries.capacity).contains(top), "top must be in 0...\(TopEntries.capacity), got \(top)")
        precondition(chunk >= 1, "chunk must be at least 1, got \(chunk)")
        self.tokens = tokens
        vocabulary = model.vocabulary
        topCount = min(top, model.config.vocabularySize)
        chunkLength = chunk
        work = ReadingWork(
            StreamingModel(model, compute: compute.oneCore), tokens: tokens, top: topCount, chunk: chunk)
        let work = work
        reader = ReaderThread(
            read: { work.readRemaining() }, cancel: { work.cancelled.store(true, ordering: .relaxed) })
    }

    /// Starts reading on a thread of its own and returns at once; the thread ends with the text
    /// or with this object. Once only; on a system that refuses a thread, reads here instead.
    public func readInBackground() {
        precondition(work.completedChunks == 0, "already reading")
        reader.readInBackground()
    }

    /// Reads what is left on the calling thread (not while a background reading runs).
    public func readAll() {
        reader.readAll()
    }

    /// Characters the reading will cover: every one after the first.
    public var characterCount: Int { tokens.count - 1 }

    /// Positions 1…readCount have figures; the rest are still being read.
    public var readCount: Int { min(work.completedChunks * chunkLength, characterCount) }

    public var isComplete: Bool { readCount == characterCount }

    /// Why the reading stopped early (a non-finite output), if it did.
    public var failure: String? { work.failure.withLock { $0 } }

    /// The figures of position `position` (1…readCount).
    public func figures(at position: Int) -> CharacterReading {
        precondition(position >= 1 && position <= readCount, "position \(position) not read (1...\(readCount))")
        return work.store.figures(at: position)
    }

    /// The best candidates of position `position` (1…readCount), most probable first.
    public func candidates(at position: Int) -> [ReadCandidate] {
        precondition(position >= 1 && position <= readCount, "position \(position) not read (1...\(readCount))")
        return work.store.candidates(at: position)
    }

    /// nats/char over the characters read so far; nil before the first chunk.
    public var summary: EvaluationResult? {
        let chunks = work.completedChunks
        guard chunks > 0 else { return nil }
        let nats = (0..<chunks).reduce(0.0) { $0 + work.chunkNats[$1] }
        return EvaluationResult(characters: readCount, natsPerCharacter: nats / Double(readCount))
    }

    /// nats/char over positions 1…count (1…readCount), in O(count / chunkLength + chunkLength):
    /// for a figure beside another reading's over the same characters.
    public func natsPerCharacter(through count: Int) -> Double {
        precondition(count >= 1 && count <= readCount, "positions 1...\(count) not read (1...\(readCount))")
        let whole = count / chunkLength
        var nats = (0..<whole).reduce(0.0) { $0 + work.chunkNats[$1] }
        for i in whole * chunkLength..<count { nats += Double(work.store.figures[i].surprisalBits) * Double.log(2) }
        return nats / Double(count)
    }

    /// How many of the characters read so far fell in each rank bucket (`RankBucket.rawValue`).
    public var rankHistogram: [Int] {
        let buckets = RankBucket.allCases.count
        var counts = [Int](repeating: 0, count: buckets)
        for chunk in 0..<work.completedChunks {
            for b in 0..<buckets { counts[b] += work.chunkHistograms[chunk * buckets + b] }
        }
        return counts
    }

    /// The whole distribution that predicted position `position` (1…readCount), recomputed from
    /// its chunk's snapshot in at most `chunkLength` steps: its figures equal `figures(at:)`.
    public func distribution(at position: Int) -> PositionDistribution {
        precondition(position >= 1 && position <= readCount, "position \(position) not read (1...\(readCount))")
        let state = state(before: position)
        let V = vocabulary.count
        var probabilities = [Float](repeating: 0, count: V)
        let logits = state.logits.baseAddress!
        let figures = probabilities.withUnsafeMutableBufferPointer {
            CharacterReading(logits: logits, count: V, target: tokens[position], probabilities: $0.baseAddress!)
        }
        var top = TopEntries()
        probabilities.withUnsafeBufferPointer {
            top.fill(probabilities: $0.baseAddress!, sampled: $0.baseAddress!, count: V, limit: TopEntries.capacity)
        }
        return PositionDistribution(figures: figures, probabilities: probabilities, top: top)
    }

    /// The state after reading tokens[..<position] (1…readCount): the state that predicts
    /// position `position`, for a generation to start from (`GenerationSession.prime(with:state:tokens:)`).
    /// A new object, the caller's to keep.
    public func state(before position: Int) -> StreamingState {
        precondition(position >= 1 && position <= readCount, "position \(position) not read (1...\(readCount))")
        let k = work.chunkIndex(position)
        let start = k * chunkLength
        let stride = Self.localStride
        if local?.chunk != k {
            let first = work.model.makeState()
            work.restore(first, chunk: k)
            local = (k, [first] + [StreamingState?](repeating: nil, count: (chunkLength - 1) / stride))
        }
        var slot = (position - start - 1) / stride
        while local!.states[slot] == nil { slot -= 1 }
        let state = work.model.makeState()
        state.copy(from: local!.states[slot]!)
        var at = start + slot * stride
        while at < position {
            let next = min(position, at + stride)
            work.feed(from: at, to: next, state)
            at = next
            slot = (at - start) / stride
            if (at - start) % stride == 0, slot < local!.states.count, local!.states[slot] == nil {
                let kept = work.model.makeState()
                kept.copy(from: state)
                local!.states[slot] = kept
            }
        }
        return state
    }
}

/// The distribution that predicted one position of a reading, recomputed in full.
public struct PositionDistribution: Sendable {
    /// The actual character's figures, equal to the stored ones.
    public let figures: CharacterReading
    /// softmax of the logits, [V].
    public let probabilities: [Float]
    /// The 16 most probable characters, best first (lower id first on ties).
    public let top: TopEntries
}

/// What the reader thread and the reading's readers share (see `ProgressiveReading` for who
/// touches what when). Fixed-size storage allocated up front: nothing is moved while read.
private final class ReadingWork: @unchecked Sendable {
    let model: StreamingModel
    let tokens: [Int32]
    let top: Int
    let chunk: Int
    let chunkCount: Int
    /// Floats of one snapshot: every layer's h, then every layer's c (LSTM).
    let snapshotSize: Int
    let store: FigureStore
    let snapshots: UnsafeMutablePointer<Float>  // [chunks, snapshotSize]
    let chunkNats: UnsafeMutablePointer<Double>  // [chunks]
    let chunkHistograms: UnsafeMutablePointer<Int>  // [chunks, buckets]
    let completed = Atomic<Int>(0)
    let cancelled = Atomic<Bool>(false)
    let failure = Mutex<String?>(nil)
    /// The reader's own: the state carried from chunk to chunk, and a softmax buffer.
    private let carried: StreamingState
    private let probabilities: Buffer

    init(_ model: StreamingModel, tokens: [Int32], top: Int, chunk: Int) {
        self.model = model
        self.tokens = tokens
        self.top = top
        self.chunk = chunk
        let n = tokens.count - 1
        chunkCount = (n + chunk - 1) / chunk
        carried = model.makeState()
        probabilities = Buffer(model.config.vocabularySize)
        snapshotSize = carried.hiddenValues.count
        store = FigureStore(characters: n, top: top)
        snapshots = .allocate(capacity: chunkCount * snapshotSize)
        chunkNats = .allocate(capacity: chunkCount)
        chunkHistograms = .allocate(capacity: chunkCount * RankBucket.allCases.count)
        chunkHistograms.initialize(repeating: 0, count: chunkCount * RankBucket.allCases.count)
    }

    deinit {
        // Float, Double and Int are trivial: deallocating is enough.
        snapshots.deallocate()
        chunkNats.deallocate()
        chunkHistograms.deallocate()
    }

    var completedChunks: Int { completed.load(ordering: .acquiring) }

    /// Reads chunk after chunk until the text ends, the owner goes, or an output is not finite.
    func readRemaining() {
        let ln2 = Double.log(2)
        while !cancelled.load(ordering: .relaxed) {
            let k = completed.load(ordering: .relaxed)
            guard k < chunkCount else { return }
            save(carried, into: snapshots + k * snapshotSize)
            let start = k * chunk
            let length = min(chunk, tokens.count - 1 - start)
            var nats = 0.0
            var finite = true
            let V = model.config.vocabularySize
            Self.score(model, tokens, from: start, count: length, state: carried) { t, logits in
                let i = start + t
                let f = CharacterReading(
                    logits: logits, count: V, target: tokens[i + 1], probabilities: probabilities.pointer)
                finite = finite && f.surprisalBits.isFinite && f.entropyBits.isFinite
                store.figures.advanced(by: i).initialize(to: f)
                nats += Double(f.surprisalBits) * ln2
                chunkHistograms[k * RankBucket.allCases.count + f.bucket.rawValue] += 1
                guard top > 0 else { return }
                var best = TopEntries()
                best.fill(probabilities: probabilities.pointer, sampled: probabilities.pointer, count: V, limit: top)
                for (j, entry) in best.enumerated() {
                    store.topTokens[i * top + j] = Int32(entry.token)
                    store.topProbabilities[i * top + j] = entry.probability
                }
            }
            guard finite else {
                failure.withLock {
                    $0 = "the model's outputs are not finite (NaN or infinity) near character \(start + 1)"
                }
                return
            }
            chunkNats[k] = nats
            completed.store(k + 1, ordering: .releasing)
        }
    }

    /// The chunk whose figures include position `position` (≥ 1).
    func chunkIndex(_ position: Int) -> Int { (position - 1) / chunk }

    /// Sets `state` to chunk k's snapshot: the state after tokens[..<k·chunk].
    func restore(_ state: StreamingState, chunk k: Int) {
        var offset = 0
        for b in state.hidden + state.cells {
            b.pointer.update(from: snapshots + k * snapshotSize + offset, count: b.count)
            offset += b.count
        }
    }

    /// Feeds tokens[start..<end] to `state`.
    func feed(from start: Int, to end: Int, _ state: StreamingState) {
        Self.score(model, tokens, from: start, count: end - start, state: state) { _, _ in }
    }

    /// Feeds tokens[start ..< start + count] to `state`, handing the logits after each (the
    /// distribution of the token after it) to `body` with the offset t in 0..<count. The one place a
    /// reading computes: stored figures and recomputation both go through it, so they agree bit
    /// for bit. Exact and chunking-independent: one streaming step per token.
    static func score(
        _ model: StreamingModel, _ tokens: [Int32], from start: Int, count: Int, state: StreamingState,
        _ body: (Int, UnsafePointer<Float>) -> Void
    ) {
        for t in 0..<count {
            model.step(Int(tokens[start + t]), state)
            body(t, state.logits.baseAddress!)
        }
    }

    private func save(_ state: StreamingState, into out: UnsafeMutablePointer<Float>) {
        var offset = 0
        for b in state.hidden + state.cells {
            (out + offset).update(from: b.pointer, count: b.count)
            offset += b.count
        }
    }
}
