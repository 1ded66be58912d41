import Foundation
import Testing

@testable import CharRNN

/// Training without validation, samples in the metrics file, and the resume command list.
@Suite("Training: no validation, samples, resume commands")
struct TrainerExtrasTests {
    func weights(_ t: Trainer) -> [Float] {
        let p = t.model.parameters
        return Array(UnsafeBufferPointer(start: p.values, count: p.count))
    }

    @Test("--val-fraction 0 trains on everything and saves the latest model after every epoch")
    func noValidation() throws {
        var s = TrainerTests().settings(epochs: 2)
        s.validationFraction = 0
        let trainer = try TrainerTests().freshTrainer(.gru, settings: s, folder: temporaryDirectory())
        #expect(trainer.validationTokens.isEmpty && trainer.trainTokens.count == TrainerTests.text.count)
        var summaries: [EpochSummary] = []
        #expect(try trainer.run(epochDone: { summaries.append($0) }))
        #expect(summaries.allSatisfy { $0.validation == nil && $0.isBest })
        let saved = try CharRNNModel.load(path: trainer.paths.checkpoint)
        let p = saved.parameters
        #expect(Array(UnsafeBufferPointer(start: p.values, count: p.count)) == weights(trainer))
        let metrics = try String(contentsOfFile: trainer.paths.metrics, encoding: .utf8)
        #expect(!metrics.contains("val_loss") && !metrics.contains("inf") && !metrics.contains("nan"))
        #expect(try Checkpoint.load(path: trainer.paths.checkpoint).metadata["epoch"] == "2")
    }

    @Test("Samples go to the metrics file as records the curve ignores, and leave training unchanged")
    func samples() throws {
        let s = TrainerTests().settings(epochs: 2)
        let plain = try TrainerTests().freshTrainer(.lstm, dropout: 0.1, settings: s, folder: temporaryDirectory())
        _ = try plain.run()
        let sampling = try TrainerTests().freshTrainer(.lstm, dropout: 0.1, settings: s, folder: temporaryDirectory())
        var texts: [[(temperature: Float, text: String)]] = []
        _ = try sampling.run(epochDone: { _ in texts.append(try sampling.recordSamples(length: 50)) })
        #expect(weights(plain) == weights(sampling))
        #expect(texts.count == 2 && texts.allSatisfy { $0.map(\.temperature) == [0.5, 1.0] })
        #expect(texts.allSatisfy { $0.allSatisfy { $0.text.unicodeScalars.count == 50 } })
        let lines = try String(contentsOfFile: sampling.paths.metrics, encoding: .utf8).split(separator: "\n")
        let records = lines.filter { $0.contains("sample_t0.5") && $0.contains("sample_t1.0") }
        #expect(records.count == 2 && records.last!.hasPrefix("{\"step\": \(sampling.step), \"epoch\": 2,"))
        let curve = try LearningCurve.read(path: sampling.paths.metrics)
        #expect(curve.skippedLines.isEmpty && curve.validation.count == 2)
        // Samples are reproducible: the same weights give the same text.
        #expect(try sampling.recordSamples(length: 50).map(\.text) == texts.last!.map(\.text))
    }

    @Test("Each resume's command is added to `resumed`; `command` keeps the first")
    func resumeCommands() throws {
        let trainer = try TrainerTests().freshTrainer(
            .gru, settings: TrainerTests().settings(epochs: 1), folder: temporaryDirectory())
        trainer.runMetadata["command"] = "charrnn train --corpus c.txt"
        trainer.recordResume(command: "charrnn train --resume")
        trainer.recordResume(command: "charrnn train \"--resume\" --epochs 3")
        #expect(trainer.runMetadata["command"] == "charrnn train --corpus c.txt")
        #expect(
            trainer.runMetadata["resumed"] == #"["charrnn train --resume","charrnn train \"--resume\" --epochs 3"]"#)
    }
}
