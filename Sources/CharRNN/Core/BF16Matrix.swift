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
        precondition(Self.isSupported, "this CPU has no AVX-512 BF16 instructions")
        let range = range ?? 0..<rows
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows out of range")
        bits.withUnsafeBufferPointer { w in
            charrnn_matvec_bf16(
                y + range.lowerBound, w.baseAddress! + range.lowerBound * columns, x, range.count, columns,
                accumulate)
        }
    }

    /// value rounded to the nearest bfloat16 (ties to even; overflow to infinity; NaN stays NaN).
    static func rounded(_ value: Float) -> Float {
        Float(bitPattern: UInt32(charrnn_to_bf16(value)) << 16)
    }
}
