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

    /// The chunk walk behind `evaluate`: `body` gets each chunk's graph (its `logits` row t
    /// predicts character start + t + 1), the chunk's first input position, its length and its
    /// summed negative log-likelihood in nats.
    static func forEachChunk(
        _ model: CharRNNModel, tokens: [Int32], chunk: Int, compute: ComputePolicy,
        _ body: (_ graph: SequenceGraph, _ start: Int, _ length: Int, _ nats: Double) throws -> Void
    ) throws {
        let n = tokens.count - 1
        guard n >= 1 else { throw CharRNNError("text to evaluate needs at least 2 characters, has \(tokens.count)") }
        let chunk = chunkLength(chunk, vocabularySize: model.config.vocabularySize)
        var graphs: [Int: SequenceGraph] = [:]
        var carried: SequenceGraph?
        var start = 0
        while start < n {
            let length = min(chunk, n - start)
            let graph = graphs[length] ?? SequenceGraph(model: model, batch: 1, steps: length, compute: compute)
            graphs[length] = graph
            if let previous = carried {
                if previous !== graph { graph.copyInitialState(fromFinalStateOf: previous) } else { graph.carryState() }
            } else {
                graph.resetState()
            }
            let nats = tokens.withUnsafeBufferPointer {
                graph.forward(inputs: $0.baseAddress! + start, targets: $0.baseAddress! + start + 1)
            }
            if let step = graph.firstNonFiniteStep() {
                // Counted from 1, as a reader counts: step t predicts character start + t + 1 (from 0).
                throw CharRNNError("non-finite outputs at character \(start + step + 2): the model's weights overflow")
            }
            try body(graph, start, length, nats)
            carried = graph
            start += length
        }
    }
}

extension SequenceGraph {
    /// The first step (batch 1) whose logits are not all finite or so far apart that the loss
    /// lse − logit would overflow; nil when every step's are usable.
    func firstNonFiniteStep() -> Int? {
        let V = model.config.vocabularySize
        return (0..<batch * steps).first { row in
            let l = UnsafeBufferPointer(start: logits.pointer + row * V, count: V)
            var low = Float.infinity, high = -Float.infinity
            for x in l {
                guard x.isFinite else { return true }
                (low, high) = (min(low, x), max(high, x))
            }
            return !(high - low).isFinite
        }
    }

    /// This graph's initial state := the final state of `other` (same model, batch).
    func copyInitialState(fromFinalStateOf other: SequenceGraph) {
        for (mine, theirs) in zip(layers, other.layers) {
            let n = batch * mine.hiddenSize
            mine.hidden.pointer.update(from: theirs.hidden.pointer + theirs.steps * n, count: n)
            if mine.cell == .lstm {
                mine.cellState.pointer.update(from: theirs.cellState.pointer + theirs.steps * n, count: n)
            }
        }
    }
}
