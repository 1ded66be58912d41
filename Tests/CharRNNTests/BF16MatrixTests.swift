import Testing
@testable import CharRNN

@Suite("bfloat16 mat-vec")
struct BF16MatrixTests {
    @Test("Rounding to bfloat16 is to nearest, ties to even; infinities and NaN survive")
    func rounding() {
        #expect(BF16Matrix.rounded(1.5) == 1.5)  // representable: unchanged
        #expect(BF16Matrix.rounded(-0x1.fep100) == -0x1.fep100)
        #expect(BF16Matrix.rounded(1 + 0x1p-8) == 1)  // tie, 1 is even
        #expect(BF16Matrix.rounded(1 + 0x1p-7 + 0x1p-8) == 1 + 0x1p-6)  // tie, rounds up to even
        #expect(BF16Matrix.rounded(1 + 0x1p-8 + 0x1p-20) == 1 + 0x1p-7)  // just above the tie
        #expect(BF16Matrix.rounded(-(1 + 0x1p-9)) == -1)  // below the tie
        #expect(BF16Matrix.rounded(.greatestFiniteMagnitude) == .infinity)
        #expect(BF16Matrix.rounded(-.infinity) == -.infinity)
        #expect(BF16Matrix.rounded(.nan).isNaN)
        #expect(BF16Matrix.rounded(.signalingNaN).isNaN)  // the payload may sit in the dropped bits
    }

    /// Small integers times powers of two are bfloat16 numbers, and their products and sums are
    /// exact in float32: any indexing slip (a tail, the 4-row blocks, the 2,048-column blocks) shows.
    @Test(
        "On bfloat16 inputs the result is exact, whatever the shape",
        .enabled(if: BF16Matrix.isSupported),
        arguments: [(1, 1), (3, 31), (4, 32), (5, 33), (7, 64), (13, 100), (64, 512), (9, 2048), (6, 2100)])
    func exactOnBF16Inputs(rows m: Int, columns n: Int) {
        var rng = RandomGenerator(seed: UInt64(m * 10_000 + n))
        let small = { (rng: inout RandomGenerator) in Float(rng.nextInt(below: 15) - 7) * 0.25 }
        let w = (0..<m * n).map { _ in small(&rng) }, x = (0..<n).map { _ in small(&rng) }
        let matrix = BF16Matrix(w, rows: m, columns: n)
        let expected = (0..<m).map { i in (0..<n).reduce(Float(0)) { $0 + w[i * n + $1] * x[$1] } }
        var y = [Float](repeating: .nan, count: m)
        matrix.matvec(&y, x, accumulate: false)
        #expect(y == expected)
        var sum = expected
        matrix.matvec(&sum, x, accumulate: true)
        #expect(sum == expected.map { 2 * $0 })
    }

    @Test("x is rounded to nearest even, as the weights are", .enabled(if: BF16Matrix.isSupported))
    func roundsX() {
        let x: [Float] = [1 + 0x1p-8, 1 + 0x1p-7 + 0x1p-8, 1 + 0x1p-8 + 0x1p-20]
        let identity: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        var y = [Float](repeating: 0, count: 3)
        BF16Matrix(identity, rows: 3, columns: 3).matvec(&y, x, accumulate: false)
        #expect(y == x.map(BF16Matrix.rounded))
    }

    /// Rounding w and x each to 8 significant bits (unit roundoff u = 2⁻⁸) puts each product within
    /// (2u + u²)|w·x| of the exact one; summing n products in float32 adds at most n·2⁻²⁴ of Σ|w·x|
    /// (counting 2⁻²³ for headroom). So |y − w·x| ≤ (2u + u² + n·2⁻²³)·Σ|w·x| holds for every row of
    /// every input; a wrong rounding, a lost column or a misplaced row breaks it.
    @Test(
        "On random inputs every row is within bfloat16's rounding bound of the exact product",
        .enabled(if: BF16Matrix.isSupported),
        arguments: [(1536, 512), (2048, 512), (65, 512), (37, 129), (5, 2500)])
    func boundedError(rows m: Int, columns n: Int) {
        var rng = RandomGenerator(seed: UInt64(m + n))
        let w = (0..<m * n).map { _ in rng.nextNormal() * 0.1 }, x = (0..<n).map { _ in rng.nextNormal() }
        var y = [Float](repeating: .nan, count: m)
        BF16Matrix(w, rows: m, columns: n).matvec(&y, x, accumulate: false)
        let u = 0x1p-8
        for i in 0..<m {
            let exact = (0..<n).reduce(0.0) { $0 + Double(w[i * n + $1]) * Double(x[$1]) }
            let magnitude = (0..<n).reduce(0.0) { $0 + abs(Double(w[i * n + $1]) * Double(x[$1])) }
            let bound = (2 * u + u * u + Double(n) * 0x1p-23) * magnitude
            #expect(abs(Double(y[i]) - exact) <= bound, "row \(i)")
        }
    }

    @Test("Rows cut into ranges give the whole matrix's results bit for bit", .enabled(if: BF16Matrix.isSupported))
    func rowRanges() {
        let m = 1541, n = 512
        var rng = RandomGenerator(seed: 3)
        let w = (0..<m * n).map { _ in rng.nextNormal() }, x = (0..<n).map { _ in rng.nextNormal() }
        let matrix = BF16Matrix(w, rows: m, columns: n)
        var whole = [Float](repeating: 0, count: m), cut = whole
        matrix.matvec(&whole, x, accumulate: false)
        for range in [0..<3, 3..<770, 770..<771, 771..<m] { matrix.matvec(&cut, x, rows: range, accumulate: false) }
        #expect(cut == whole)
    }

    /// The GRU's W_hh [3H, H] and the LSTM's [4H, H] for H = 512, and an odd row count (halves of
    /// different sizes). Repeated: the helper serves job after job, each half walked both ways.
    @Test(
        "Split across two cores, the result is the one-core result bit for bit",
        .enabled(if: BF16Matrix.isSupported),
        arguments: [(1536, 512, false), (2048, 512, true), (1541, 512, true)])
    func splitEqualsOneCore(rows m: Int, columns n: Int, accumulate: Bool) throws {
        var rng = RandomGenerator(seed: UInt64(m))
        let w = (0..<m * n).map { _ in rng.nextNormal() }, x = (0..<n).map { _ in rng.nextNormal() }
        let start = (0..<m).map { _ in rng.nextNormal() }
        let matrix = BF16Matrix(w, rows: m, columns: n)
        let helper = try #require(SplitMatVec())
        var split = start, single = start
        for _ in 0..<4 {
            matrix.matvec(&split, x, accumulate: accumulate, split: helper)
            matrix.matvec(&single, x, accumulate: accumulate)
            #expect(split == single)
        }
        #expect(split != start)
    }

    @Test(
        "A bfloat16 streaming model shares its mat-vecs like a float32 one, with the one-core logits",
        .enabled(if: BF16Matrix.isSupported), arguments: Cell.allCases)
    func streamingModelSplits(cell: Cell) {
        let model = makeModel(cell, vocabulary: 65, embedding: 16, hidden: 512, layers: 2)
        let split = StreamingModel(model, compute: .streaming(split: true, precision: .bfloat16))
        let single = StreamingModel(model, compute: .streaming(split: false, precision: .bfloat16))
        #expect((split.split != nil) == (ComputePolicy.cores >= 2))
        let a = split.makeState(), b = single.makeState()
        for token in randomTokens(20, vocabulary: 65, seed: 8) {
            split.step(Int(token), a)
            single.step(Int(token), b)
            #expect(Array(a.logits) == Array(b.logits))
        }
    }
}
