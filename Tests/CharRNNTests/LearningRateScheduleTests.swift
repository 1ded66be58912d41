import Foundation
import Testing

@testable import CharRNN

@Suite("Learning-rate schedules")
struct LearningRateScheduleTests {
    @Test("Step decay multiplies the rate by the factor after every N epochs (char-rnn)")
    func stepDecay() {
        let schedule = LearningRateSchedule.stepDecay(factor: 0.5, everyEpochs: 2)
        let rates = (0..<6).map { schedule.rate(base: 0.1, step: 0, completedEpochs: $0, totalSteps: 100) }
        #expect(rates == [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])
    }

    @Test("Cosine goes from the rate at the first step to the minimum at the end, half-way at the middle")
    func cosine() {
        let schedule = LearningRateSchedule.cosine(minimum: 0.01)
        #expect(schedule.rate(base: 0.1, step: 0, completedEpochs: 0, totalSteps: 100) == 0.1)
        #expect(abs(schedule.rate(base: 0.1, step: 50, completedEpochs: 0, totalSteps: 100) - 0.055) < 1e-7)
        #expect(abs(schedule.rate(base: 0.1, step: 100, completedEpochs: 0, totalSteps: 100) - 0.01) < 1e-7)
        let rates = (0...100).map { schedule.rate(base: 0.1, step: $0, completedEpochs: 0, totalSteps: 100) }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $1 <= $0 })
    }

    @Test(
        "Bad schedules are refused by the settings",
        arguments: [
            (LearningRateSchedule.stepDecay(factor: 0, everyEpochs: 1), "lr decay must be in (0, 1]"),
            (.stepDecay(factor: 1.5, everyEpochs: 1), "lr decay must be in (0, 1]"),
            (.stepDecay(factor: 0.5, everyEpochs: 0), "lr decay every must be 1 to"),
            (.cosine(minimum: 1), "lr min must be ≥ 0 and below the learning rate"),
            (.cosine(minimum: -1), "lr min must be ≥ 0"),
        ])
    func refused(schedule: LearningRateSchedule, message: String) {
        var settings = TrainingSettings()
        settings.learningRateSchedule = schedule
        let error = #expect(throws: CharRNNError.self) { try settings.validate() }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test(
        "A run with a schedule stopped mid-epoch and resumed ends bit-identical to an uninterrupted one",
        arguments: [LearningRateSchedule.stepDecay(factor: 0.5, everyEpochs: 1), .cosine(minimum: 1e-4)])
    func resumeIsExact(schedule: LearningRateSchedule) throws {
        var s = TrainerTests().settings(epochs: 3)
        s.learningRateSchedule = schedule
        let straight = try TrainerTests().freshTrainer(.gru, dropout: 0.1, settings: s, folder: temporaryDirectory())
        #expect(try straight.run())

        let interrupted = try TrainerTests().freshTrainer(.gru, dropout: 0.1, settings: s, folder: temporaryDirectory())
        let perEpoch = interrupted.plan.batchesPerEpoch
        var steps = 0
        #expect(try !interrupted.run(progress: { _ in steps += 1 }, shouldStop: { steps == perEpoch + 3 }))
        let tokens = interrupted.trainTokens + interrupted.validationTokens
        let resumed = try Trainer.resume(paths: interrupted.paths, corpus: { _ in tokens })
        #expect(resumed.settings.learningRateSchedule == schedule)
        #expect(try resumed.run())
        let a = straight.model.parameters
        let b = resumed.model.parameters
        #expect(
            Array(UnsafeBufferPointer(start: a.values, count: a.count))
                == Array(UnsafeBufferPointer(start: b.values, count: b.count)))
        // Both curves record the same rates at each epoch's end, and they follow the schedule.
        func rates(_ t: Trainer) throws -> [String] {
            try String(contentsOfFile: t.paths.metrics, encoding: .utf8).split(separator: "\n").filter {
                $0.contains("val_loss")
            }
            .compactMap { line in
                line.split(separator: "\"lr\": ").last.map { String($0.prefix { $0 != "," && $0 != "}" }) }
            }
        }
        let (x, y) = (try rates(straight), try rates(resumed))
        #expect(x == y, "\(x)\n\(y)")
        let epochRates = try rates(straight).suffix(1)
        let last = schedule.rate(
            base: s.learningRate, step: 3 * perEpoch - 1, completedEpochs: 2, totalSteps: 3 * perEpoch)
        #expect(epochRates == ["\(Double("\(last)")!)"], "\(epochRates)")
    }

    @Test("A resumed run may take a new base rate; the state keeps it for the next resume")
    func learningRateOverride() throws {
        let interrupted = try TrainerTests().freshTrainer(
            .gru, settings: TrainerTests().settings(epochs: 3), folder: temporaryDirectory())
        var steps = 0
        _ = try interrupted.run(progress: { _ in steps += 1 }, shouldStop: { steps == 2 })
        let tokens = interrupted.trainTokens + interrupted.validationTokens
        let resumed = try Trainer.resume(paths: interrupted.paths, corpus: { _ in tokens }, learningRate: 1e-3)
        #expect(resumed.learningRate == 1e-3)
        steps = 0
        _ = try resumed.run(progress: { _ in steps += 1 }, shouldStop: { steps == 2 })
        #expect(try Trainer.resume(paths: interrupted.paths, corpus: { _ in tokens }).settings.learningRate == 1e-3)
    }
}
