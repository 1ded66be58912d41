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
    /// The precision of the mat-vecs below (and of `ChunkScorer`'s recurrent ones).
    public let precision: Precision
    /// Under bfloat16: W_hh of every layer, W_ih of the upper layers (nil for layer 0, whose input
    /// is the float32 table) and fc.weight, rounded; shared with `split` like the float32 ones.
    /// Empty under float32.
    private let bf16Hidden: [BF16Matrix], bf16Input: [BF16Matrix?], bf16Output: BF16Matrix?

    /// Computes in `compute.precision`.
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
        precision = compute.precision
        split = SplitMatVec.forBatchOne(config, compute)
        if precision == .bfloat16 {
            let H = config.hiddenSize, weights = weights
            bf16Hidden = weights.map { BF16Matrix($0.hiddenWeights, rows: $0.gateSize, columns: H) }
            bf16Input = weights.indices.map { k in
                k == 0 ? nil : BF16Matrix(weights[k].inputWeights, rows: weights[k].gateSize, columns: H)
            }
            bf16Output = BF16Matrix(model.parameters.value("fc.weight"), rows: config.vocabularySize, columns: H)
        } else {
            (bf16Hidden, bf16Input, bf16Output) = ([], [], nil)
        }
    }

    /// y[m] (+)= w[m, n] · x[n]: by `rounded` when the model computes in bfloat16, else in float32.
    private func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, rounded: BF16Matrix?,
        _ x: UnsafePointer<Float>, m: Int, n: Int, accumulate: Bool = false
    ) {
        if let rounded {
            rounded.matvec(y, x, accumulate: accumulate, split: split)
        } else {
            BLAS.matvec(y, w, x, m: m, n: n, accumulate: accumulate, split: split)
        }
    }

    /// hp[GH] = W_hh · h of layer k, in the model's precision (`ChunkScorer` uses it too).
    func recurrentProduct(layer k: Int, _ hp: UnsafeMutablePointer<Float>, _ h: UnsafePointer<Float>) {
        let w = weights[k]
        matvec(
            hp, w.hiddenWeights, rounded: bf16Hidden.isEmpty ? nil : bf16Hidden[k], h, m: w.gateSize,
            n: config.hiddenSize)
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
                matvec(
                    xp, w.inputWeights, rounded: bf16Input.isEmpty ? nil : bf16Input[k], state.hidden[k - 1].pointer,
                    m: w.gateSize, n: H, accumulate: true)
                x = UnsafePointer(xp)
            }
            recurrentProduct(layer: k, hp, h)
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
        matvec(
            logits, p.value("fc.weight"), rounded: bf16Output, state.hidden[config.layers - 1].pointer,
            m: config.vocabularySize, n: H, accumulate: true)
        state.stepped = true
    }
}
