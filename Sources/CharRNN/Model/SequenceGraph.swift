/// The whole model unrolled over B sequences of T steps: forward, loss and backward
/// (truncated BPTT). Buffers are allocated once, at creation; the hidden state carries across
/// calls only when asked (`carryState`).
///
/// Layer 0's input is an embedding row, so its input projection x·W_ihᵀ + b_ih is a row of the
/// table Emb·W_ihᵀ + b_ih [V, GH] when V ≤ T·B: one small matmul instead of one per row, and the
/// backward folds the gradient per vocabulary entry the same way.
///
/// At batch 1 under a splitting policy the graph owns a two-core mat-vec helper for the per-step
/// W_hh products, ended with the graph (see `SplitMatVec`). Scoring a text uses `ChunkScorer`.
///
/// Under bf16 (`precision`) every matrix product takes bf16 inputs and sums in float32
/// (`MatrixProducts`); the weights' bf16 copies are refreshed at the start of each forward.
public final class SequenceGraph {
    public let model: CharRNNModel
    public let batch: Int  // B
    public let steps: Int  // T
    let layers: [LayerActivations]
    let weights: [RecurrentWeights]
    let usesInputTable: Bool

    let tokens: UnsafeMutablePointer<Int32>  // [T·B] time-major inputs
    let targets: UnsafeMutablePointer<Int32>  // [T·B] time-major targets
    let inputTable: Buffer  // [V, GH] table path, or gathered embeddings X0 [T·B, E] otherwise
    let inputTableGrad: Buffer  // [V, GH] table path, or dX0 [T·B, E] otherwise
    let dropoutMasks: [Buffer]  // per layer [T·B, H]: 0 or 1/(1−p); empty without dropout
    let droppedOutputs: [Buffer]  // per layer [T·B, H]
    let logits: Buffer  // [T·B, V]
    let logitsGrad: Buffer  // [T·B, V]
    let split: SplitMatVec?
    let products: MatrixProducts
    private var lastForwardDropped = false

    /// `precision` other than float32 only where `precision.validate()` passes.
    public init(
        model: CharRNNModel, batch: Int, steps: Int, compute: ComputePolicy, inputTable: Bool? = nil,
        precision: Precision = .float32
    ) {
        split = batch == 1 ? SplitMatVec.forBatchOne(model.config, compute) : nil
        let c = model.config
        let n = batch * steps, GH = c.cell.gateCount * c.hiddenSize
        self.model = model
        self.batch = batch
        self.steps = steps
        layers = (0..<c.layers).map { _ in
            LayerActivations(cell: c.cell, batch: batch, steps: steps, hiddenSize: c.hiddenSize)
        }
        weights = (0..<c.layers).map { model.recurrentWeights(layer: $0) }
        products = MatrixProducts(
            precision: precision,
            weights: weights.flatMap { w in
                [(w.inputWeights, count: w.gateSize * w.inputSize), (w.hiddenWeights, count: w.gateSize * w.hiddenSize)]
            } + [(model.parameters.value("fc.weight"), count: c.vocabularySize * c.hiddenSize)])
        usesInputTable = inputTable ?? (c.vocabularySize <= n)
        tokens = .allocate(capacity: n)
        targets = .allocate(capacity: n)
        tokens.initialize(repeating: 0, count: n)
        targets.initialize(repeating: 0, count: n)
        let tableCount = usesInputTable ? c.vocabularySize * GH : n * c.embeddingSize
        self.inputTable = Buffer(tableCount)
        inputTableGrad = Buffer(tableCount)
        let masks = c.dropout > 0 ? c.layers : 0
        dropoutMasks = (0..<masks).map { _ in Buffer(n * c.hiddenSize) }
        droppedOutputs = (0..<masks).map { _ in Buffer(n * c.hiddenSize) }
        logits = Buffer(n * c.vocabularySize)
        logitsGrad = Buffer(n * c.vocabularySize)
    }

    deinit {
        tokens.deallocate()
        targets.deallocate()
    }

