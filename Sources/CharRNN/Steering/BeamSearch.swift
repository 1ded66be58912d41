/// Beam search over a primed session's model: after each step it keeps the `width` continuations
/// with the highest total log-probability, and `best` is the answer for the length so far.
///
///     let search = try BeamSearch(session: session, width: 5)   // session primed
///     for _ in 0..<200 { search.step() }                           // search.best: text and score
///
/// Scores are Σ ln p under log-softmax of the raw logits (T = 1); temperature, truncation and the
/// repetition penalty do not apply. Each step extends every kept beam by every character and keeps
/// the `width` best of those width × V candidates. Ties: candidates of equal score are ranked by
/// the rank of the beam they extend, then by token id (lower first), so a search is deterministic
/// and width 1 is greedy decoding (`Softmax.argmax`, lower id first on ties). A width beyond the
/// vocabulary size is capped to it (`requestedWidth` keeps what was asked for).
///
/// A beam's text is final only at the end; front ends show `best` redrawn after each step, with
/// its score. Memory: `width` states (and as many spare ones), whatever the length.
public final class BeamSearch {
    /// One partial continuation.
    public struct Beam: Equatable, Sendable {
        /// Token ids after the prime.
        public let tokens: [Int]
        /// The generated text (U+FFFD for `[UNK]`).
        public let text: String
        /// Σ ln p(token) at T = 1 over `tokens`.
        public let logProbability: Double
    }

    public let width: Int
    public let requestedWidth: Int
    /// The kept beams, best first; one empty beam before the first step.
    public private(set) var beams: [Beam]
    public var best: Beam { beams[0] }
    /// Steps taken: the length of every beam.
    public var length: Int { best.tokens.count }

    private let model: StreamingModel
    private let characters: [Unicode.Scalar]
    /// states[i]: the state after beams[i]'s tokens; spare: scratch for the next step.
    private var states: [StreamingState]
    private var spare: [StreamingState]
    /// scores[width × V]: the candidates of one step.
    private var scores: [Double]

    /// Starts from `session`'s primed state (the start token fed when it has none).
    public init(session: GenerationSession, width: Int) throws {
        guard width >= 1 else { throw CharRNNError("beam width must be at least 1, got \(width)") }
        let v = session.vocabulary.count
        requestedWidth = width
        self.width = min(width, v)
        model = session.streamingModel
        characters = session.characters
        states = (0..<self.width).map { _ in session.streamingModel.makeState() }
        spare = (0..<self.width).map { _ in session.streamingModel.makeState() }
        scores = [Double](repeating: 0, count: self.width * v)
        states[0].copy(from: session.primedState)
        if !states[0].stepped { model.step(GenerationSession.startToken(session.vocabulary), states[0]) }
        beams = [Beam(tokens: [], text: "", logProbability: 0)]
    }

    /// Extends the search by one character; returns the new best beam.
    @discardableResult
    public func step() -> Beam {
        let v = characters.count
        for (i, beam) in beams.enumerated() {
            let logits = states[i].logits
            let lse = Softmax.logSumExp(logits.baseAddress!, count: v)
            for t in 0..<v {
                let l = logits[t]
                scores[i * v + t] = l.isNaN ? -.infinity : beam.logProbability + (Double(l) - lse)
            }
        }
        let count = beams.count * v
        let kept = (0..<count).sorted { a, b in scores[a] > scores[b] || (scores[a] == scores[b] && a < b) }
            .prefix(width)
        var next: [Beam] = []
        for (slot, candidate) in kept.enumerated() {
            let (parent, token) = candidate.quotientAndRemainder(dividingBy: v)
            var text = beams[parent].text
            text.unicodeScalars.append(characters[token])
            next.append(Beam(tokens: beams[parent].tokens + [token], text: text, logProbability: scores[candidate]))
            spare[slot].copy(from: states[parent])
            model.step(token, spare[slot])
        }
        swap(&states, &spare)
        beams = next
        return best
    }

    /// Steps until every beam has `length` characters; returns the best.
    @discardableResult
    public func run(length target: Int) -> Beam {
        while length < target { step() }
        return best
    }
}
