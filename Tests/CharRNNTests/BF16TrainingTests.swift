import Testing
@testable import CharRNN

/// Training with bfloat16 matrix products (`TrainingSettings.precision`, `SequenceGraph(precision:)`):
/// gradients, resume and the effect on training. Skipped where the CPU has no AVX-512 BF16.
@Suite("bfloat16 training", .enabled(if: BF16Matrix.isSupported))
struct BF16TrainingTests {
    /// As GradientTests, with the analytic gradient from bf16 products and the numeric one from
    /// float32 central differences (bf16's loss moves in steps of its rounding, too coarse for
    /// differences): bf16's backward must be the model's gradient within its rounding, about 1%
    /// (measured: at most 0.3 of this bound; float32's own check is 2e-4 + 0.2%).
    func check(_ model: CharRNNModel, inputTable: Bool? = nil) {
        let bf16 = SequenceGraph(
            model: model, batch: 3, steps: 5, compute: .training, inputTable: inputTable, precision: .bfloat16)
        let f32 = SequenceGraph(model: model, batch: 3, steps: 5, compute: .training, inputTable: inputTable)
        GradientTests.check(model, analytic: bf16, numeric: f32) { numeric, _ in 1e-3 + 1e-2 * abs(numeric) }
    }

    @Test("bf16 gradients match float32 finite differences within 1% (GRU, LSTM, both input paths, dropout)")
    func gradients() {
        for cell in Cell.allCases {
            check(makeModel(cell, vocabulary: 9, embedding: 8, hidden: 16))
            check(makeModel(cell, vocabulary: 9, embedding: 8, hidden: 16), inputTable: false)
        }
        check(makeModel(.lstm, vocabulary: 9, embedding: 8, hidden: 16, dropout: 0.3))
    }

    /// Products big enough to be shared with the helper thread compute the same bits on one thread.
    @Test("Loss and gradients are the same bits whether products run on one thread or two", arguments: Precision.allCases)
    func threadCountInvariant(precision: Precision) {
        let model = makeModel(.lstm, vocabulary: 11, embedding: 16, hidden: 256, layers: 2)
        let graph = SequenceGraph(model: model, batch: 16, steps: 6, compute: .training, precision: precision)
        let x = randomTokens(96, vocabulary: 11, seed: 1), y = randomTokens(96, vocabulary: 11, seed: 2)
        var results: [(Double, [Float])] = []
        for threads in [1, 2] {
            BLAS.productThreads.store(threads, ordering: .relaxed)
            defer { BLAS.productThreads.store(1, ordering: .relaxed) }
            model.parameters.zeroGradients()
            let loss = meanLoss(graph, x, y, training: true)
            graph.backward()
            let p = model.parameters
            results.append((loss, Array(UnsafeBufferPointer(start: p.gradients, count: p.count))))
        }
        #expect(results[0].0 == results[1].0)
        #expect(results[0].1 == results[1].1)
    }

    func settings(epochs: Int, order: BatchOrder, precision: Precision) -> TrainingSettings {
        var s = TrainerTests().settings(epochs: epochs, order: order)
        s.precision = precision
        return s
    }

    @Test(
        "Stopping and resuming a bf16 run ends with exactly the weights of an uninterrupted one",
        arguments: [(Cell.gru, BatchOrder.shuffledWindows, Float(0)), (.lstm, .statefulStreams, 0.25)])
    func resumeIsExact(cell: Cell, order: BatchOrder, dropout: Float) throws {
        let s = settings(epochs: 2, order: order, precision: .bfloat16)
        let straight = try TrainerTests().freshTrainer(
            cell, dropout: dropout, settings: s, folder: temporaryDirectory())
        #expect(try straight.run())

        let interrupted = try TrainerTests().freshTrainer(
            cell, dropout: dropout, settings: s, folder: temporaryDirectory())
        let perEpoch = interrupted.plan.batchesPerEpoch
        var steps = 0
        #expect(try !interrupted.run(progress: { _ in steps += 1 }, shouldStop: { steps == perEpoch + 3 }))
        let tokens = interrupted.trainTokens + interrupted.validationTokens
        let resumed = try Trainer.resume(paths: interrupted.paths, corpus: { _ in tokens })
        #expect(resumed.settings.precision == .bfloat16)
        #expect(try resumed.run())
        let a = straight.model.parameters, b = resumed.model.parameters
        #expect(
            Array(UnsafeBufferPointer(start: a.values, count: a.count))
                == Array(UnsafeBufferPointer(start: b.values, count: b.count)))
        #expect(straight.bestValidation == resumed.bestValidation)
    }

    /// Four epochs of the tiny corpus: the runs part ways from the first step, yet learn alike.
    /// Measured: last epoch's training loss 0.2472 (f32) and 0.2477 (bf16) for GRU, 0.6770 and
    /// 0.6751 for LSTM; the best validation losses 0.407/0.410 and 1.665/1.623 (a tiny, overfit
    /// held-out text, so the looser bound).
    @Test(
        "bf16 training is not float32's, bit for bit, yet ends within 0.02 nats/char of it in training loss",
        arguments: Cell.allCases)
    func closeToFloat32(cell: Cell) throws {
        var results: [(trainLoss: Double, validation: Double, weights: [Float])] = []
        for precision in [Precision.float32, .bfloat16] {
            let s = settings(epochs: 4, order: .shuffledWindows, precision: precision)
            let trainer = try TrainerTests().freshTrainer(cell, settings: s, folder: temporaryDirectory())
            var last = 0.0
            #expect(try trainer.run(epochDone: { last = $0.trainLoss }))
            let p = trainer.model.parameters
            results.append((last, trainer.bestValidation, Array(UnsafeBufferPointer(start: p.values, count: p.count))))
        }
        #expect(results[0].weights != results[1].weights)
        #expect(abs(results[0].trainLoss - results[1].trainLoss) < 0.02, "\(results.map(\.trainLoss))")
        #expect(abs(results[0].validation - results[1].validation) < 0.1, "\(results.map(\.validation))")
    }

    @Test("A bf16 run's precision is saved with it and read back; runs saved without one were float32")
    func precisionIsSaved() throws {
        var s = settings(epochs: 1, order: .shuffledWindows, precision: .bfloat16)
        #expect(s.metadata["train.precision"] == "bf16")
        #expect(try TrainingSettings(metadata: s.metadata, name: "x").precision == .bfloat16)
        s.precision = .float32
        let older = s.metadata.filter { $0.key != "train.precision" }
        #expect(try TrainingSettings(metadata: older, name: "x").precision == .float32)
        var wrong = s.metadata
        wrong["train.precision"] = "f16"
        #expect(throws: CharRNNError.self) { try TrainingSettings(metadata: wrong, name: "x") }
    }
}

@Suite("bfloat16 training memory", .enabled(if: BF16Matrix.isSupported))
struct BF16MemoryEstimateTests {
    @Test("bf16 adds its weight copies and rounded operands to the estimate, 2 bytes each")
    func estimate() throws {
        let config = ModelConfig(cell: .gru, vocabularySize: 65, embeddingSize: 256, hiddenSize: 512, layers: 1)
        var settings = TrainingSettings()
        let f32 = try MemoryEstimate(training: config, settings: settings, corpusCharacters: 1000).bytes
        settings.precision = .bfloat16
        let bf16 = try MemoryEstimate(training: config, settings: settings, corpusCharacters: 1000).bytes
        // P = 1,625,665; rounded operands 6,400·1,536 + 6,400·512 values.
        #expect(bf16 - f32 == 2 * (config.parameterCount + 6400 * 1536 + 6400 * 512))
    }
}
