/// A model and one or more streams continuing the same prime side by side, each with its own
/// hidden state, sampler and text: the engine behind `charrnn generate` and the terminal UI.
///
///     let session = try GenerationSession(model: model, compute: .streaming())
///     try session.addStream(settings: .greedy, seed: 0)
///     try session.addStream(settings: SamplerSettings(temperature: 0.8), seed: 42)
///     session.prime(with: "ROMEO:")
///     let report = session.step(stream: 1)   // report.character, .top, .entropy, .surprisal
///
/// Priming feeds the prime once and copies the resulting state into every stream; that state is
/// kept so `resetToPrime()` restores it exactly. A prime that gives no token (empty, or all left
/// out) feeds a start token instead: newline if the vocabulary has it, else space, else id 0.
/// Each stream's repetition penalty looks at the prime's tokens and then its own.
/// Random generators are never rewound by resets: a reset stream continues differently; use
/// `reseed(stream:seed:)` to repeat a continuation.
public final class GenerationSession {
    public private(set) var model: CharRNNModel
    public private(set) var streams: [GenerationStream] = []
    /// The prime as given.
    public private(set) var prime: String = ""
    public private(set) var primeReport = PrimeReport()
    /// How many entries each report's `top` holds, 1...TopEntries.capacity.
    public let topCount: Int
    /// How the streaming models compute; every model swapped in gets the same.
    public let compute: ComputePolicy

    public var vocabulary: Vocabulary { model.vocabulary }

    private(set) var streamingModel: StreamingModel
    /// The state right after priming; zero (never stepped) before any prime and after a full reset.
    private(set) var primedState: StreamingState
    private var isPrimed = false
    /// The tokens fed for the prime (not the start token): the repetition penalty's first window.
    private(set) var primeTokens: [Int] = []
    /// characters[V]: each token's character, U+FFFD for `[UNK]`.
    private(set) var characters: [Unicode.Scalar]

    public static let unknownCharacter: Unicode.Scalar = "\u{FFFD}"
    /// Priming asks its `shouldContinue` once per this many characters.
    public static let primeCheckInterval = 256

    /// How a model swap re-primes the streams.
    public enum ModelSwapPriming: Sendable {
        /// Each stream is fed the prime and then its own generated text and goes on from there.
        case textSoFar
        /// Each stream goes back to the prime; generated text is dropped.
        case primeOnly
    }

    public init(model: CharRNNModel, topCount: Int = 10, compute: ComputePolicy) throws {
        guard (1...TopEntries.capacity).contains(topCount) else {
            throw CharRNNError("top entries per report must be in 1...\(TopEntries.capacity), got \(topCount)")
        }
        self.model = model
        self.topCount = topCount
        self.compute = compute
        streamingModel = StreamingModel(model, compute: compute)
        primedState = streamingModel.makeState()
        characters = Self.characterTable(model.vocabulary)
    }

    /// Adds a stream in the current primed state (or zero state before any prime).
    @discardableResult
    public func addStream(settings: SamplerSettings, seed: UInt64) throws -> GenerationStream {
        let sampler = try Sampler(
            settings: settings, vocabularySize: model.config.vocabularySize, seed: seed)
        let stream = GenerationStream(
            index: streams.count, model: streamingModel, sampler: sampler, primeText: prime)
        stream.state.copy(from: primedState)
        sampler.remember(primeTokens)
        streams.append(stream)
        return stream
    }

    public func removeStream(at index: Int) {
        streams.remove(at: index)
        for (i, s) in streams.enumerated() { s.index = i }
    }

    /// Resets every stream to the zero state, feeds the prime, and clears generated text.
    @discardableResult
    public func prime(with text: String) -> PrimeReport {
        prime(with: text, shouldContinue: { true })!
    }

