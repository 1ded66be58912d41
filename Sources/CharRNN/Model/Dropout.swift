/// Inverted dropout: kept units are scaled by 1/(1−p) at training time.
enum Dropout {
    static func forward(
        out: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
        count: Int, probability p: Float, rng: inout RandomGenerator
    ) {
        let keep = 1 / (1 - p)
        for i in 0..<count {
            mask[i] = rng.nextFloat() < p ? 0 : keep
            out[i] = x[i] * mask[i]
        }
    }

    static func backward(_ grad: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { grad[i] *= mask[i] }
    }
}
