/// What one recurrent layer keeps from forward for backward, for a batch of B sequences of
/// T steps, time-major: row t·B + b is sequence b at step t. GH = G·H.
final class LayerActivations {
    let batch: Int  // B
    let steps: Int  // T
    let hiddenSize: Int  // H
    let gateSize: Int  // GH
    let cell: Cell

    /// xproj[T·B, GH]: input projection X · W_ihᵀ + b_ih.
    let inputProjection: Buffer
    /// hproj[B, GH]: h_{t−1} · W_hhᵀ of the current step (scratch).
    let hiddenProjection: Buffer
    /// gates[T·B, GH]: post-activation gates (GRU r, z, n; LSTM i, f, g, o).
    let gates: Buffer
    /// GRU: hn[T·B, H] = W_hn h_{t−1} + b_hn (the term r gates). LSTM: tanh(c_t) [T·B, H].
    let gatedHidden: Buffer
    /// h[(T+1)·B, H]: row block 0 is the initial state, block t+1 the output of step t.
    let hidden: Buffer
    /// LSTM only: c[(T+1)·B, H], laid out like `hidden`.
    let cellState: Buffer

    /// dH[T·B, H]: gradient of the loss w.r.t. this layer's outputs (input to backward).
    let outputGrad: Buffer
    /// dXP[T·B, GH]: gradient w.r.t. the input projection (pre-activation gate inputs).
    let inputProjectionGrad: Buffer
    /// dHP[T·B, GH]: gradient w.r.t. the hidden projection (GRU; LSTM reuses dXP).
    let hiddenProjectionGrad: Buffer
    /// dh, dc carried backwards through time [B, H].
    let hiddenCarry: Buffer
    let cellCarry: Buffer

    init(cell: Cell, batch: Int, steps: Int, hiddenSize: Int) {
        self.cell = cell
        self.batch = batch
        self.steps = steps
        self.hiddenSize = hiddenSize
        gateSize = cell.gateCount * hiddenSize
        let rows = batch * steps
        inputProjection = Buffer(rows * gateSize)
        hiddenProjection = Buffer(batch * gateSize)
        gates = Buffer(rows * gateSize)
        gatedHidden = Buffer(rows * hiddenSize)
        hidden = Buffer((steps + 1) * batch * hiddenSize)
        cellState = Buffer(cell == .lstm ? (steps + 1) * batch * hiddenSize : 0)
        outputGrad = Buffer(rows * hiddenSize)
        inputProjectionGrad = Buffer(rows * gateSize)
        hiddenProjectionGrad = Buffer(cell == .gru ? rows * gateSize : 0)
        hiddenCarry = Buffer(batch * hiddenSize)
        cellCarry = Buffer(cell == .lstm ? batch * hiddenSize : 0)
    }

    /// The layer's outputs h_1 … h_T as one [T·B, H] matrix.
    var outputs: UnsafeMutablePointer<Float> { hidden.pointer + batch * hiddenSize }

    /// Zero initial state.
    func resetState() {
        (hidden.pointer).update(repeating: 0, count: batch * hiddenSize)
        if cell == .lstm { cellState.pointer.update(repeating: 0, count: batch * hiddenSize) }
    }

    /// The final state becomes the initial state of the next call (stateful streams, eval).
    func carryState() {
        let n = batch * hiddenSize
        hidden.pointer.update(from: hidden.pointer + steps * n, count: n)
        if cell == .lstm { cellState.pointer.update(from: cellState.pointer + steps * n, count: n) }
    }
}