    /// As `prime(with:)`, asking `shouldContinue` every `primeCheckInterval` characters; when it
    /// says no, priming stops and the session is left as `resetAll()` leaves it: returns nil.
    public func prime(with text: String, shouldContinue: () -> Bool) -> PrimeReport? {
        primedState.reset()
        var tokens: [Int] = []
        guard
            let report = feed(
                text.unicodeScalars, into: primedState, startIfEmpty: true, tokens: &tokens,
                shouldContinue: shouldContinue)
        else {
            resetAll()
            return nil
        }
        prime = text
        isPrimed = true
        primeReport = report
        primeTokens = tokens
        for stream in streams {
            stream.primeText = text
            stream.clearGenerated()
            stream.state.copy(from: primedState)
            stream.sampler.remember(tokens)
        }
        return primeReport
    }

    /// As `prime(with:)` for a text the model has read already: `state` is the state after
    /// feeding `tokens` (the ids of `text`, from a reading by this session's weights, e.g.
    /// `ProgressiveReading.state(before:)`), so nothing is fed again.
    public func prime(with text: String, state: StreamingState, tokens: [Int32]) {
        precondition(state.stepped, "the state of a text read: stepped at least once")
        primedState.copy(from: state)
        prime = text
        isPrimed = true
        primeReport = PrimeReport()
        primeReport.tokenCount = tokens.count
        primeTokens = tokens.map { Int($0) }
        for stream in streams {
            stream.primeText = text
            stream.clearGenerated()
            stream.state.copy(from: primedState)
            stream.sampler.remember(primeTokens)
        }
    }

    /// Samples one character on one stream and feeds it back; the others are untouched.
    public func step(stream index: Int) -> StepReport {
        let stream = streams[index]
        startIfNeeded(stream)
        return stream.step(model: streamingModel, characters: characters, topCount: topCount)
    }

    /// Feeds `token` to one stream instead of sampling (no random numbers used): the report is
    /// the one a step that drew it would give (rank, surprisal, distribution). A token the
    /// stream's truncation excluded has an infinite `surprisal`.
    public func choose(_ token: Int, stream index: Int) -> StepReport {
        precondition(vocabulary.count > token && token >= 0, "token \(token) outside the vocabulary")
        let stream = streams[index]
        startIfNeeded(stream)
        return stream.step(model: streamingModel, characters: characters, topCount: topCount, chosen: token)
    }

    /// One step on every stream, in order. Allocates the returned array.
    public func stepAll() -> [StepReport] { streams.indices.map { step(stream: $0) } }

    /// The distribution of a stream's next character without drawing it (no random numbers
    /// used): e.g. for bars right after priming or after a settings change.
    public func nextDistribution(stream index: Int) -> NextCharacterDistribution {
        let stream = streams[index]
        startIfNeeded(stream)
        return stream.describeNext(topCount: topCount).0
    }

    /// Replaces a stream's settings (validated; on error the old ones stay). Takes effect at
    /// its next step.
    public func update(settings: SamplerSettings, stream index: Int) throws {
        try streams[index].sampler.update(settings: settings)
    }

    public func reseed(stream index: Int, seed: UInt64) { streams[index].sampler.reseed(seed) }

    /// Every stream back to the state right after priming, generated text cleared.
    public func resetToPrime() { streams.indices.forEach(resetToPrime(stream:)) }

    public func resetToPrime(stream index: Int) {
        streams[index].clearGenerated()
        streams[index].state.copy(from: primedState)
        streams[index].sampler.remember(primeTokens)
    }

    /// Zero state, empty prime and text for every stream. The next step or query feeds the
    /// start token, as an empty prime would.
    public func resetAll() {
        prime = ""
        isPrimed = false
        primeReport = PrimeReport()
        primeTokens = []
        primedState.reset()
        for stream in streams {
            stream.primeText = ""
            stream.clearGenerated()
            stream.state.reset()
            stream.sampler.remember([])
        }
    }

