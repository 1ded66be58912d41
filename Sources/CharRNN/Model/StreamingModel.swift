/// The model run one character at a time at batch 1, for generation and the terminal UI.
/// It keeps its own copy of the weights (training may go on) and the layer-0 input table
/// Emb·W_ihᵀ + b_ih [V, GH], so a step is one table row, one W_hh mat-vec per layer, one
/// W_ih mat-vec per upper layer and the output mat-vec. No allocation per step.
///
/// Under a splitting policy the model owns its two-core mat-vec helper (`SplitMatVec`, only when
/// it has a matrix big enough to share): the helper thread lives as long as the model, so two
/// models alive at once (a checkpoint swap) each have their own, and the old one's ends with it.
public final class StreamingModel {
    public let config: ModelConfig
    public let vocabulary: Vocabulary
    private let model: CharRNNModel  // private copy
    let weights: [RecurrentWeights]
    let inputTable: Buffer  // [V, GH]
    /// The helper that shares big mat-vecs across two cores; nil without one.
    let split: SplitMatVec?

    public init(_ source: CharRNNModel, compute: ComputePolicy) {
        let model = source.copy()
        self.model = model
        config = model.config
        vocabulary = model.vocabulary
        weights = (0..<model.config.layers).map { model.recurrentWeights(layer: $0) }
        let w = weights[0], V = config.vocabularySize
        let table = Buffer(V * w.gateSize)
        BLAS.linear(
            table.pointer, model.parameters.value("embedding.weight"), w.inputWeights,
            m: V, n: w.gateSize, k: model.config.embeddingSize)
        Kernels.addRowVector(table.pointer, w.inputBias, rows: V, cols: w.gateSize)
        inputTable = table
        split = SplitMatVec.forBatchOne(config, compute)
    }

    /// The copy's parameters (`ChunkScorer` runs on them too).
    var parameters: ParameterSet { model.parameters }

    public func makeState() -> StreamingState { StreamingState(config: config) }

    /// Feeds one token: advances `state` and leaves the next character's logits in `state.logits`.
    public func step(_ token: Int, _ state: StreamingState) {
        precondition(token >= 0 && token < config.vocabularySize, "token \(token) out of range")
        let H = config.hiddenSize
        let xp = state.inputProjection.pointer, hp = state.hiddenProjection.pointer
        for k in 0..<config.layers {
            let w = weights[k], h = state.hidden[k].pointer
            let x: UnsafePointer<Float>
            if k == 0 {
                x = UnsafePointer(inputTable.pointer + token * w.gateSize)
            } else {
                // xp [GH] = W_ih · h_{k−1} + b_ih
                xp.update(from: w.inputBias, count: w.gateSize)
                BLAS.matvec(
                    xp, w.inputWeights, state.hidden[k - 1].pointer, m: w.gateSize, n: H, accumulate: true,
                    split: split)
                x = UnsafePointer(xp)
            }
            BLAS.matvec(hp, w.hiddenWeights, h, m: w.gateSize, n: H, split: split)
            switch config.cell {
            case .gru:
                GRULayer.cell(
                    xp: x, hp: hp, hiddenBias: w.hiddenBias, hPrev: h, hOut: h,
                    gates: state.gates.pointer, hn: state.gatedHidden.pointer, H: H)
            case .lstm:
                let c = state.cells[k].pointer
                LSTMLayer.cell(
                    xp: x, hp: hp, hiddenBias: w.hiddenBias, cPrev: c, cOut: c, hOut: h,
                    gates: state.gates.pointer, tanhC: state.gatedHidden.pointer, H: H)
            }
        }
        let p = model.parameters, logits = state.logitsBuffer.pointer
        logits.update(from: p.value("fc.bias"), count: config.vocabularySize)
        BLAS.matvec(
            logits, p.value("fc.weight"), state.hidden[config.layers - 1].pointer,
            m: config.vocabularySize, n: H, accumulate: true, split: split)
        state.stepped = true
    }
}
