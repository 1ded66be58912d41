/// GRU recurrence, PyTorch conventions (gate blocks r, z, n):
///   r = σ(x_r + W_hr h + b_hr),  z = σ(x_z + W_hz h + b_hz),
///   n = tanh(x_n + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h,
/// where x_· = W_i· x + b_i· is the input projection, computed by the caller for all steps.
enum GRULayer {
    /// One step for one row. xp[3H] (input projection incl. b_ih), hp[3H] = W_hh·h (no bias),
    /// hPrev[H] → hOut[H] (may alias hPrev). Writes the gates r, z, n to gates[3H] and
    /// W_hn h + b_hn to hn[H]: kept for backward in training, scratch when streaming.
    /// Each pass is a plain loop over contiguous floats, so the compiler vectorises it.
    @inline(__always)
    static func cell(
        xp: UnsafePointer<Float>, hp: UnsafePointer<Float>, hiddenBias bhh: UnsafePointer<Float>,
        hPrev: UnsafePointer<Float>, hOut: UnsafeMutablePointer<Float>,
        gates g: UnsafeMutablePointer<Float>, hn: UnsafeMutablePointer<Float>, H: Int
    ) {
        for j in 0..<2 * H { g[j] = xp[j] + hp[j] + bhh[j] }
        Kernels.sigmoid(g, 2 * H)  // r, z
        for j in 0..<H {
            hn[j] = hp[2 * H + j] + bhh[2 * H + j]
            g[2 * H + j] = xp[2 * H + j] + g[j] * hn[j]
        }
        Kernels.tanh(g + 2 * H, H)  // n
        for j in 0..<H { hOut[j] = (1 - g[H + j]) * g[2 * H + j] + g[H + j] * hPrev[j] }
    }

    /// Forward over T steps: reads a.inputProjection and the initial state h[0];
    /// writes h[1…T], gates and hn.
    static func forward(_ a: LayerActivations, _ w: RecurrentWeights, _ products: MatrixProducts, split: SplitMatVec?) {
        let B = a.batch, H = a.hiddenSize, GH = a.gateSize
        for t in 0..<a.steps {
            let hPrev = a.hidden.pointer + t * B * H  // [B, H]
            let hOut = hPrev + B * H  // [B, H]
            products.linear(a.hiddenProjection.pointer, hPrev, w.hiddenWeights, m: B, n: GH, k: H, split: split)
            for b in 0..<B {
                let row = t * B + b
                cell(
                    xp: a.inputProjection.pointer + row * GH, hp: a.hiddenProjection.pointer + b * GH,
                    hiddenBias: w.hiddenBias, hPrev: hPrev + b * H, hOut: hOut + b * H,
                    gates: a.gates.pointer + row * GH, hn: a.gatedHidden.pointer + row * H, H: H)
            }
        }
    }

    /// Backward over T steps (t = T−1 … 0): reads dH = a.outputGrad [T·B, H];
    /// writes dXP [T·B, 3H] (gradient of the input projection) and accumulates dW_hh, db_hh.
    static func backward(_ a: LayerActivations, _ w: RecurrentWeights, _ products: MatrixProducts) {
        let B = a.batch, H = a.hiddenSize, GH = a.gateSize, T = a.steps
        let dXP = a.inputProjectionGrad.pointer, dHP = a.hiddenProjectionGrad.pointer
        let carry = a.hiddenCarry.pointer  // dh flowing to step t−1 [B, H]
        a.hiddenCarry.zero()
        for t in stride(from: T - 1, through: 0, by: -1) {
            let hPrev = a.hidden.pointer + t * B * H
            for b in 0..<B {
                let row = t * B + b
                let g = a.gates.pointer + row * GH, hn = a.gatedHidden.pointer + row * H
                let dH = a.outputGrad.pointer + row * H, hp = hPrev + b * H, dc = carry + b * H
                let dx = dXP + row * GH, dhh = dHP + row * GH
                for j in 0..<H {
                    let r = g[j], z = g[H + j], n = g[2 * H + j]
                    let dh = dH[j] + dc[j]
                    let dnPre = dh * (1 - z) * (1 - n * n)
                    let dzPre = dh * (hp[j] - n) * z * (1 - z)
                    let drPre = dnPre * hn[j] * r * (1 - r)
                    dx[j] = drPre
                    dx[H + j] = dzPre
                    dx[2 * H + j] = dnPre
                    dhh[j] = drPre
                    dhh[H + j] = dzPre
                    dhh[2 * H + j] = dnPre * r
                    dc[j] = dh * z
                }
            }
            // dh_{t−1} += dHP_t [B, 3H] · W_hh [3H, H]  (not needed for t = 0: truncated BPTT)
            if t > 0 {
                products.matmul(carry, dHP + t * B * GH, w.hiddenWeights, m: B, n: H, k: GH, accumulate: true)
            }
        }
        // dW_hh [3H, H] += dHPᵀ [3H, T·B] · h_{0…T−1} [T·B, H];  db_hh += Σ_rows dHP
        products.matmulTransposedA(w.hiddenWeightsGrad, dHP, a.hidden.pointer, m: GH, n: H, k: T * B)
        Kernels.addColumnSums(w.hiddenBiasGrad, dHP, rows: T * B, cols: GH)
    }
}
