import RealModule

public enum Evaluation {
    /// The logits of one chunk, [chunk, V] floats, stay within this (16 MB, twice with their
    /// gradient buffer): a 65,536-symbol vocabulary is scored 64 characters at a time.
    public static let maxChunkLogits = 1 << 22

    /// The chunk length `evaluate` uses: `chunk`, shortened for a large vocabulary.
    public static func chunkLength(_ chunk: Int, vocabularySize: Int) -> Int {
        max(1, min(chunk, maxChunkLogits / vocabularySize))
    }

    /// Runs in chunks of at most `chunk` characters (see `chunkLength`); the state carries
    /// across chunks. `progress` gets the characters scored so far and the total after each
    /// chunk. A model whose outputs turn non-finite (weights that overflow) is an error naming
    /// the first character it could not score — never a NaN or infinite figure.
    public static func evaluate(
        _ model: CharRNNModel, tokens: [Int32], chunk: Int = 1000, compute: ComputePolicy,
        progress: (_ scored: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> EvaluationResult {
        var total = 0.0
        try forEachChunk(model, tokens: tokens, chunk: chunk, compute: compute) { _, start, length, nats in
            total += nats
            progress(start + length, tokens.count - 1)
        }
        let n = tokens.count - 1
        return EvaluationResult(characters: n, natsPerCharacter: total / Double(n))
    }

    /// The chunk walk behind `evaluate`, on a `ChunkScorer`: `body` gets each chunk's logits
    /// [length, V] (row t predicts character start + t + 1), the chunk's first input position, its
    /// length and its summed negative log-likelihood in nats.
    static func forEachChunk(
        _ model: CharRNNModel, tokens: [Int32], chunk: Int, compute: ComputePolicy,
        _ body: (_ logits: UnsafePointer<Float>, _ start: Int, _ length: Int, _ nats: Double) throws -> Void
    ) throws {
        let n = tokens.count - 1
        guard n >= 1 else { throw CharRNNError("text to evaluate needs at least 2 characters, has \(tokens.count)") }
        let V = model.config.vocabularySize
        let chunk = min(chunkLength(chunk, vocabularySize: V), n)
        let scorer = ChunkScorer(StreamingModel(model, compute: compute), maxChunk: chunk)
        let state = scorer.model.makeState()
        var start = 0
        while start < n {
            let length = min(chunk, n - start)
            let logits = scorer.score(tokens[start..<start + length], state)
            let nats = tokens[(start + 1)...].withUnsafeBufferPointer {
                OutputLayer.crossEntropy(logits: logits, targets: $0.baseAddress!, rows: length, vocabulary: V)
            }
            if let row = firstNonFiniteRow(logits, rows: length, vocabulary: V) {
                // Counted from 1, as a reader counts: row t predicts character start + t + 1 (from 0).
                throw CharRNNError("non-finite outputs at character \(start + row + 2): the model's weights overflow")
            }
            try body(logits, start, length, nats)
            start += length
        }
    }

    /// The first row of logits [rows, V] not all finite or so far apart that the loss lse − logit
    /// would overflow; nil when every row is usable.
    static func firstNonFiniteRow(_ logits: UnsafePointer<Float>, rows: Int, vocabulary V: Int) -> Int? {
        (0..<rows).first { row in
            var low = Float.infinity, high = -Float.infinity
            for x in UnsafeBufferPointer(start: logits + row * V, count: V) {
                guard x.isFinite else { return true }
                (low, high) = (min(low, x), max(high, x))
            }
            return !(high - low).isFinite
        }
    }
}
