import Foundation
import Testing
@testable import CharRNN

func temporaryDirectory() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("charrnn-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("Training")
struct TrainerTests {
    static let text = Array(String(repeating: "the cat sat on the mat. ", count: 40).unicodeScalars)

    func settings(epochs: Int, order: BatchOrder = .shuffledWindows, optimizer: OptimizerKind = .adam) -> TrainingSettings {
        var s = TrainingSettings()
        s.batchSize = 4
        s.sequenceLength = 12
        s.epochs = epochs
        s.learningRate = 1e-2
        s.optimizer = optimizer
        s.validationFraction = 0.1
        s.seed = 3
        s.order = order
        s.logEvery = 5
        return s
    }

    func freshTrainer(
        _ cell: Cell, dropout: Float = 0, settings s: TrainingSettings, folder: String
    ) throws -> Trainer {
        let vocabulary = Vocabulary(corpus: Self.text)
        let config = ModelConfig(
            cell: cell, vocabularySize: vocabulary.count, embeddingSize: 8, hiddenSize: 16, layers: 2, dropout: dropout)
        let model = CharRNNModel(config: config, vocabulary: vocabulary, seed: s.seed)
        let tokens = try vocabulary.encodeAll(Self.text, what: "text")
        return try Trainer(
            model: model, settings: s, tokens: tokens,
            paths: TrainingPaths(checkpoint: folder + "/model.safetensors"))
    }

    @Test("A tiny corpus is overfit: the training loss falls from above 1 to below 0.05 nats/char", arguments: Cell.allCases)
    func overfits(cell: Cell) throws {
        let folder = temporaryDirectory()
        let trainer = try freshTrainer(cell, settings: settings(epochs: 25), folder: folder)
        var trainLosses: [Double] = []
        _ = try trainer.run(epochDone: { trainLosses.append($0.trainLoss) })
        #expect(trainLosses.first! > 1.0)
        #expect(trainLosses.last! < 0.05)
        // The best checkpoint and the metrics are on disk, and the checkpoint scores what training said.
        let model = try CharRNNModel.load(path: trainer.paths.checkpoint)
        let r = try Evaluation.evaluate(model, tokens: trainer.validationTokens, compute: .training)
        #expect(abs(r.natsPerCharacter - trainer.bestValidation) < 1e-9)
        let metrics = try String(contentsOfFile: trainer.paths.metrics, encoding: .utf8)
        #expect(metrics.split(separator: "\n").filter { $0.contains("val_loss") }.count == 25)
    }

    @Test(
        "Stopping and resuming ends with exactly the weights of an uninterrupted run",
        arguments: [
            (Cell.gru, BatchOrder.shuffledWindows, Float(0), OptimizerKind.adam),
            (.lstm, .statefulStreams, 0.25, .adam),
            (.gru, .statefulStreams, 0.1, .rmsprop),
        ])
    func resumeIsExact(cell: Cell, order: BatchOrder, dropout: Float, optimizer: OptimizerKind) throws {
        let s = settings(epochs: 3, order: order, optimizer: optimizer)
        let straight = try freshTrainer(cell, dropout: dropout, settings: s, folder: temporaryDirectory())
        #expect(try straight.run())

        let folder = temporaryDirectory()
        let interrupted = try freshTrainer(cell, dropout: dropout, settings: s, folder: folder)
        let perEpoch = interrupted.plan.batchesPerEpoch
        var steps = 0
        // Stop mid-epoch (epoch 2, batch 3), then again at an epoch boundary.
        #expect(try !interrupted.run(progress: { _ in steps += 1 }, shouldStop: { steps == perEpoch + 3 }))
        let tokens = interrupted.trainTokens + interrupted.validationTokens
        let resumed = try Trainer.resume(paths: interrupted.paths, corpus: { _ in tokens })
        #expect(resumed.step == perEpoch + 3)
        #expect(try resumed.run())
        let a = straight.model.parameters, b = resumed.model.parameters
        #expect(Array(UnsafeBufferPointer(start: a.values, count: a.count)) == Array(UnsafeBufferPointer(start: b.values, count: b.count)))
        #expect(straight.bestValidation == resumed.bestValidation)
    }

    @Test("Resume refuses a different corpus")
    func resumeChecksCorpus() throws {
        let folder = temporaryDirectory()
        let trainer = try freshTrainer(.gru, settings: settings(epochs: 1), folder: folder)
        _ = try trainer.run()
        var tokens = trainer.trainTokens + trainer.validationTokens
        tokens[5] = (tokens[5] + 1) % Int32(trainer.model.config.vocabularySize)
        #expect(throws: CharRNNError.self) { try Trainer.resume(paths: trainer.paths, corpus: { _ in tokens }) }
    }

    @Test("A corpus shorter than one batch is refused with a clear message")
    func tooShort() throws {
        let vocabulary = Vocabulary(corpus: "abc".unicodeScalars)
        let model = CharRNNModel(config: ModelConfig(vocabularySize: 3, embeddingSize: 2, hiddenSize: 2), vocabulary: vocabulary, seed: 0)
        let error = #expect(throws: CharRNNError.self) {
            try Trainer(model: model, settings: TrainingSettings(), tokens: [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], paths: TrainingPaths(checkpoint: "/tmp/x.safetensors"))
        }
        #expect(error?.message.contains("fewer than one batch") == true)
    }

    @Test("Shuffled windows cover every window once per epoch; streams are contiguous")
    func batchPlans() throws {
        let tokens = (0..<101).map { Int32($0) }
        let plan = try BatchPlan(order: .shuffledWindows, batch: 2, steps: 10, tokenCount: 101)
        var rng = RandomGenerator(seed: 1)
        let order = plan.epochOrder(rng: &rng)
        #expect(plan.batchesPerEpoch == 5 && Set(order) == Set(0..<10))
        var x = [Int32](repeating: 0, count: 20), y = x
        tokens.withUnsafeBufferPointer { plan.fill(index: 0, epochOrder: order, tokens: $0.baseAddress!, inputs: &x, targets: &y) }
        #expect(x[0] == Int32(order[0] * 10) && zip(x, y).allSatisfy { $1 == $0 + 1 })
        let streams = try BatchPlan(order: .statefulStreams, batch: 2, steps: 10, tokenCount: 101)
        #expect(streams.batchesPerEpoch == 5)
        tokens.withUnsafeBufferPointer { streams.fill(index: 1, epochOrder: [], tokens: $0.baseAddress!, inputs: &x, targets: &y) }
        #expect(Array(x[0..<10]) == (10..<20).map { Int32($0) } && Array(x[10..<20]) == (60..<70).map { Int32($0) })
    }
}
