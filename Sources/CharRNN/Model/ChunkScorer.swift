/// Scores a text at batch 1, a chunk at a time, with the state carried from chunk to chunk: the
/// fast path behind `eval`, `charrnn read`, the trainer's validation and the terminal UI's read
/// mode. The same float32 products as the training graph, ordered for one sequence, layer by layer:
/// - layer 0's input projection is a row of the streaming model's table Emb·W_ihᵀ + b_ih [V, GH];
/// - an upper layer's input projection is one matrix product over the chunk, [n, H] · W_ihᵀ;
/// - only the recurrent W_hh · h is per step (on two cores under a splitting policy);
/// - the output layer is one matrix product over the chunk, [n, H] · W_fcᵀ.
/// Under bfloat16 (the model's `precision`) the per-step W_hh · h is the bfloat16 mat-vec, and the
/// chunk-wide products (upper W_ih, output layer) are oneDNN's bfloat16 products (`MatrixProducts`).
///
/// The state is a `StreamingState` of the `StreamingModel` the scorer runs on, so it can be copied
/// out after any chunk (`StreamingState.copy(from:)`), set back before one, or handed to a
/// generation stream: after `score` it holds the state after the chunk's last character and, in
/// `logits`, the distribution of the next one, exactly as if the chunk had been streamed (under
/// float32; under bfloat16 within rounding, as streaming rounds those products too). Scoring
/// the same tokens from the same state gives bit-identical logits.
///
/// The scorer owns scratch for one chunk: one thread at a time per scorer (several scorers may
/// share one `StreamingModel`).
public final class ChunkScorer {
    public let model: StreamingModel
    /// The most characters one `score` call takes.
    public let maxChunk: Int
    private let inputProjection: Buffer  // [maxChunk, GH]: an upper layer's W_ih · x + b_ih
    private let layerOutputs: [Buffer]  // two [maxChunk, H]: layer k's outputs, layer k−1's
    private let logitsBuffer: Buffer  // [maxChunk, V]
    /// The chunk-wide products (upper W_ih, fc) in the model's precision.
    private let products: MatrixProducts

    public init(_ model: StreamingModel, maxChunk: Int) {
        precondition(maxChunk >= 1, "maxChunk must be at least 1, got \(maxChunk)")
        let c = model.config
        self.model = model
        self.maxChunk = maxChunk
        inputProjection = Buffer(c.layers > 1 ? maxChunk * c.cell.gateCount * c.hiddenSize : 0)
        layerOutputs = (0..<min(c.layers, 2)).map { _ in Buffer(maxChunk * c.hiddenSize) }
        logitsBuffer = Buffer(maxChunk * c.vocabularySize)
        let upper = model.weights.dropFirst().map { ($0.inputWeights, count: $0.gateSize * $0.inputSize) }
        let output = (model.parameters.value("fc.weight"), count: c.vocabularySize * c.hiddenSize)
        products = MatrixProducts(precision: model.precision, weights: upper + [output])
        products.refreshWeights()  // the streaming model's weights never change
    }

    /// Runs `tokens` (1…maxChunk, each in the vocabulary) from `state` and advances it. Returns
    /// the logits [n, V]: row t is the distribution of the character after tokens[t]. They stay
    /// valid until the next call.
    public func score(_ tokens: UnsafeBufferPointer<Int32>, _ state: StreamingState) -> UnsafePointer<Float> {
        let n = tokens.count, c = model.config, H = c.hiddenSize, V = c.vocabularySize
        precondition((1...maxChunk).contains(n), "a chunk holds 1…\(maxChunk) tokens, got \(n)")
        precondition(tokens.allSatisfy { $0 >= 0 && Int($0) < V }, "token out of range")
        var below: UnsafeMutablePointer<Float>? = nil  // layer k−1's outputs [n, H]
        for k in 0..<c.layers {
            let w = model.weights[k]
            let out = layerOutputs[k % 2].pointer  // [n, H]
            let x: (Int) -> UnsafePointer<Float>
            if let below {
                // xproj [n, GH] = X [n, H] · W_ihᵀ + b_ih
                products.linear(inputProjection.pointer, below, w.inputWeights, m: n, n: w.gateSize, k: H)
                Kernels.addRowVector(inputProjection.pointer, w.inputBias, rows: n, cols: w.gateSize)
                x = { [p = inputProjection.pointer] t in UnsafePointer(p + t * w.gateSize) }
            } else {
                x = { [p = model.inputTable.pointer] t in UnsafePointer(p + Int(tokens[t]) * w.gateSize) }
            }
            recur(layer: k, steps: n, inputProjection: x, outputs: out, state)
            below = out
        }
        let p = model.parameters
        OutputLayer.forward(
            logits: logitsBuffer.pointer, y: below!, weight: p.value("fc.weight"), bias: p.value("fc.bias"),
            rows: n, hidden: H, vocabulary: V, products: products)
        state.logitsBuffer.pointer.update(from: logitsBuffer.pointer + (n - 1) * V, count: V)
        state.stepped = true
        return UnsafePointer(logitsBuffer.pointer)
    }

    /// `score` on a slice of a token array (`tokens[start..<end]`).
    public func score(_ tokens: ArraySlice<Int32>, _ state: StreamingState) -> UnsafePointer<Float> {
        tokens.withUnsafeBufferPointer { score($0, state) }
    }

    /// Layer k over n steps from the state's h (and c), leaving h_1 … h_n in `outputs` [n, H]
    /// and the final state in `state`.
    private func recur(
        layer k: Int, steps n: Int, inputProjection x: (Int) -> UnsafePointer<Float>,
        outputs: UnsafeMutablePointer<Float>, _ state: StreamingState
    ) {
        let c = model.config, H = c.hiddenSize, w = model.weights[k]
        let hp = state.hiddenProjection.pointer
        for t in 0..<n {
            let hPrev = t == 0 ? UnsafePointer(state.hidden[k].pointer) : UnsafePointer(outputs + (t - 1) * H)
            let hOut = outputs + t * H
            // hp [GH] = W_hh · h_{t−1}
            model.recurrentProduct(layer: k, hp, hPrev)
            switch c.cell {
            case .gru:
                GRULayer.cell(
                    xp: x(t), hp: hp, hiddenBias: w.hiddenBias, hPrev: hPrev, hOut: hOut,
                    gates: state.gates.pointer, hn: state.gatedHidden.pointer, H: H)
            case .lstm:
                let cell = state.cells[k].pointer
                LSTMLayer.cell(
                    xp: x(t), hp: hp, hiddenBias: w.hiddenBias, cPrev: cell, cOut: cell, hOut: hOut,
                    gates: state.gates.pointer, tanhC: state.gatedHidden.pointer, H: H)
            }
        }
        state.hidden[k].pointer.update(from: outputs + (n - 1) * H, count: H)
    }
}
