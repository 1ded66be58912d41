import CMatVec

/// A row-major matrix kept in bfloat16 for batch-1 mat-vecs on CPUs with AVX-512 BF16 (AMD Zen 4
/// and newer, Intel Cooper Lake and newer): half the bytes of float32 per step, and each
/// instruction does two multiply-adds per float32 lane. bfloat16 is the upper half of a float32
/// (same exponent range, 8 significant bits): weights and x are rounded to nearest, ties to even,
/// and the products are summed in float32. A copy for reading only: the float32 weights stay the
/// model's (and the optimizer's) master copy.
struct BF16Matrix: Sendable {
    /// Whether this CPU has the instructions (AVX-512 BF16 with AVX-512F and BW); checked once.
    static let isSupported = charrnn_bf16_available()

    let rows: Int
    let columns: Int
    private let bits: [UInt16]  // [rows, columns]

    /// w[rows, columns], row-major, rounded to bfloat16. Any CPU.
    init(_ w: UnsafePointer<Float>, rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        bits = [UInt16](unsafeUninitializedCapacity: rows * columns) { buffer, count in
            charrnn_to_bf16_array(buffer.baseAddress, w, rows * columns)
            count = rows * columns
        }
    }

    /// y[rows] (+)= w[rows, columns] · bf16(x)[columns], on this thread. Each row is summed the same
    /// way however the rows are cut. Only where `isSupported`.
    func matvec(
        _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, rows range: Range<Int>? = nil,
        accumulate: Bool
    ) {
        let range = range ?? 0..<rows
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows out of range")
        withBits { w in
            Self.matvec(
                y + range.lowerBound, w + range.lowerBound * columns, x, m: range.count, n: columns,
                accumulate: accumulate)
        }
    }

    /// `matvec`, shared with `split`'s helper thread when one is given and the matrix is worth
    /// sharing (the same results: rows are cut-invariant).
    func matvec(
        _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, accumulate: Bool, split: SplitMatVec?
    ) {
        if let split, SplitMatVec.isWorthSplitting(rows: rows, columns: columns) {
            split.matvec(y, self, x, accumulate: accumulate)
        } else {
            matvec(y, x, accumulate: accumulate)
        }
    }

    /// The bfloat16 bits [rows, columns], for the duration of `body`.
    func withBits<R>(_ body: (UnsafePointer<UInt16>) -> R) -> R {
        bits.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// y[m] (+)= w[m, n] · bf16(x)[n], w bfloat16 bits with row stride n, on this thread. Only where
    /// `isSupported`.
    static func matvec(
        _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<UInt16>, _ x: UnsafePointer<Float>,
        m: Int, n: Int, accumulate: Bool
    ) {
        precondition(isSupported, "this CPU has no AVX-512 BF16 instructions")
        charrnn_matvec_bf16(y, w, x, m, n, accumulate)
    }

    /// value rounded to the nearest bfloat16 (ties to even; overflow to infinity; NaN stays NaN).
    static func rounded(_ value: Float) -> Float {
        Float(bitPattern: UInt32(charrnn_to_bf16(value)) << 16)
    }
}
