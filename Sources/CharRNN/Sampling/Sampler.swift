import RealModule

/// Turns next-character logits into a character: repetition penalty → temperature → top-k →
/// top-p → min-p → renormalise → draw (docs/sampling.md). Owns its random generator and its scratch buffers
/// (sized V at creation), so a step allocates nothing, and never writes to the caller's logits.
///
///     let sampler = try Sampler(settings: .init(temperature: 0.8, topK: 40), vocabularySize: 65, seed: 1)
///     let token = sampler.sample(logits: state.logits)
///
/// `prepare(logits:)` runs the pipeline without drawing; `probabilities`, `entropy` and
/// `surprisal(of:)` then describe the prepared distribution until the next call.
public final class Sampler {
    public private(set) var settings: SamplerSettings
    public let vocabularySize: Int
    /// The sampler's random numbers; same seed, logits and settings → same draws.
    public var generator: RandomGenerator

    /// scores[V]: logits / T shifted so the best is 0; −∞ for characters truncated away.
    private let scores: UnsafeMutablePointer<Float>
    /// probabilities[V]: the prepared distribution.
    private let probabilityBuffer: UnsafeMutablePointer<Float>
    /// scratch[V]
    private let scratch: UnsafeMutablePointer<Float>
    /// penalized[V]: the logits after the repetition penalty.
    private let penalized: UnsafeMutablePointer<Float>
    /// marks[V]: all false between calls; the penalty's "seen" flags.
    private let marks: UnsafeMutablePointer<Bool>
    /// The tokens the repetition penalty looks at: `remember(_:)` adds, the owner fills.
    public private(set) var recent: RecentTokens
    private let ranking: TokenRanking
    /// Set when the prepared distribution is a point mass (greedy, T below the minimum).
    private var forcedToken: Int?
    /// log Σ exp(scores) of the prepared distribution.
    private var logNormalizer: Double = 0

    public convenience init(settings: SamplerSettings, vocabularySize: Int, seed: UInt64) throws {
        try self.init(
            settings: settings, vocabularySize: vocabularySize,
            generator: RandomGenerator(seed: seed))
    }

    public init(settings: SamplerSettings, vocabularySize: Int, generator: RandomGenerator) throws {
        try Self.check(settings)
        guard vocabularySize >= 1 else {
            throw CharRNNError("vocabulary size must be positive, got \(vocabularySize)")
        }
        self.settings = settings
        self.vocabularySize = vocabularySize
        self.generator = generator
        scores = .allocate(capacity: vocabularySize)
        probabilityBuffer = .allocate(capacity: vocabularySize)
        scratch = .allocate(capacity: vocabularySize)
        penalized = .allocate(capacity: vocabularySize)
        marks = .allocate(capacity: vocabularySize)
        recent = RecentTokens(capacity: settings.repeatLastN)
        ranking = TokenRanking(capacity: vocabularySize)
        scores.initialize(repeating: 0, count: vocabularySize)
        probabilityBuffer.initialize(repeating: 1 / Float(vocabularySize), count: vocabularySize)
        scratch.initialize(repeating: 0, count: vocabularySize)
        penalized.initialize(repeating: 0, count: vocabularySize)
        marks.initialize(repeating: false, count: vocabularySize)
        logNormalizer = Double.log(Double(vocabularySize))
    }

    deinit {
        scores.deallocate()
        probabilityBuffer.deallocate()
        scratch.deallocate()
        penalized.deallocate()
        marks.deallocate()
    }

    /// Replaces the settings after validating them; on error the old settings stay. A new
    /// `repeatLastN` keeps the most recent tokens that fit.
    public func update(settings: SamplerSettings) throws {
        try Self.check(settings)
        if settings.repeatLastN != self.settings.repeatLastN { remember(recent.tokens, capacity: settings.repeatLastN) }
        self.settings = settings
    }

    /// Valid settings for a per-character sampler: not beam search.
    private static func check(_ settings: SamplerSettings) throws {
        try settings.validate()
        guard settings.method != .beam else {
            throw CharRNNError("beam search chooses whole continuations, not one character at a time: use BeamSearch")
        }
    }

    /// Adds a token read or written to the repetition penalty's window.
    public func remember(_ token: Int) {
        precondition((0..<vocabularySize).contains(token), "token \(token) outside the vocabulary")
        recent.append(token)
    }

    /// Replaces the repetition penalty's window with the last `repeatLastN` of `tokens`.
    public func remember(_ tokens: [Int]) { remember(tokens, capacity: settings.repeatLastN) }

    private func remember(_ tokens: [Int], capacity: Int) {
        recent = RecentTokens(capacity: capacity)
        for token in tokens.suffix(capacity) { remember(token) }
    }

    public func reseed(_ seed: UInt64) { generator = RandomGenerator(seed: seed) }

