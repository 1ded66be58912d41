import Synchronization

/// A dynamic reading of a long text (see `DynamicEvaluation`: the model learns from each chunk
/// after scoring it), in the background if asked, so that a front end can show it beside the
/// static reading and fill it in as it comes. Its figures are `TextReading.read(_:tokens:top:
/// learning:compute:progress:)`'s. The model changes after every chunk, so nothing can be
/// recomputed later: per predicted character it keeps its `CharacterReading` and `topCount`
/// candidates (16 + 8·topCount bytes), allocated up front.
///
/// Threads: as `ProgressiveReading`. One reader (the thread `readInBackground()` starts, or the
/// caller of `readAll()`) writes a chunk's figures, then publishes them with the count of
/// characters read under a lock; the figures and the summary are read, from any one other
/// thread, only up to the published count.
public final class DynamicReading {
    public static let defaultTopCount = 10

    public let tokens: [Int32]
    public let vocabulary: Vocabulary
    public let settings: DynamicEvaluationSettings
    public let topCount: Int
    private let work: DynamicReadingWork
    private let reader: ReaderThread

    /// Prepares a dynamic reading of `tokens` (at least 2) keeping `top` (0…16, at most the
    /// vocabulary) candidates per position; the model given never changes (it learns on a copy).
    /// Nothing is read until `readInBackground()` or `readAll()`.
    public init(
        _ model: CharRNNModel, tokens: [Int32], settings: DynamicEvaluationSettings, top: Int = defaultTopCount,
        compute: ComputePolicy
    ) {
        precondition(tokens.count >= 2, "a reading needs at least 2 tokens, got \(tokens.count)")
        precondition((0...TopEntries.capacity).contains(top), "top must be in 0...\(TopEntries.capacity), got \(top)")
        self.tokens = tokens
        vocabulary = model.vocabulary
        self.settings = settings
        topCount = min(top, model.config.vocabularySize)
        work = DynamicReadingWork(
            DynamicEvaluation(model: model, settings: settings, compute: compute), tokens: tokens, top: topCount)
        let work = work
        reader = ReaderThread(
            read: { work.readRemaining() }, cancel: { work.cancelled.store(true, ordering: .relaxed) })
    }

    /// Starts reading on a thread of its own and returns at once; the thread ends with the text
    /// or with this object. Once only; on a system that refuses a thread, reads here instead.
    public func readInBackground() {
        precondition(readCount == 0, "already reading")
        reader.readInBackground()
    }

    /// Reads what is left on the calling thread (not while a background reading runs).
    public func readAll() {
        reader.readAll()
    }

    /// Characters the reading will cover: every one after the first.
    public var characterCount: Int { tokens.count - 1 }

    /// Positions 1…readCount have figures; the rest are still being read.
    public var readCount: Int { work.published.withLock { $0.read } }

    public var isComplete: Bool { readCount == characterCount }

    /// Why the reading stopped early (outputs that turned non-finite), if it did.
    public var failure: String? { work.published.withLock { $0.failure } }

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

    /// nats/char over the characters read so far (from the chunks' summed losses, as
    /// `TextReading`'s summary); nil before the first chunk.
    public var summary: EvaluationResult? {
        let (read, nats) = work.published.withLock { ($0.read, $0.nats) }
        return read == 0 ? nil : EvaluationResult(characters: read, natsPerCharacter: nats / Double(read))
    }
}

/// What the reader thread and the reading's readers share (see `DynamicReading`).
private final class DynamicReadingWork: @unchecked Sendable {
    struct Published {
        var read = 0
        /// The summed negative log-likelihood of the characters read.
        var nats = 0.0
        var failure: String?
    }

    /// The reader's own.
    private let learner: DynamicEvaluation
    let tokens: [Int32]
    let top: Int
    let store: FigureStore
    let published = Mutex(Published())
    let cancelled = Atomic<Bool>(false)

    init(_ learner: DynamicEvaluation, tokens: [Int32], top: Int) {
        self.learner = learner
        self.tokens = tokens
        self.top = top
        store = FigureStore(characters: tokens.count - 1, top: top)
    }

    /// Reads chunk after chunk until the text ends, the owner goes, or learning fails.
    func readRemaining() {
        while !cancelled.load(ordering: .relaxed) {
            let start = learner.position
            let chunk: TextReading
            do {
                guard let next = try learner.readNextChunk(of: tokens, top: top) else { return }
                chunk = next
            } catch {
                published.withLock { $0.failure = "\(error)" }
                return
            }
            let length = chunk.characters.count
            (store.figures + start).initialize(from: chunk.characters, count: length)
            for i in 0..<length {
                for (j, candidate) in chunk.candidates(at: i + 1).enumerated() {
                    store.topTokens[(start + i) * top + j] = candidate.token
                    store.topProbabilities[(start + i) * top + j] = candidate.probability
                }
            }
            published.withLock {
                $0.read = start + length
                $0.nats += chunk.summary.natsPerCharacter * Double(length)
            }
        }
    }
}
