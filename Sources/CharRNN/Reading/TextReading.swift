/// A text read by a model: from a zero state carried through the whole text (as `Evaluation`
/// defines it), the figures of every predicted character and the model's top candidates there.
/// Position i (1 ≤ i < tokens.count) is predicted from tokens[..<i]; its figures are
/// `characters[i − 1]`. The candidates sit in flat arrays, `topCount` per position, so a long
/// text costs 16 + 8·topCount bytes a character, never a whole distribution.
public struct TextReading: Sendable {
    public static let maxTopCount = TopEntries.capacity

    public let tokens: [Int32]
    public let topCount: Int
    public let characters: [CharacterReading]
    /// nats/char over the whole text: `Evaluation.evaluate`'s figure, exactly.
    public let summary: EvaluationResult
    private let topTokens: [Int32]
    private let topProbabilities: [Float]

    /// Reads `tokens` (at least 2) in chunks of at most `chunk` characters, keeping the best
    /// `top` (0…16; at most the vocabulary) candidates of each position. Non-finite outputs are
    /// an error, as in `Evaluation`.
    public static func read(
        _ model: CharRNNModel, tokens: [Int32], top: Int = 5, chunk: Int = 1000, compute: ComputePolicy
    ) throws -> TextReading {
        try read(model, tokens: tokens, top: top) { body in
            try Evaluation.forEachChunk(model, tokens: tokens, chunk: chunk, compute: compute, body)
        }
    }

    /// The reading of `tokens` from the chunks `walk` passes to its body, in order, from the
    /// first to the last character (as `Evaluation.forEachChunk` does).
    static func read(
        _ model: CharRNNModel, tokens: [Int32], top: Int,
        walk: (_ body: (_ logits: UnsafePointer<Float>, _ start: Int, _ length: Int, _ nats: Double) throws -> Void)
            throws -> Void
    ) throws -> TextReading {
        precondition((0...maxTopCount).contains(top), "top must be in 0...\(maxTopCount), got \(top)")
        let V = model.config.vocabularySize
        let top = min(top, V)
        let n = max(0, tokens.count - 1)
        var characters: [CharacterReading] = []
        var topTokens: [Int32] = []
        var topProbabilities: [Float] = []
        characters.reserveCapacity(n)
        topTokens.reserveCapacity(n * top)
        topProbabilities.reserveCapacity(n * top)
        let probabilities = Buffer(V)
        var best = TopEntries()
        var total = 0.0
        try walk { logits, start, length, nats in
            total += nats
            for t in 0..<length {
                let figures = CharacterReading(
                    logits: logits + t * V, count: V, target: tokens[start + t + 1],
                    probabilities: probabilities.pointer)
                characters.append(figures)
                best.fill(probabilities: probabilities.pointer, sampled: probabilities.pointer, count: V, limit: top)
                for entry in best {
                    topTokens.append(Int32(entry.token))
                    topProbabilities.append(entry.probability)
                }
            }
        }
        return TextReading(
            tokens: tokens, topCount: top, characters: characters,
            summary: EvaluationResult(characters: n, natsPerCharacter: total / Double(n)),
            topTokens: topTokens, topProbabilities: topProbabilities)
    }

    /// The model's best candidates for position `position` (1 ≤ position < tokens.count), most
    /// probable first (lower id first on ties).
    public func candidates(at position: Int) -> [ReadCandidate] {
        let base = (position - 1) * topCount
        return (base..<base + topCount).map { ReadCandidate(token: topTokens[$0], probability: topProbabilities[$0]) }
    }

    /// How many characters fell in each rank bucket, indexed by `RankBucket.rawValue`.
    public var rankHistogram: [Int] {
        var counts = [Int](repeating: 0, count: RankBucket.allCases.count)
        for c in characters { counts[c.bucket.rawValue] += 1 }
        return counts
    }
}