    /// Swaps in another model (another vocabulary is fine). Settings and random generators
    /// carry over. `.textSoFar` (the default) re-feeds each stream its prime and generated text
    /// so it goes on where it was; `.primeOnly` restarts every stream from the prime. The
    /// returned report covers the prime and, for `.textSoFar`, the generated text (characters the
    /// new vocabulary lacks).
    @discardableResult
    public func replaceModel(_ newModel: CharRNNModel, priming: ModelSwapPriming = .textSoFar) throws
        -> PrimeReport
    {
        let newStreaming = StreamingModel(newModel, compute: compute)
        // Everything that can fail happens before the session changes.
        let samplers = try streams.map { try $0.samplerFor(vocabularySize: newModel.config.vocabularySize) }
        for (stream, sampler) in zip(streams, samplers) { stream.adopt(newStreaming, sampler: sampler) }
        model = newModel
        streamingModel = newStreaming
        primedState = newStreaming.makeState()
        characters = Self.characterTable(newModel.vocabulary)
        var report = PrimeReport()
        primeTokens = []
        if isPrimed {
            report = feed(prime.unicodeScalars, into: primedState, startIfEmpty: true, tokens: &primeTokens)!
            primeReport = report
        }
        for stream in streams {
            stream.state.copy(from: primedState)
            var tokens = primeTokens
            defer { stream.sampler.remember(tokens) }
            if priming == .primeOnly {
                stream.clearGenerated()
            } else if !stream.generatedText.isEmpty {
                startIfNeeded(stream)
                let more = feed(
                    stream.generatedText.unicodeScalars, into: stream.state, startIfEmpty: false, tokens: &tokens)!
                report.tokenCount += more.tokenCount
                for c in more.mappedToUnknown where !report.mappedToUnknown.contains(c) {
                    report.mappedToUnknown.append(c)
                }
                for c in more.skipped where !report.skipped.contains(c) { report.skipped.append(c) }
            }
        }
        return report
    }

    /// After a full reset no token has been fed, so there are no logits yet: feed the start token.
    func startIfNeeded(_ stream: GenerationStream) {
        guard !stream.state.stepped else { return }
        streamingModel.step(Self.startToken(model.vocabulary), stream.state)
    }

    /// Feeds text into a state, mapping characters outside the vocabulary to `[UNK]` or leaving
    /// them out, and feeding the start token when nothing was fed and `startIfEmpty`. Appends
    /// the ids fed (not the start token) to `tokens`. nil when `shouldContinue` said no.
    private func feed(
        _ text: String.UnicodeScalarView, into state: StreamingState, startIfEmpty: Bool, tokens: inout [Int],
        shouldContinue: () -> Bool = { true }
    ) -> PrimeReport? {
        var report = PrimeReport()
        let vocabulary = model.vocabulary
        for (i, scalar) in text.enumerated() {
            if i % Self.primeCheckInterval == Self.primeCheckInterval - 1, !shouldContinue() { return nil }
            guard let id = vocabulary.id(of: scalar) else {
                if !report.skipped.contains(scalar) { report.skipped.append(scalar) }
                continue
            }
            if id == vocabulary.unknownID, vocabulary.scalar(of: id) != scalar,
                !report.mappedToUnknown.contains(scalar)
            {
                report.mappedToUnknown.append(scalar)
            }
            streamingModel.step(id, state)
            tokens.append(id)
            report.tokenCount += 1
        }
        if report.tokenCount == 0 && startIfEmpty {
            let start = Self.startToken(vocabulary)
            streamingModel.step(start, state)
            report.startToken = start
        }
        return report
    }

    /// Newline if the vocabulary has it, else space, else id 0.
    public static func startToken(_ vocabulary: Vocabulary) -> Int {
        for candidate: Unicode.Scalar in ["\n", " "] {
            if let id = vocabulary.id(of: candidate), id != vocabulary.unknownID { return id }
        }
        return 0
    }

    private static func characterTable(_ vocabulary: Vocabulary) -> [Unicode.Scalar] {
        (0..<vocabulary.count).map { vocabulary.scalar(of: $0) ?? unknownCharacter }
    }
}
