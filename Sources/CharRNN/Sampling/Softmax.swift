import RealModule

/// Max-subtracted softmax and log-sum-exp over raw buffers, in place or into a caller's buffer.
/// Sums run in Double so that V up to tens of thousands loses nothing visible.
public enum Softmax {
    /// probabilities[i] = exp(scores[i] − lse), returns lse = log Σ exp(scores).
    /// Entries of −∞ get probability 0; NaN counts as −∞. If no entry is finite-or-(−∞) usable
    /// (all −∞/NaN, or some +∞) the result is uniform over the +∞ entries, or over all entries.
    @discardableResult
    public static func probabilities(
        of scores: UnsafePointer<Float>, count: Int, into probabilities: UnsafeMutablePointer<Float>
    ) -> Double {
        let m = maximum(scores, count: count)
        guard m.isFinite else { return degenerate(scores, count: count, max: m, into: probabilities) }
        var sum: Double = 0
        for i in 0..<count {
            let s = scores[i]
            let e: Float = s.isNaN ? 0 : Float.exp(s - m)
            probabilities[i] = e
            sum += Double(e)
        }
        let inverse = Float(1 / sum)
        for i in 0..<count { probabilities[i] *= inverse }
        return Double(m) + Double.log(sum)
    }

    /// log Σ exp(scores), max-subtracted; −∞ for an all −∞ input.
    public static func logSumExp(_ scores: UnsafePointer<Float>, count: Int) -> Double {
        let m = maximum(scores, count: count)
        guard m.isFinite else { return Double(m) }
        var sum: Double = 0
        for i in 0..<count where !scores[i].isNaN { sum += Double(Float.exp(scores[i] - m)) }
        return Double(m) + Double.log(sum)
    }

    /// The largest entry, ignoring NaN; −∞ when there is none.
    public static func maximum(_ scores: UnsafePointer<Float>, count: Int) -> Float {
        var m = -Float.infinity
        for i in 0..<count where scores[i] > m { m = scores[i] }
        return m
    }

    /// Index of the largest entry, the first one on ties, ignoring NaN; 0 when there is none.
    public static func argmax(_ scores: UnsafePointer<Float>, count: Int) -> Int {
        var best = 0
        var m = -Float.infinity
        for i in 0..<count where scores[i] > m {
            m = scores[i]
            best = i
        }
        return best
    }

    /// Entropy in nats of a distribution, −Σ p ln p, skipping zeros.
    public static func entropy(_ probabilities: UnsafePointer<Float>, count: Int) -> Double {
        var h: Double = 0
        for i in 0..<count where probabilities[i] > 0 {
            let p = Double(probabilities[i])
            h -= p * Double.log(p)
        }
        return max(h, 0)
    }

    private static func degenerate(
        _ scores: UnsafePointer<Float>, count: Int, max m: Float,
        into probabilities: UnsafeMutablePointer<Float>
    ) -> Double {
        // +∞ present: uniform over the +∞ entries; otherwise (all −∞ or NaN): uniform over all.
        var n = 0
        for i in 0..<count where m == .infinity ? scores[i] == .infinity : true { n += 1 }
        let p = Float(1) / Float(n)
        for i in 0..<count {
            probabilities[i] = (m == .infinity ? scores[i] == .infinity : true) ? p : 0
        }
        return Double(m)
    }
}
