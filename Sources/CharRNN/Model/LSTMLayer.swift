/// LSTM recurrence, PyTorch conventions (gate blocks i, f, g, o):
///   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of x_· + W_h· h + b_h·,
///   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c'),
/// where x_· = W_i· x + b_i· is the input projection, computed by the caller for all steps.
enum LSTMLayer {
    /// One step for one row. xp[4H] (incl. b_ih), hp[4H] = W_hh·h (no bias); cPrev[H] → cOut[H],
    /// hOut[H] (both may alias the previous state). Writes the gates i, f, g, o to gates[4H] and
    /// tanh(c') to tanhC[H]: kept for backward in training, scratch when streaming.
    /// Each pass is a plain loop over contiguous floats, so the compiler vectorises it.
    @inline(__always)
    static func cell(
        xp: UnsafePointer<Float>, hp: UnsafePointer<Float>, hiddenBias bhh: UnsafePointer<Float>,
        cPrev: UnsafePointer<Float>, cOut: UnsafeMutablePointer<Float>,
        hOut: UnsafeMutablePointer<Float>,
        gates s: UnsafeMutablePointer<Float>, tanhC tc: UnsafeMutablePointer<Float>, H: Int
    ) {
        for j in 0..<4 * H { s[j] = xp[j] + hp[j] + bhh[j] }
        Kernels.sigmoid(s, 2 * H)  // i, f
        Kernels.tanh(s + 2 * H, H)  // g
        Kernels.sigmoid(s + 3 * H, H)  // o
        for j in 0..<H {
            let c = s[H + j] * cPrev[j] + s[j] * s[2 * H + j]
            cOut[j] = c
            tc[j] = c
        }
        Kernels.tanh(tc, H)
        for j in 0..<H { hOut[j] = s[3 * H + j] * tc[j] }
    }

    /// Forward over T steps: reads a.inputProjection and the initial state h[0], c[0];
    /// writes h[1…T], c[1…T], gates and tanh(c).
    static func forward(_ a: LayerActivations, _ w: RecurrentWeights, _ products: MatrixProducts, split: SplitMatVec?) {
        let B = a.batch, H = a.hiddenSize, GH = a.gateSize
        for t in 0..<a.steps {
            let hPrev = a.hidden.pointer + t * B * H, cPrev = a.cellState.pointer + t * B * H
            products.linear(a.hiddenProjection.pointer, hPrev, w.hiddenWeights, m: B, n: GH, k: H, split: split)
            for b in 0..<B {
                let row = t * B + b
                cell(
                    xp: a.inputProjection.pointer + row * GH, hp: a.hiddenProjection.pointer + b * GH,
                    hiddenBias: w.hiddenBias, cPrev: cPrev + b * H, cOut: cPrev + (B + b) * H,
                    hOut: hPrev + (B + b) * H, gates: a.gates.pointer + row * GH,
                    tanhC: a.gatedHidden.pointer + row * H, H: H)
            }
        }
    }

    /// Backward over T steps: reads dH = a.outputGrad [T·B, H]; writes dXP [T·B, 4H] (the
    /// gradient of both projections) and accumulates dW_hh, db_hh.
    static func backward(_ a: LayerActivations, _ w: RecurrentWeights, _ products: MatrixProducts) {
        let B = a.batch, H = a.hiddenSize, GH = a.gateSize, T = a.steps
        let dG = a.inputProjectionGrad.pointer
        let hCarry = a.hiddenCarry.pointer, cCarry = a.cellCarry.pointer  // [B, H] each
        a.hiddenCarry.zero()
        a.cellCarry.zero()
        for t in stride(from: T - 1, through: 0, by: -1) {
            let cPrevStep = a.cellState.pointer + t * B * H
            for b in 0..<B {
                let row = t * B + b
                let s = a.gates.pointer + row * GH, tc = a.gatedHidden.pointer + row * H
                let dH = a.outputGrad.pointer + row * H, cPrev = cPrevStep + b * H
                let dh0 = hCarry + b * H, dc0 = cCarry + b * H, d = dG + row * GH
                for j in 0..<H {
                    let i = s[j], f = s[H + j], g = s[2 * H + j], o = s[3 * H + j]
                    let dh = dH[j] + dh0[j]
                    let dc = dc0[j] + dh * o * (1 - tc[j] * tc[j])
                    d[j] = dc * g * i * (1 - i)
                    d[H + j] = dc * cPrev[j] * f * (1 - f)
                    d[2 * H + j] = dc * i * (1 - g * g)
                    d[3 * H + j] = dh * tc[j] * o * (1 - o)
                    dc0[j] = dc * f
                }
            }
            // dh_{t−1} = dG_t [B, 4H] · W_hh [4H, H]
            if t > 0 { products.matmul(hCarry, dG + t * B * GH, w.hiddenWeights, m: B, n: H, k: GH) }
        }
        products.matmulTransposedA(w.hiddenWeightsGrad, dG, a.hidden.pointer, m: GH, n: H, k: T * B)
        Kernels.addColumnSums(w.hiddenBiasGrad, dG, rows: T * B, cols: GH)
    }
}
