import RealModule

/// Elementwise kernels over raw buffers. Matrices are row-major [rows, cols].
enum Kernels {
    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + Float.exp(-x)) }
    @inline(__always) static func tanh(_ x: Float) -> Float { Float.tanh(x) }

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

    static func allFinite(_ x: UnsafePointer<Float>, _ n: Int) -> Bool {
        for i in 0..<n where !x[i].isFinite { return false }
        return true
    }
}
