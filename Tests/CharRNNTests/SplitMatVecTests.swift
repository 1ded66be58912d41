import Testing
@testable import CharRNN

@Suite("Two-core mat-vec")
struct SplitMatVecTests {
    @Test("Splitting rows across two cores gives the one-core result", arguments: [false, true])
    func sameAsOneCore(accumulate: Bool) {
        let m = 1536 + 5, n = 512  // odd row count: the halves differ in size
        var rng = RandomGenerator(seed: 7)
        let w = (0..<m * n).map { _ in rng.nextNormal() }, x = (0..<n).map { _ in rng.nextNormal() }
        let start = (0..<m).map { _ in rng.nextNormal() }
        var split = start, single = start
        for _ in 0..<3 {  // repeated: the helper thread serves job after job
            SplitMatVec.shared.matvec(&split, w, x, m: m, n: n, accumulate: accumulate)
            BLAS.sgemv(&single, w, x, m: m, n: n, accumulate: accumulate)
        }
        #expect(maxAbsDifference(split, single) < 1e-4)
        #expect(split != start)
    }
}