    public func resetState() { layers.forEach { $0.resetState() } }
    public func carryState() { layers.forEach { $0.carryState() } }

    /// Evaluation: runs the model over `inputs` [B, T] (batch-major, row b is sequence b) from
    /// the current initial state and returns the summed negative log-likelihood of `targets`
    /// [B, T], in nats. No dropout; nothing is kept for `backward()`.
    public func forward(inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>) -> Double {
        var noDropout: RandomGenerator? = nil
        return forward(inputs: inputs, targets: targets, dropoutRNG: &noDropout)
    }

    /// Training: as `forward(inputs:targets:)`, with dropout drawn from `rng`, and prepares
    /// `backward()`.
    public func trainingForward(
        inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, rng: inout RandomGenerator
    ) -> Double {
        var dropoutRNG: RandomGenerator? = rng
        defer { rng = dropoutRNG! }
        return forward(inputs: inputs, targets: targets, dropoutRNG: &dropoutRNG)
    }

    /// Training when `dropoutRNG` is given.
    private func forward(
        inputs: UnsafePointer<Int32>, targets batchTargets: UnsafePointer<Int32>,
        dropoutRNG: inout RandomGenerator?
    ) -> Double {
        let training = dropoutRNG != nil
        let c = model.config, p = model.parameters
        let B = batch, T = steps, N = B * T, H = c.hiddenSize, V = c.vocabularySize
        for b in 0..<B {
            for t in 0..<T {
                tokens[t * B + b] = inputs[b * T + t]
                targets[t * B + b] = batchTargets[b * T + t]
            }
        }
        products.refreshWeights()
        inputProjectionForward()
        let dropping = training && c.dropout > 0
        lastForwardDropped = dropping
        var layerOutput: UnsafeMutablePointer<Float> = layers[0].outputs
        for k in 0..<c.layers {
            let a = layers[k], w = weights[k]
            if k > 0 {
                // xproj [N, GH] = X [N, H] · W_ihᵀ + b_ih
                products.linear(a.inputProjection.pointer, layerOutput, w.inputWeights, m: N, n: w.gateSize, k: H)
                Kernels.addRowVector(a.inputProjection.pointer, w.inputBias, rows: N, cols: w.gateSize)
            }
            switch c.cell {
            case .gru: GRULayer.forward(a, w, products, split: split)
            case .lstm: LSTMLayer.forward(a, w, products, split: split)
            }
            layerOutput = a.outputs
            if dropping {
                Dropout.forward(
                    out: droppedOutputs[k].pointer, mask: dropoutMasks[k].pointer, x: layerOutput,
                    count: N * H, probability: c.dropout, rng: &dropoutRNG!)
                layerOutput = droppedOutputs[k].pointer
            }
        }
        OutputLayer.forward(
            logits: logits.pointer, y: layerOutput, weight: p.value("fc.weight"),
            bias: p.value("fc.bias"), rows: N, hidden: H, vocabulary: V, products: products)
        return OutputLayer.crossEntropy(
            logits: logits.pointer, targets: targets, rows: N, vocabulary: V,
            logitsGrad: training ? logitsGrad.pointer : nil)
    }

