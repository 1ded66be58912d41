import Foundation
import Testing
@testable import CharRNN

@Suite("Two-core mat-vec")
struct SplitMatVecTests {
    @Test("Splitting rows across two cores gives cblas_sgemv's result", arguments: [false, true])
    func sameAsOneCore(accumulate: Bool) throws {
        let m = 1536 + 5, n = 512  // odd row count: the halves differ in size
        var rng = RandomGenerator(seed: 7)
        let w = (0..<m * n).map { _ in rng.nextNormal() }, x = (0..<n).map { _ in rng.nextNormal() }
        let start = (0..<m).map { _ in rng.nextNormal() }
        var split = start, single = start
        let helper = try #require(SplitMatVec())
        for _ in 0..<3 {  // repeated: the helper thread serves job after job
            helper.matvec(&split, w, x, m: m, n: n, accumulate: accumulate)
            BLAS.sgemv(&single, w, x, m: m, n: n, accumulate: accumulate)
        }
        #expect(maxAbsDifference(split, single) < 1e-4)
        #expect(split != start)
    }

    @Test("The helper thread ends when its owner is released, and does not keep it alive")
    func helperEndsWithOwner() throws {
        var helper = SplitMatVec()
        weak let released = helper
        let thread = try #require(helper.flatMap(helperThread(of:)))
        #expect(taskExists(thread))
        helper = nil
        #expect(released == nil)
        #expect(waitUntilGone(thread))
    }

    @Test("A streaming model owns its helper: it is gone when the model is", arguments: Cell.allCases)
    func streamingModelOwnsHelper(cell: Cell) throws {
        let model = makeModel(cell, vocabulary: 65, embedding: 16, hidden: 512, layers: 2)
        var split: StreamingModel? = StreamingModel(model, compute: .streaming(split: true))
        let single = StreamingModel(model, compute: .streaming(split: false))
        #expect(single.split == nil)
        let splitState = split!.makeState(), singleState = single.makeState()
        for token in randomTokens(20, vocabulary: 65, seed: 3) {
            split!.step(Int(token), splitState)
            single.step(Int(token), singleState)
        }
        #expect(maxAbsDifference(Array(splitState.logits), Array(singleState.logits)) < 1e-4)
        guard ComputePolicy.cores >= 2 else { return }  // one core: nothing to split
        let thread = try #require(split?.split.flatMap(helperThread(of:)))
        weak let released = split
        split = nil
        #expect(released == nil)
        #expect(waitUntilGone(thread))
    }

    @Test("Two streaming models stepped at once from two threads each get their own helper's results")
    func twoModelsAtOnce() {
        let model = makeModel(.lstm, vocabulary: 65, embedding: 16, hidden: 512, layers: 2)
        let tokens = randomTokens(30, vocabulary: 65, seed: 5)
        let single = StreamingModel(model, compute: .streaming(split: false))
        let expected = single.makeState()
        for token in tokens { single.step(Int(token), expected) }
        // Each thread touches only its own model and state.
        nonisolated(unsafe) let models = (0..<2).map { _ in StreamingModel(model, compute: .streaming()) }
        nonisolated(unsafe) let states = models.map { $0.makeState() }
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            for token in tokens { models[i].step(Int(token), states[i]) }
        }
        for state in states {
            #expect(maxAbsDifference(Array(state.logits), Array(expected.logits)) < 1e-4)
        }
    }

    @Test("Batch-1 evaluation under a splitting policy gives the one-core loss")
    func evaluationSplitEqualsSingle() throws {
        let model = makeModel(.gru, vocabulary: 65, embedding: 16, hidden: 512, layers: 1)
        let tokens = randomTokens(120, vocabulary: 65, seed: 4)
        let split = try Evaluation.evaluate(model, tokens: tokens, chunk: 50, compute: .streaming(split: true))
        let single = try Evaluation.evaluate(model, tokens: tokens, chunk: 50, compute: .streaming(split: false))
        #expect(abs(split.natsPerCharacter - single.natsPerCharacter) < 1e-5)
    }

    @Test("A policy splits only with one BLAS thread on two or more cores")
    func policySplitsOnlyWhenItHelps() {
        #expect(!ComputePolicy.training.splitsMatVecs)
        #expect(ComputePolicy.training.blasThreads == ComputePolicy.cores)
        #expect(!ComputePolicy.streaming(split: false).splitsMatVecs)
        #expect(ComputePolicy.streaming().splitsMatVecs == (ComputePolicy.cores >= 2))
        #expect(!ComputePolicy(blasThreads: 2, splitMatVecs: true).splitsMatVecs)
    }

    /// The helper's kernel thread id, once it has started.
    private func helperThread(of helper: SplitMatVec) -> Int32? {
        for _ in 0..<1000 {
            if helper.helperThreadID != 0 { return helper.helperThreadID }
            usleep(1000)
        }
        return nil
    }

    private func taskExists(_ thread: Int32) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/self/task/\(thread)")
    }

    /// The kernel removes a joined thread's task entry a moment after the join returns.
    private func waitUntilGone(_ thread: Int32) -> Bool {
        for _ in 0..<1000 {
            if !taskExists(thread) { return true }
            usleep(1000)
        }
        return false
    }
}

@Suite("Hand-written mat-vec")
struct HandWrittenMatVecTests {
    @Test(
        "Equals OpenBLAS's sgemv on odd shapes, and each row is summed the same however the rows are cut",
        .enabled(if: BLAS.hasHandWrittenMatVec, "this CPU has neither AVX-512F nor AVX2 with FMA"),
        arguments: [(1, 1), (3, 7), (5, 16), (9, 33), (67, 512), (1541, 511)], [false, true])
    func equalsOpenBLAS(shape: (m: Int, n: Int), accumulate: Bool) {
        var rng = RandomGenerator(seed: 11)
        let w = (0..<shape.m * shape.n).map { _ in rng.nextNormal() }, x = (0..<shape.n).map { _ in rng.nextNormal() }
        let start = (0..<shape.m).map { _ in rng.nextNormal() }
        var ours = start, theirs = start, cut = start
        BLAS.handWrittenMatVec(&ours, w, x, m: shape.m, n: shape.n, accumulate: accumulate)
        BLAS.openBLASMatVec(&theirs, w, x, m: shape.m, n: shape.n, accumulate: accumulate)
        let scale = Float(shape.n).squareRoot()
        #expect(maxAbsDifference(ours, theirs) < 1e-5 * scale)
        // Cut into blocks of 1, 2, 3, 4, 5, 1, … rows: the same floats as the whole matrix at once.
        var row = 0, size = 1
        while row < shape.m {
            let rows = min(size, shape.m - row)
            cut.withUnsafeMutableBufferPointer { y in
                w.withUnsafeBufferPointer { w in
                    BLAS.handWrittenMatVec(
                        y.baseAddress! + row, w.baseAddress! + row * shape.n, x, m: rows, n: shape.n,
                        accumulate: accumulate)
                }
            }
            row += rows
            size = size % 5 + 1
        }
        #expect(cut == ours)
    }
}