    /// The prepared distribution, [V]; valid until the next `prepare`/`sample`.
    public var probabilities: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: probabilityBuffer, count: vocabularySize)
    }

    /// Runs the repetition penalty, temperature and truncation over logits[V] and renormalises
    /// into `probabilities`.
    public func prepare(logits: UnsafeBufferPointer<Float>) {
        precondition(logits.count == vocabularySize, "logits must have \(vocabularySize) entries")
        let v = vocabularySize
        guard var raw = logits.baseAddress else { return }
        if settings.penalizesRepeats {
            RepeatPenalty(penalty: settings.repeatPenalty)
                .apply(logits: raw, count: v, recent: recent, into: penalized, marks: marks)
            raw = UnsafePointer(penalized)
        }
        if settings.isDeterministic {
            let best = Softmax.argmax(raw, count: v)
            forcedToken = best
            probabilityBuffer.update(repeating: 0, count: v)
            probabilityBuffer[best] = 1
            logNormalizer = 0
            return
        }
        forcedToken = nil
        scale(raw)
        var candidates = Candidates(scores: scores, count: v, ranking: ranking)
        if let k = settings.topK { TopKFilter(k: k).apply(to: &candidates) }
        if let p = settings.topP { TopPFilter(p: p).apply(to: &candidates) }
        if let minP = settings.minP { MinPFilter(minP: minP).apply(to: &candidates) }
        candidates.maskOutsidePrefix(scratch: scratch)
        logNormalizer = Softmax.probabilities(of: scores, count: v, into: probabilityBuffer)
    }

    /// Prepares and draws: the next token id.
    public func sample(logits: UnsafeBufferPointer<Float>) -> Int {
        prepare(logits: logits)
        return draw()
    }

    public func sample(logits: [Float]) -> Int {
        logits.withUnsafeBufferPointer { sample(logits: $0) }
    }

    /// The processed distribution for logits[V] as a new array (tests, one-off queries).
    public func distribution(logits: [Float]) -> [Float] {
        logits.withUnsafeBufferPointer { prepare(logits: $0) }
        return Array(probabilities)
    }

    /// Draws a token from the prepared distribution with the sampler's method.
    public func draw() -> Int {
        if let forcedToken { return forcedToken }
        switch settings.method {
        case .greedy, .beam: return Softmax.argmax(probabilityBuffer, count: vocabularySize)  // never .beam: refused
        case .multinomial: return drawByInversion()
        case .gumbel: return drawByGumbelMax()
        }
    }

    /// Entropy (nats) of the prepared distribution: lse − Σ p·score, no logarithm per entry.
    public var entropy: Double {
        if forcedToken != nil { return 0 }
        var expected: Double = 0
        for i in 0..<vocabularySize where probabilityBuffer[i] > 0 {
            expected += Double(probabilityBuffer[i]) * Double(scores[i])
        }
        return max(logNormalizer - expected, 0)
    }

    /// −ln p(token) under the prepared distribution; +∞ for a truncated token.
    public func surprisal(of token: Int) -> Double {
        if let forcedToken { return token == forcedToken ? 0 : .infinity }
        let s = scores[token]
        return s == -.infinity ? .infinity : logNormalizer - Double(s)
    }

    /// How many tokens the prepared distribution allows.
    public var supportSize: Int {
        if forcedToken != nil { return 1 }
        var n = 0
        for i in 0..<vocabularySize where probabilityBuffer[i] > 0 { n += 1 }
        return n
    }

    /// scores = (logits − max) / T, NaN → −∞. Degenerate logits (no finite maximum) become
    /// uniform over the +∞ entries, or over all entries when every one is −∞ or NaN.
    private func scale(_ logits: UnsafePointer<Float>) {
        let v = vocabularySize
        let m = Softmax.maximum(logits, count: v)
        if m.isFinite {
            let inverseT = 1 / settings.temperature
            for i in 0..<v {
                let l = logits[i]
                scores[i] = l.isNaN ? -.infinity : (l - m) * inverseT
            }
        } else {
            for i in 0..<v {
                scores[i] = m == .infinity ? (logits[i] == .infinity ? 0 : -.infinity) : 0
            }
        }
    }

    /// Inverts the cumulative distribution at a uniform u in [0, 1).
    private func drawByInversion() -> Int {
        let u = generator.nextDouble()
        var cumulative: Double = 0
        var last = 0
        for i in 0..<vocabularySize where probabilityBuffer[i] > 0 {
            cumulative += Double(probabilityBuffer[i])
            last = i
            if u < cumulative { return i }
        }
        return last  // u beyond a total that rounded below 1
    }

    /// argmax over allowed tokens of score + G, G = −ln(−ln U) standard Gumbel noise.
    private func drawByGumbelMax() -> Int {
        var best = 0
        var bestValue = -Double.infinity
        for i in 0..<vocabularySize where scores[i] > -.infinity {
            let u = generator.nextOpenUnitDouble()
            let value = Double(scores[i]) - Double.log(-Double.log(u))
            if value > bestValue {
                bestValue = value
                best = i
            }
        }
        return best
    }
}
