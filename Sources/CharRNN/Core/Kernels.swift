import RealModule

/// Elementwise kernels over raw buffers. Matrices are row-major [rows, cols].
enum Kernels {
    /// e^x for x in float range, branch-free so loops over it vectorise: x = n·ln2 + r with
    /// |r| ≤ ln2/2, e^r by Cephes' degree-6 polynomial, 2^n built in the exponent bits.
    /// Within 2 ulp of expf; inputs are clamped to [−87.3, 88.3] (no inf, no denormals).
    @inline(__always) static func exp(_ x: Float) -> Float {
        let x = min(max(x, -87.3), 88.3)
        let shifter: Float = 12_582_912  // 1.5·2²³: adding it rounds to an integer
        let t = x * 1.442_695_04 + shifter
        let n = t - shifter
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: Int32(bitPattern: t.bitPattern &- 0x4B40_0000) &+ 127) &<< 23)
        return y * scale
    }

    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    /// tanh(x) = 1 − 2 / (e^{2x} + 1): absolute error ~1e-7 everywhere.
    @inline(__always) static func tanh(_ x: Float) -> Float { 1 - 2 / (exp(2 * x) + 1) }

    /// x[i] = σ(x[i]) over n floats.
    static func sigmoid(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { x[i] = sigmoid(x[i]) }
    }

    /// x[i] = tanh(x[i]) over n floats.
    static func tanh(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { x[i] = tanh(x[i]) }
    }

    /// out[rows, cols] += the row vector v[cols] on every row.
    static func addRowVector(
        _ out: UnsafeMutablePointer<Float>, _ v: UnsafePointer<Float>, rows: Int, cols: Int
    ) {
        for r in 0..<rows {
            let row = out + r * cols
            for c in 0..<cols { row[c] += v[c] }
        }
    }

    /// sums[cols] += Σ_rows m[rows, cols]  — a bias gradient.
    static func addColumnSums(
        _ sums: UnsafeMutablePointer<Float>, _ m: UnsafePointer<Float>, rows: Int, cols: Int
    ) {
        for r in 0..<rows {
            let row = m + r * cols
            for c in 0..<cols { sums[c] = Relaxed.sum(sums[c], row[c]) }
        }
    }

    /// Σ x[i]² over n floats, accumulated in Double.
    static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var total: Double = 0
        var i = 0
        while i < n {
            let end = min(n, i + 4096)
            var partial: Float = 0
            for j in i..<end { partial = Relaxed.multiplyAdd(x[j], x[j], partial) }
            total += Double(partial)
            i = end
        }
        return total
    }

    static func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, by s: Float) {
        for i in 0..<n { x[i] *= s }
    }
}
