/// The hidden state of one batch-1 stream, with its own scratch and logits, so several
/// streams can share one `StreamingModel`.
public final class StreamingState {
    let hidden: [Buffer]  // per layer h [H]
    let cells: [Buffer]  // per layer c [H] (LSTM)
    let inputProjection: Buffer  // scratch [GH]
    let hiddenProjection: Buffer  // scratch [GH]
    let gates: Buffer  // scratch [GH]
    let gatedHidden: Buffer  // scratch [H]: GRU W_hn h + b_hn, LSTM tanh(c)
    let logitsBuffer: Buffer  // [V]
    /// False until the first step after creation or reset: logits are undefined until then.
    public internal(set) var stepped = false

    init(config c: ModelConfig) {
        let GH = c.cell.gateCount * c.hiddenSize
        hidden = (0..<c.layers).map { _ in Buffer(c.hiddenSize) }
        cells = (0..<(c.cell == .lstm ? c.layers : 0)).map { _ in Buffer(c.hiddenSize) }
        inputProjection = Buffer(GH)
        hiddenProjection = Buffer(GH)
        gates = Buffer(GH)
        gatedHidden = Buffer(c.hiddenSize)
        logitsBuffer = Buffer(c.vocabularySize)
    }

    /// The next character's logits [V], valid after a step.
    public var logits: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: logitsBuffer.pointer, count: logitsBuffer.count)
    }

    /// Back to the zero state.
    public func reset() {
        (hidden + cells).forEach { $0.zero() }
        logitsBuffer.zero()
        stepped = false
    }

    public func copy(from other: StreamingState) {
        precondition(other.hidden.count == hidden.count && other.cells.count == cells.count)
        for (a, b) in zip(hidden + cells + [logitsBuffer], other.hidden + other.cells + [other.logitsBuffer]) {
            precondition(a.count == b.count, "states of different models")
            a.pointer.update(from: b.pointer, count: a.count)
        }
        stepped = other.stepped
    }

    /// Every layer's h, then every layer's c (LSTM).
    public var hiddenValues: [Float] { (hidden + cells).flatMap { $0.array } }
}
