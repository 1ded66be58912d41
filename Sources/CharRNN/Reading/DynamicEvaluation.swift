import RealModule

/// Dynamic evaluation (Krause et al. 2018, "Dynamic Evaluation of Neural Sequence Models"): a
/// model that keeps learning on the text it reads. The text is read in chunks from a zero state
/// carried through the whole text; each chunk is scored first (those are the figures reported),
/// then the model takes one gradient step on that chunk's mean loss (truncated BPTT over the
/// chunk, the state carried on).
///
/// It learns on a private copy of the model, with dropout off: the model given (and the
/// checkpoint it came from) never changes. Read a text whole with `TextReading.read(_:tokens:
/// top:learning:compute:progress:)`, or chunk by chunk with `readNextChunk`.
public final class DynamicEvaluation {
    public let settings: DynamicEvaluationSettings
    /// The copy that learns.
    let model: CharRNNModel
    let compute: ComputePolicy
    /// rms: the running mean of squared gradients [parameter count]; empty for sgd.
    private let meanSquares: Buffer
    private var updates = 0
    private var graphs: [Int: SequenceGraph] = [:]
    private var carried: SequenceGraph?
    /// Characters predicted so far: the next chunk's first input is tokens[position].
    public private(set) var position = 0

    /// The β of rms's running mean and the ε added to its root.
    static let decay: Float = 0.99, epsilon: Float = 1e-8

    public init(model: CharRNNModel, settings: DynamicEvaluationSettings, compute: ComputePolicy) {
        var config = model.config
        config.dropout = 0
        let parameters = ParameterSet(shapes: config.parameterShapes)
        parameters.copyValues(from: model.parameters)
        self.model = CharRNNModel(config: config, vocabulary: model.vocabulary, parameters: parameters)
        self.settings = settings
        self.compute = compute
        meanSquares = Buffer(settings.method == .rms ? parameters.count : 0)
    }

    /// The reading of the next chunk of `tokens` (the same text on every call), scored before the
    /// model learns from it; nil when the text is read to its end. Its tokens are tokens[p … p +
    /// length] for p the `position` before the call: its `characters[i]` are the figures of
    /// tokens[p + i + 1], and its summary is the chunk's.
    public func readNextChunk(of tokens: [Int32], top: Int = 5) throws -> TextReading? {
        let start = position, length = nextChunkLength(of: tokens)
        guard length >= 1 else { return nil }
        return try TextReading.read(model, tokens: Array(tokens[start...start + length]), top: top) { body in
            _ = try readNextChunk(of: tokens) { logits, _, length, nats in try body(logits, 0, length, nats) }
        }
    }

    /// How many characters the next chunk predicts: 0 at the end of the text.
    private func nextChunkLength(of tokens: [Int32]) -> Int {
        let chunk = Evaluation.chunkLength(settings.chunkLength, vocabularySize: model.config.vocabularySize)
        return max(0, min(chunk, tokens.count - 1 - position))
    }

    /// Reads the next chunk of `tokens` (the same text on every call): scores tokens[position + 1
    /// … position + length] from the carried state, calls `body` with those figures, then learns
    /// from them. Returns false, doing nothing, when the text is read to its end. `body` gets the
    /// chunk's logits [length, V] (row t predicts tokens[start + t + 1]), the chunk's first input
    /// position, its length and its summed negative log-likelihood in nats, as in
    /// `Evaluation.forEachChunk`. Outputs that turn non-finite (a learning rate too high) are an
    /// error naming the character.
    func readNextChunk(
        of tokens: [Int32],
        _ body: (_ logits: UnsafePointer<Float>, _ start: Int, _ length: Int, _ nats: Double) throws -> Void
    ) throws -> Bool {
        let start = position, length = nextChunkLength(of: tokens)
        guard length >= 1 else { return false }
        let graph = graphs[length] ?? SequenceGraph(model: model, batch: 1, steps: length, compute: compute)
        graphs[length] = graph
        if let previous = carried {
            if previous !== graph { graph.copyInitialState(fromFinalStateOf: previous) } else { graph.carryState() }
        } else {
            graph.resetState()
        }
        var noDropout = RandomGenerator(seed: 0)
        model.parameters.zeroGradients()
        let nats = tokens.withUnsafeBufferPointer {
            graph.trainingForward(
                inputs: $0.baseAddress! + start, targets: $0.baseAddress! + start + 1, rng: &noDropout)
        }
        let logits = UnsafePointer(graph.logits.pointer)
        if let step = Evaluation.firstNonFiniteRow(logits, rows: length, vocabulary: model.config.vocabularySize) {
            throw CharRNNError(
                "non-finite outputs at character \(start + step + 2) while learning: lower the dynamic learning rate")
        }
        try body(logits, start, length, nats)
        graph.backward()
        update()
        carried = graph
        position += length
        return true
    }

    /// One step of `settings.method` from the gradients of the chunk just read.
    private func update() {
        updates += 1
        let p = model.parameters, n = p.count, theta = p.values, g = p.gradients, lr = settings.learningRate
        switch settings.method {
        case .sgd:
            for i in 0..<n { theta[i] -= lr * g[i] }
        case .rms:
            let v = meanSquares.pointer, beta = Self.decay, eps = Self.epsilon
            let correction = (1 - Float.pow(beta, updates)).squareRoot()
            for i in 0..<n {
                v[i] = beta * v[i] + (1 - beta) * g[i] * g[i]
                theta[i] -= lr * g[i] / (v[i].squareRoot() / correction + eps)
            }
        }
    }
}

extension TextReading {
    /// The dynamic reading of `tokens` (at least 2): as `read(_:tokens:top:chunk:compute:)`, but
    /// the model learns from each chunk after scoring it (see `DynamicEvaluation`). `progress`
    /// gets the characters read so far and the total after each chunk.
    public static func read(
        _ model: CharRNNModel, tokens: [Int32], top: Int = 5, learning settings: DynamicEvaluationSettings,
        compute: ComputePolicy, progress: (_ read: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> TextReading {
        guard tokens.count >= 2 else {
            throw CharRNNError("text to read needs at least 2 characters, has \(tokens.count)")
        }
        let learner = DynamicEvaluation(model: model, settings: settings, compute: compute)
        return try read(model, tokens: tokens, top: top) { body in
            while try learner.readNextChunk(of: tokens, { logits, start, length, nats in
                try body(logits, start, length, nats)
                progress(start + length, tokens.count - 1)
            }) {}
        }
    }
}

extension SequenceGraph {
    /// This graph's initial state := the final state of `other` (same model, batch).
    fileprivate func copyInitialState(fromFinalStateOf other: SequenceGraph) {
        for (mine, theirs) in zip(layers, other.layers) {
            let n = batch * mine.hiddenSize
            mine.hidden.pointer.update(from: theirs.hidden.pointer + theirs.steps * n, count: n)
            if mine.cell == .lstm {
                mine.cellState.pointer.update(from: theirs.cellState.pointer + theirs.steps * n, count: n)
            }
        }
    }
}