    /// Accumulates d(mean loss)/dθ of the last training forward into the model's gradients.
    public func backward() {
        let c = model.config, p = model.parameters
        let N = batch * steps, H = c.hiddenSize, V = c.vocabularySize
        let top = c.layers - 1
        OutputLayer.backward(
            products, logitsGrad: logitsGrad.pointer, y: layerInput(top + 1), weight: p.value("fc.weight"),
            weightGrad: p.gradient("fc.weight"), biasGrad: p.gradient("fc.bias"),
            yGrad: layers[top].outputGrad.pointer, rows: N, hidden: H, vocabulary: V)
        for k in stride(from: top, through: 0, by: -1) {
            let a = layers[k], w = weights[k]
            if lastForwardDropped {
                Dropout.backward(a.outputGrad.pointer, mask: dropoutMasks[k].pointer, count: N * H)
            }
            switch c.cell {
            case .gru: GRULayer.backward(a, w, products)
            case .lstm: LSTMLayer.backward(a, w, products)
            }
            let dXP = a.inputProjectionGrad.pointer  // [N, GH]
            if k > 0 {
                // dW_ih += dXPᵀ · X;  db_ih += Σ_rows dXP;  dX [N, H] = dXP · W_ih
                products.matmulTransposedA(w.inputWeightsGrad, dXP, layerInput(k), m: w.gateSize, n: H, k: N)
                Kernels.addColumnSums(w.inputBiasGrad, dXP, rows: N, cols: w.gateSize)
                products.matmul(layers[k - 1].outputGrad.pointer, dXP, w.inputWeights, m: N, n: H, k: w.gateSize)
            } else {
                inputProjectionBackward(dXP)
            }
        }
    }

    /// The input of layer k (k = L: the input of the output layer), after dropout.
    private func layerInput(_ k: Int) -> UnsafeMutablePointer<Float> {
        lastForwardDropped ? droppedOutputs[k - 1].pointer : layers[k - 1].outputs
    }

    /// Layer 0's xproj [N, GH] = Emb[token] · W_ihᵀ + b_ih.
    private func inputProjectionForward() {
        let c = model.config, w = weights[0], p = model.parameters
        let N = batch * steps, E = c.embeddingSize, GH = w.gateSize, V = c.vocabularySize
        let xp = layers[0].inputProjection.pointer, embedding = p.value("embedding.weight")
        if usesInputTable {
            products.linear(inputTable.pointer, embedding, w.inputWeights, m: V, n: GH, k: E)
            Kernels.addRowVector(inputTable.pointer, w.inputBias, rows: V, cols: GH)
            for i in 0..<N {
                (xp + i * GH).update(from: inputTable.pointer + Int(tokens[i]) * GH, count: GH)
            }
        } else {
            for i in 0..<N {
                (inputTable.pointer + i * E).update(from: embedding + Int(tokens[i]) * E, count: E)
            }
            products.linear(xp, inputTable.pointer, w.inputWeights, m: N, n: GH, k: E)
            Kernels.addRowVector(xp, w.inputBias, rows: N, cols: GH)
        }
    }

    /// From dXP [N, GH] of layer 0: dW_ih, db_ih and the embedding gradient.
    private func inputProjectionBackward(_ dXP: UnsafePointer<Float>) {
        let c = model.config, w = weights[0], p = model.parameters
        let N = batch * steps, E = c.embeddingSize, GH = w.gateSize, V = c.vocabularySize
        let embedding = p.value("embedding.weight"), dEmbedding = p.gradient("embedding.weight")
        let d = inputTableGrad.pointer
        if usesInputTable {
            // dTable[v] = Σ over rows with token v of dXP;  then one matmul per tensor.
            inputTableGrad.zero()
            for i in 0..<N {
                let src = dXP + i * GH, dst = d + Int(tokens[i]) * GH
                for j in 0..<GH { dst[j] += src[j] }
            }
            Kernels.addColumnSums(w.inputBiasGrad, d, rows: V, cols: GH)
            products.matmulTransposedA(w.inputWeightsGrad, d, embedding, m: GH, n: E, k: V)
            products.matmul(dEmbedding, d, w.inputWeights, m: V, n: E, k: GH, accumulate: true)
        } else {
            Kernels.addColumnSums(w.inputBiasGrad, dXP, rows: N, cols: GH)
            products.matmulTransposedA(w.inputWeightsGrad, dXP, inputTable.pointer, m: GH, n: E, k: N)
            products.matmul(d, dXP, w.inputWeights, m: N, n: E, k: GH)
            for i in 0..<N {
                let src = d + i * E, dst = dEmbedding + Int(tokens[i]) * E
                for j in 0..<E { dst[j] += src[j] }
            }
        }
    }
}
