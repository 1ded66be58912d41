/// Trains a model with truncated BPTT; checkpoints after every epoch and on request, and
/// resumes exactly: a run stopped and resumed ends with the same weights as one uninterrupted.
public final class Trainer {
    public let model: CharRNNModel
    public let settings: TrainingSettings
    public let paths: TrainingPaths
    /// Used for training and for the validation after each epoch.
    public let compute: ComputePolicy
    public let trainTokens: [Int32]
    public let validationTokens: [Int32]
    let plan: BatchPlan
    let graph: SequenceGraph
    let optimizer: Optimizer
    /// Extra metadata written into every checkpoint (corpus, command line, …).
    public var runMetadata: [String: String]
    /// Where the corpus was read from, kept in the state so `--resume` can read it again.
    public var corpusPath: String?

    /// Before the order of the epoch in progress (or the next one) is drawn.
    var dataRNG: RandomGenerator
    var dropoutRNG: RandomGenerator
    public internal(set) var completedEpochs = 0
    /// Batches done in the epoch in progress.
    var batchIndex = 0
    public internal(set) var bestValidation = Double.infinity
    var epochLossSum = 0.0

    /// A fresh run. `tokens` is the whole corpus; its last `validationFraction` is held out
    /// (none when it is 0: the run then saves its latest model after every epoch).
    /// `compute` is `.training` (every core to OpenBLAS) unless the caller says otherwise.
    public init(
        model: CharRNNModel, settings: TrainingSettings, tokens: [Int32], paths: TrainingPaths,
        metadata: [String: String] = [:], compute: ComputePolicy = .training
    ) throws {
        try settings.validate()
        try model.config.validate()
        let (training, heldOut) = TrainingSettings.split(tokens, validationFraction: settings.validationFraction)
        guard !settings.validates || heldOut.count >= 2 else {
            throw CharRNNError("the corpus is too short to hold out a validation text (\(tokens.count) characters)")
        }
        self.model = model
        self.settings = settings
        self.paths = paths
        self.compute = compute
        trainTokens = Array(training)
        validationTokens = Array(heldOut)
        plan = try BatchPlan(
            order: settings.order, batch: settings.batchSize, steps: settings.sequenceLength,
            tokenCount: training.count)
        graph = SequenceGraph(
            model: model, batch: settings.batchSize, steps: settings.sequenceLength, compute: compute,
            precision: settings.precision)
        optimizer = Optimizer(
            kind: settings.optimizer, learningRate: settings.learningRate,
            parameterCount: model.parameters.count)
        runMetadata = metadata
        dataRNG = RandomGenerator(seed: settings.seed)
        dropoutRNG = RandomGenerator(seed: settings.seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    public var step: Int { optimizer.step }

    /// The learning rate of the next update, by the settings' schedule.
    public var learningRate: Float { learningRate(beforeStep: step) }

    /// The rate of the update that follows `step` updates, in the epoch in progress.
    func learningRate(beforeStep step: Int) -> Float {
        settings.learningRateSchedule.rate(
            base: settings.learningRate, step: step, completedEpochs: completedEpochs,
            totalSteps: settings.epochs * plan.batchesPerEpoch)
    }

    /// Trains until `settings.epochs` are complete or `shouldStop()` turns true (checked between
    /// batches; the state is then saved so `--resume` continues from that batch).
    /// Returns true when all epochs are complete.
    public func run(
        progress: (StepProgress) -> Void = { _ in }, epochDone: (EpochSummary) throws -> Void = { _ in },
        shouldStop: () -> Bool = { false }
    ) throws -> Bool {
        let B = settings.batchSize
        let T = settings.sequenceLength
        let inputs = UnsafeMutablePointer<Int32>.allocate(capacity: B * T)
        let targets = UnsafeMutablePointer<Int32>.allocate(capacity: B * T)
        defer {
            inputs.deallocate()
            targets.deallocate()
        }
        let clock = ContinuousClock()
        while completedEpochs < settings.epochs {
            var orderRNG = dataRNG
            let order = plan.epochOrder(rng: &orderRNG)
            if batchIndex == 0 && settings.order == .statefulStreams { graph.resetState() }
            let epochStart = clock.now
            let firstBatch = batchIndex
            var last = clock.now
            while batchIndex < plan.batchesPerEpoch {
                if shouldStop() {
                    try saveState()
                    return false
                }
                let rate = learningRate
                let loss = try trainStep(batch: batchIndex, order: order, inputs: inputs, targets: targets)
                batchIndex += 1
                epochLossSum += loss
                let now = clock.now
                let report = StepProgress(
                    epoch: completedEpochs + 1, epochs: settings.epochs, batch: batchIndex,
                    batchesPerEpoch: plan.batchesPerEpoch, step: step, loss: loss, charactersPerBatch: B * T,
                    charactersPerSecond: Double(B * T) / (now - last).seconds)
                last = now
                progress(report)
                if step % settings.logEvery == 0 {
                    try appendMetrics([
                        "step": .integer(step), "epoch": .integer(completedEpochs + 1),
                        "train_loss": .double(rounded(loss)), "chars_per_s": .integer(Int(report.charactersPerSecond)),
                        "lr": .double(shortest(rate)),
                    ])
                }
            }
            let trainSeconds = (clock.now - epochStart).seconds
            dataRNG = orderRNG
            try epochDone(
                try finishEpoch(
                    seconds: trainSeconds,
                    charactersPerSecond: Double((plan.batchesPerEpoch - firstBatch) * B * T) / trainSeconds))
        }
        return true
    }

    /// One update: forward, backward, clip, optimizer. Returns the batch's mean loss.
    private func trainStep(
        batch index: Int, order: [Int], inputs: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>
    ) throws -> Double {
        let p = model.parameters
        trainTokens.withUnsafeBufferPointer {
            plan.fill(index: index, epochOrder: order, tokens: $0.baseAddress!, inputs: inputs, targets: targets)
        }
        if settings.order == .shuffledWindows { graph.resetState() }
        p.zeroGradients()
        let loss =
            graph.trainingForward(inputs: inputs, targets: targets, rng: &dropoutRNG)
            / Double(graph.batch * graph.steps)
        guard loss.isFinite else {
            throw CharRNNError("training diverged at step \(step + 1): loss is \(loss); try a lower --lr")
        }
        graph.backward()
        if settings.clip > 0 { clipGradientNorm(p, maxNorm: settings.clip) }
        optimizer.learningRate = learningRate
        optimizer.update(p)
        if settings.order == .statefulStreams { graph.carryState() }
        return loss
    }

    /// Validation, the best checkpoint, the training state and the metrics line of an epoch.
    /// Without validation the latest model is saved every epoch.
    private func finishEpoch(seconds: Double, charactersPerSecond: Double) throws -> EpochSummary {
        var validation: EvaluationResult?
        if settings.validates {
            do {
                validation = try Evaluation.evaluate(model, tokens: validationTokens, compute: compute)
            } catch let error as CharRNNError {
                throw CharRNNError("training diverged by step \(step): validation: \(error.message); try a lower --lr")
            }
        }
        let trainLoss = epochLossSum / Double(plan.batchesPerEpoch)
        let lastRate = learningRate(beforeStep: step - 1)
        completedEpochs += 1
        batchIndex = 0
        epochLossSum = 0
        let isBest = validation.map { $0.natsPerCharacter < bestValidation } ?? true
        if isBest {
            bestValidation = validation?.natsPerCharacter ?? bestValidation
            try checkpoint(validation: validation).save(path: paths.checkpoint)
        }
        // The record before the state: a kill between the two repeats the epoch, and resume
        // drops the record of the step it will do again (`trimMetrics`).
        var record: JSONObject = [
            "step": .integer(step), "epoch": .integer(completedEpochs), "train_loss": .double(rounded(trainLoss)),
        ]
        if let validation {
            record["val_loss"] = .double(rounded(validation.natsPerCharacter))
            record["val_bits_per_char"] = .double(rounded(validation.bitsPerCharacter))
            record["val_perplexity"] = .double(rounded(validation.perplexity))
        }
        record["chars_per_s"] = .integer(Int(charactersPerSecond))
        record["seconds"] = .double(rounded(seconds))
        record["lr"] = .double(shortest(lastRate))
        try appendMetrics(record)
        try saveState()
        return EpochSummary(
            epoch: completedEpochs, step: step, trainLoss: trainLoss, validation: validation,
            isBest: isBest, seconds: seconds, charactersPerSecond: charactersPerSecond)
    }

    /// The model as a checkpoint, with the run's metadata.
    func checkpoint(validation: EvaluationResult?) -> Checkpoint {
        var metadata = runMetadata.merging(settings.metadata) { a, _ in a }
        metadata["epoch"] = "\(completedEpochs)"
        metadata["step"] = "\(step)"
        if let v = validation {
            metadata["val_nats_per_char"] = "\(rounded(v.natsPerCharacter))"
            metadata["val_characters"] = "\(v.characters)"
        }
        return Checkpoint(
            config: model.config, vocabulary: model.vocabulary, parameters: model.parameters,
            metadata: metadata)
    }

    /// One record, one whole line (`FileIO.append` takes back a line cut short). Records
    /// the trainer does not write itself (samples) carry a `step` too, so resume trims them.
    public func appendMetrics(_ record: JSONObject) throws {
        try FileIO.append(path: paths.metrics, line: record.text(spaced: true))
    }

    /// Before a resumed run goes on: the metrics file keeps only the records up to the resumed
    /// step, so a line cut short and the records of steps about to be done again go. A symbolic
    /// link there is refused rather than written through.
    func trimMetrics() throws {
        guard FileIO.isPresent(paths.metrics) else { return }
        let text = String(decoding: try FileIO.readAll(path: paths.metrics, followingLinks: false), as: UTF8.self)
        let kept = text.split(separator: "\n").filter { LearningCurve.record($0).map { $0.step <= step } ?? false }
        let trimmed = kept.map { $0 + "\n" }.joined()
        if trimmed != text { try FileIO.writeAtomically(path: paths.metrics, bytes: Array(trimmed.utf8)) }
    }
}
