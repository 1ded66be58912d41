import Testing
@testable import CharRNN

@Suite("Matrix products (oneDNN sgemm, shared between two cores)")
struct MatrixProductTests {
    /// (m, n, k): cut along n; along m (m > n); a tail chunk of odd size; too small to cut.
    static let shapes = [(64, 1541, 37), (1300, 65, 129), (70, 300, 512), (3, 5, 7)]

    @Test(
        "op(a)·op(b) equals the product computed in Double, for every transpose, with and without accumulate",
        arguments: shapes)
    func equalsReference(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (transposedA, transposedB) in [(false, true), (false, false), (true, false)] {
            for accumulate in [false, true] {
                let p = Product(m: m, n: n, k: k, transposedA: transposedA, transposedB: transposedB, seed: m + n)
                var out = p.start
                p.run(&out, accumulate: accumulate, shareCores: false)
                let expected = p.reference(accumulate: accumulate)
                let scale = Float(k).squareRoot()
                #expect(maxAbsDifference(out, expected) < 1e-5 * scale + 1e-5)
            }
        }
    }

    @Test("Sharing the chunks with the helper thread gives the same bits as one thread", arguments: shapes)
    func sharedIsBitIdentical(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for (transposedA, transposedB) in [(false, true), (false, false), (true, false)] {
            let p = Product(m: m, n: n, k: k, transposedA: transposedA, transposedB: transposedB, seed: 3)
            var one = p.start, two = p.start
            for _ in 0..<3 {  // the helper serves job after job
                p.run(&one, accumulate: true, shareCores: false)
                p.run(&two, accumulate: true, shareCores: true)
            }
            #expect(one == two)
            #expect(one != p.start)
        }
    }

    @Test("linear, matmul and matmulTransposedA are the three products of a linear layer")
    func namedProducts() {
        let m = 6, n = 5, k = 4
        var rng = RandomGenerator(seed: 11)
        let x = (0..<m * k).map { _ in rng.nextNormal() }, w = (0..<n * k).map { _ in rng.nextNormal() }
        let dy = (0..<m * n).map { _ in rng.nextNormal() }
        var y = [Float](repeating: 0, count: m * n), dx = [Float](repeating: 0, count: m * k)
        var dw = [Float](repeating: 1, count: n * k)
        BLAS.linear(&y, x, w, m: m, n: n, k: k)  // y = x·wᵀ
        BLAS.matmul(&dx, dy, w, m: m, n: k, k: n)  // dx = dy·w
        BLAS.matmulTransposedA(&dw, dy, x, m: n, n: k, k: m)  // dw += dyᵀ·x
        for i in 0..<m {
            for j in 0..<n {
                let e = (0..<k).reduce(Float(0)) { $0 + x[i * k + $1] * w[j * k + $1] }
                #expect(abs(y[i * n + j] - e) < 1e-5)
            }
            for j in 0..<k {
                let e = (0..<n).reduce(Float(0)) { $0 + dy[i * n + $1] * w[$1 * k + j] }
                #expect(abs(dx[i * k + j] - e) < 1e-5)
            }
        }
        for i in 0..<n {
            for j in 0..<k {
                let e = 1 + (0..<m).reduce(Float(0)) { $0 + dy[$1 * n + i] * x[$1 * k + j] }
                #expect(abs(dw[i * k + j] - e) < 1e-5)
            }
        }
    }
}

/// Random operands of out[m, n] (+)= op(a)[m, k] · op(b)[k, n].
private struct Product {
    let m: Int, n: Int, k: Int, transposedA: Bool, transposedB: Bool
    let a: [Float], b: [Float], start: [Float]

    init(m: Int, n: Int, k: Int, transposedA: Bool, transposedB: Bool, seed: Int) {
        (self.m, self.n, self.k, self.transposedA, self.transposedB) = (m, n, k, transposedA, transposedB)
        var rng = RandomGenerator(seed: UInt64(seed))
        a = (0..<m * k).map { _ in rng.nextNormal() }
        b = (0..<k * n).map { _ in rng.nextNormal() }
        start = (0..<m * n).map { _ in rng.nextNormal() }
    }

    func run(_ out: inout [Float], accumulate: Bool, shareCores: Bool) {
        BLAS.gemm(
            &out, a, transposedA: transposedA, b, transposedB: transposedB, m: m, n: n, k: k,
            accumulate: accumulate, shareCores: shareCores)
    }

    func reference(accumulate: Bool) -> [Float] {
        (0..<m * n).map { index in
            let i = index / n, j = index % n
            var sum = accumulate ? Double(start[index]) : 0
            for p in 0..<k {
                let x = transposedA ? a[p * m + i] : a[i * k + p], y = transposedB ? b[j * k + p] : b[p * n + j]
                sum += Double(x) * Double(y)
            }
            return Float(sum)
        }
    }
}
