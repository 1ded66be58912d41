import Foundation
import Testing
@testable import CharRNN

/// The bf16 matrix products of training (`BF16Products`, oneDNN matmul primitives), against float64
/// sums of the float32 inputs. Skipped where the CPU has no AVX-512 BF16.
@Suite("bfloat16 matrix products")
struct BF16ProductsTests {
    /// op(a)[m, k] · op(b)[k, n] in float64, of the inputs as given.
    static func reference(
        _ a: [Float], transposedA: Bool, _ b: [Float], transposedB: Bool, m: Int, n: Int, k: Int
    ) -> (values: [Double], magnitudes: [Double]) {
        var values = [Double](repeating: 0, count: m * n), magnitudes = values
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    let x = Double(transposedA ? a[p * m + i] : a[i * k + p])
                    let y = Double(transposedB ? b[j * k + p] : b[p * n + j])
                    values[i * n + j] += x * y
                    magnitudes[i * n + j] += abs(x * y)
                }
            }
        }
        return (values, magnitudes)
    }

    static func product(
        _ out: inout [Float], _ a: [Float], transposedA: Bool, _ b: [Float], transposedB: Bool, m: Int, n: Int,
        k: Int, accumulate: Bool
    ) {
        var a16 = [UInt16](repeating: 0, count: a.count), b16 = [UInt16](repeating: 0, count: b.count)
        BF16Products.round(&a16, a, count: a.count)
        BF16Products.round(&b16, b, count: b.count)
        BF16Products.gemm(
            &out, a16, transposedA: transposedA, b16, transposedB: transposedB, m: m, n: n, k: k,
            accumulate: accumulate)
    }

    @Test("Rounding agrees with BF16Matrix's on every kind of float")
    func rounding() {
        var rng = RandomGenerator(seed: 1)
        let specials: [Float] = [
            0, -0, 1 + 0x1p-8, 1 + 0x1p-7 + 0x1p-8, .greatestFiniteMagnitude, -.infinity, .nan, .signalingNaN,
            .leastNonzeroMagnitude, 0x1.fffep127,
        ]
        let x = specials + (0..<1000).map { _ in rng.nextNormal() * 100 }
        var bits = [UInt16](repeating: 0, count: x.count)
        BF16Products.round(&bits, x, count: x.count)
        for (value, b) in zip(x, bits) {
            let rounded = Float(bitPattern: UInt32(b) << 16), expected = BF16Matrix.rounded(value)
            #expect(rounded.bitPattern == expected.bitPattern || (rounded.isNaN && expected.isNaN), "\(value)")
        }
    }

    /// As in BF16MatrixTests: rounding both inputs to 8 significant bits (u = 2⁻⁸) and summing k
    /// products in float32 leaves every entry within (2u + u² + k·2⁻²³)·Σ|a·b| of the exact sum,
    /// (+ the float32 rounding of the added value when accumulating).
    @Test(
        "Every entry is within bfloat16's rounding bound, with transposes and accumulation",
        .enabled(if: BF16Matrix.isSupported),
        arguments: [
            (48, 1536, 256, false, true), (48, 520, 1024, false, false), (520, 130, 640, true, false),
            (7, 33, 65, false, true), (300, 17, 129, true, false), (129, 700, 40, false, false),
            (600, 130, 3, false, true),
        ])
    func boundedError(m: Int, n: Int, k: Int, transposedA: Bool, transposedB: Bool) {
        var rng = RandomGenerator(seed: UInt64(m * 7 + n * 3 + k))
        let a = (0..<m * k).map { _ in rng.nextNormal() }, b = (0..<k * n).map { _ in rng.nextNormal() * 0.1 }
        let start = (0..<m * n).map { _ in rng.nextNormal() }
        let exact = Self.reference(a, transposedA: transposedA, b, transposedB: transposedB, m: m, n: n, k: k)
        let u = 0x1p-8, growth = 2 * u + u * u + Double(k) * 0x1p-23
        for accumulate in [false, true] {
            var out = accumulate ? start : [Float](repeating: .nan, count: m * n)
            Self.product(
                &out, a, transposedA: transposedA, b, transposedB: transposedB, m: m, n: n, k: k,
                accumulate: accumulate)
            var worst = 0.0
            for i in 0..<m * n {
                let expected = exact.values[i] + (accumulate ? Double(start[i]) : 0)
                let bound = growth * exact.magnitudes[i] + 0x1p-23 * abs(expected)
                worst = max(worst, abs(Double(out[i]) - expected) / bound)
            }
            #expect(worst <= 1, "accumulate \(accumulate): worst error / bound \(worst)")
        }
    }

    @Test(
        "Rows computed in two products equal one whole product bit for bit",
        .enabled(if: BF16Matrix.isSupported))
    func chunksAreExact() {
        let m = 64, n = 1536, k = 512
        var rng = RandomGenerator(seed: 9)
        let a = (0..<m * k).map { _ in rng.nextNormal() }, b = (0..<n * k).map { _ in rng.nextNormal() }
        var whole = [Float](repeating: 0, count: m * n)
        Self.product(&whole, a, transposedA: false, b, transposedB: true, m: m, n: n, k: k, accumulate: false)
        // The same rows in two products of 32 rows each (the chunks along n are then the same).
        var parts = [Float](repeating: 0, count: m * n)
        for half in 0..<2 {
            var out = [Float](repeating: 0, count: 32 * n)
            Self.product(
                &out, Array(a[half * 32 * k..<(half + 1) * 32 * k]), transposedA: false, b, transposedB: true, m: 32,
                n: n, k: k, accumulate: false)
            parts.replaceSubrange(half * 32 * n..<(half + 1) * 32 * n, with: out)
        }
        #expect(parts == whole)
    }

    /// Each thread makes its own primitives (and drops them when it ends): a product's bits must not
    /// depend on the thread that computes it, nor on whether its primitives are new.
    @Test(
        "Products on a series of short-lived threads all give the main thread's bits",
        .enabled(if: BF16Matrix.isSupported))
    func shortLivedThreads() {
        let m = 64, n = 512, k = 256
        var rng = RandomGenerator(seed: 4)
        let a = (0..<m * k).map { _ in rng.nextNormal() }, b = (0..<n * k).map { _ in rng.nextNormal() }
        var expected = [Float](repeating: 0, count: m * n)
        Self.product(&expected, a, transposedA: false, b, transposedB: true, m: m, n: n, k: k, accumulate: false)
        for _ in 0..<8 {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var out = [Float](repeating: 0, count: m * n)
            let thread = Thread {
                Self.product(&out, a, transposedA: false, b, transposedB: true, m: m, n: n, k: k, accumulate: false)
                done.signal()
            }
            thread.start()
            done.wait()
            #expect(out == expected)
        }
    }
}
