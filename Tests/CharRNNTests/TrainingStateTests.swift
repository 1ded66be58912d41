import Foundation
import Testing

@testable import CharRNN

/// A tampered training state is refused with one line naming the field, before any number in
/// it is used: none may overflow a count, index past an epoch, or carry a NaN loss.
@Suite("Training state validation")
struct TrainingStateTests {
    /// A run stopped in the middle of its second epoch, and its corpus.
    func interruptedRun() throws -> (paths: TrainingPaths, tokens: [Int32]) {
        let folder = temporaryDirectory()
        let trainer = try TrainerTests().freshTrainer(
            .gru, settings: TrainerTests().settings(epochs: 3), folder: folder)
        var steps = 0
        let perEpoch = trainer.plan.batchesPerEpoch
        _ = try trainer.run(progress: { _ in steps += 1 }, shouldStop: { steps == perEpoch + 2 })
        return (trainer.paths, trainer.trainTokens + trainer.validationTokens)
    }

    func resumeRefusal(_ key: String, _ value: String) throws -> String? {
        let (paths, tokens) = try interruptedRun()
        var file = try SafetensorsFile.read(path: paths.state)
        file.metadata[key] = value
        try file.write(path: paths.state)
        let error = #expect(throws: CharRNNError.self) { try Trainer.resume(paths: paths, corpus: { _ in tokens }) }
        #expect(error?.message.contains("\n") == false)
        return error?.message
    }

    @Test(
        "Out-of-range positions, steps and settings are refused naming the field",
        arguments: [
            ("state.completed_epochs", "\(Int.max)", "state.completed_epochs is \(Int.max), more than 3"),
            ("state.completed_epochs", "4", "state.completed_epochs is 4, more than 3"),
            ("state.epochs", "\(Int.max)", "train settings: epochs must be at most 1,000,000"),
            ("state.batch_index", "\(Int.max)", "state.batch_index is \(Int.max), more than"),
            ("state.step", "\(Int.max)", "state.step is \(Int.max) but 1 epochs of"),
            ("state.step", "3", "state.step is 3 but"),
            ("state.batch_index", "-1", "state.batch_index is not a count"),
            ("train.seq_length", "\(Int.max)", "train settings: sequence length must be at most 65,536"),
            ("train.batch_size", "0", "train settings: batch size must be positive"),
            ("state.best_val", "nan", "state.best_val is nan, not a loss"),
            ("state.best_val", "-inf", "state.best_val is -inf, not a loss"),
            ("state.epoch_loss_sum", "inf", "state.epoch_loss_sum is inf, not a finite sum"),
        ])
    func tampered(key: String, value: String, message: String) throws {
        let refusal = try resumeRefusal(key, value)
        #expect(refusal?.contains(message) == true, "\(refusal ?? "")")
    }

    @Test("An untouched state still resumes at its step")
    func untouched() throws {
        let (paths, tokens) = try interruptedRun()
        let trainer = try Trainer.resume(paths: paths, corpus: { _ in tokens })
        #expect(trainer.step == trainer.plan.batchesPerEpoch + 2)
    }

    @Test("Training stops on a non-finite loss with the step number and writes no NaN model")
    func divergence() throws {
        var settings = TrainerTests().settings(epochs: 3)
        settings.learningRate = 1e30
        settings.clip = 0
        let trainer = try TrainerTests().freshTrainer(.gru, settings: settings, folder: temporaryDirectory())
        let error = #expect(throws: CharRNNError.self) { try trainer.run() }
        #expect(error?.message.contains("diverged at step") == true, "\(error?.message ?? "")")
        if FileIO.exists(trainer.paths.checkpoint) {
            let model = try CharRNNModel.load(path: trainer.paths.checkpoint)
            let r = try Evaluation.evaluate(model, tokens: trainer.validationTokens, compute: .training)
            #expect(r.natsPerCharacter.isFinite)
        }
    }
}
