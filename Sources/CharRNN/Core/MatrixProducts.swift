/// The matrix products of one `SequenceGraph`, in its precision. float32: `BLAS`. bfloat16: the
/// graph's weight matrices are rounded into bf16 copies by `refreshWeights()` (the float32 values
/// stay the master copy the optimizer updates), the other operand of each product is rounded into
/// a scratch buffer once per call, and `BF16Products` sums in float32.
///
/// Weight gradients (`matmulTransposedA`) round both operands too: on the training shapes the
/// rounding costs far less than the bf16 product saves (docs/bf16-notes.md, "Training").
/// Batch-1 forward products (`linear` with m = 1) stay float32 mat-vecs.
final class MatrixProducts {
    let precision: Precision
    /// Each weight matrix and its bf16 copy (empty under float32).
    private let copies: [(weight: UnsafePointer<Float>, bits: BF16Buffer)]
    private let scratchA = BF16Buffer(0), scratchB = BF16Buffer(0)

    /// `weights`: the matrices (pointer, element count) that products take as their second
    /// operand under bf16. Only where `precision.validate()` passes.
    init(precision: Precision, weights: [(UnsafeMutablePointer<Float>, count: Int)]) {
        self.precision = precision
        copies = precision == .bfloat16 ? weights.map { (UnsafePointer($0.0), BF16Buffer($0.count)) } : []
    }

    /// Rounds the weights into their bf16 copies: before each pass, after the weights changed.
    func refreshWeights() {
        for (weight, bits) in copies { BF16Products.round(bits.pointer, weight, count: bits.count) }
    }

    /// out[m, n] (+)= x[m, k] · w[n, k]ᵀ  (see `BLAS.linear`).
    func linear(
        _ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = false, split: SplitMatVec? = nil
    ) {
        guard m > 1, precision == .bfloat16 else {
            return BLAS.linear(out, x, w, m: m, n: n, k: k, accumulate: accumulate, split: split)
        }
        BF16Products.gemm(
            out, scratchA.rounded(x, count: m * k), transposedA: false, copy(of: w), transposedB: true, m: m, n: n,
            k: k, accumulate: accumulate)
    }

    /// out[m, n] (+)= a[m, k] · w[k, n]  (see `BLAS.matmul`).
    func matmul(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = false
    ) {
        guard precision == .bfloat16 else { return BLAS.matmul(out, a, w, m: m, n: n, k: k, accumulate: accumulate) }
        BF16Products.gemm(
            out, scratchA.rounded(a, count: m * k), transposedA: false, copy(of: w), transposedB: false, m: m, n: n,
            k: k, accumulate: accumulate)
    }

    /// out[m, n] (+)= a[k, m]ᵀ · b[k, n]  (see `BLAS.matmulTransposedA`).
    func matmulTransposedA(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = true
    ) {
        guard precision == .bfloat16 else {
            return BLAS.matmulTransposedA(out, a, b, m: m, n: n, k: k, accumulate: accumulate)
        }
        BF16Products.gemm(
            out, scratchA.rounded(a, count: k * m), transposedA: true, scratchB.rounded(b, count: k * n),
            transposedB: false, m: m, n: n, k: k, accumulate: accumulate)
    }

    private func copy(of weight: UnsafePointer<Float>) -> UnsafePointer<UInt16> {
        guard let found = copies.first(where: { $0.weight == weight }) else {
            preconditionFailure("a bf16 product with a matrix that is not one of the graph's weights")
        }
        return UnsafePointer(found.bits.pointer)
    }
}

/// bfloat16 bit patterns in one allocation that grows on demand.
final class BF16Buffer {
    private(set) var pointer: UnsafeMutablePointer<UInt16>
    private(set) var count: Int

    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// x[count] rounded into this buffer (grown when too small).
    func rounded(_ x: UnsafePointer<Float>, count n: Int) -> UnsafePointer<UInt16> {
        if n > count {
            pointer.deallocate()
            pointer = .allocate(capacity: n)
            count = n
        }
        BF16Products.round(pointer, x, count: n)
        return UnsafePointer(pointer)
    }
}
