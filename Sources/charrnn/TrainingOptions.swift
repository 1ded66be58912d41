import ArgumentParser
import CharRNN

extension OptimizerKind: ExpressibleByArgument {}

/// The training flags of `train`: they fill `TrainingSettings`, which validates them.
struct TrainingOptions: ParsableArguments {
    @Option(
        name: .customLong("seq-length"), parsing: .unconditional,
        help: "Characters per training sequence (BPTT length).")
    var seqLength = TrainingSettings().sequenceLength
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Sequences per batch.")
    var batchSize = TrainingSettings().batchSize
    @Option(
        parsing: .unconditional,
        help: "Epochs to train (default: \(TrainingSettings().epochs); with --resume: the total to reach).")
    var epochs: Int?
    @Option(parsing: .unconditional, help: "Learning rate.") var lr = TrainingSettings().learningRate
    @Option(help: "adam (bias-corrected) or rmsprop, with PyTorch semantics.")
    var optimizer = TrainingSettings().optimizer
    @Option(parsing: .unconditional, help: "Global gradient-norm clip (0: off).") var clip = TrainingSettings().clip
    @Option(
        name: .customLong("val-fraction"), parsing: .unconditional,
        help: "Fraction of the corpus, at its end, held out.")
    var valFraction = TrainingSettings().validationFraction
    @Option(help: "Random seed (initialisation, data order, dropout).") var seed = TrainingSettings().seed
    @Flag(help: "B contiguous streams with the hidden state carried across batches (char-rnn style).")
    var stateful = false

    var settings: TrainingSettings {
        var settings = TrainingSettings()
        settings.batchSize = batchSize
        settings.sequenceLength = seqLength
        settings.epochs = epochs ?? settings.epochs
        settings.learningRate = lr
        settings.optimizer = optimizer
        settings.clip = clip
        settings.validationFraction = valFraction
        settings.seed = seed
        settings.order = stateful ? .statefulStreams : .shuffledWindows
        return settings
    }

    func validate() throws {
        try CLI.reportingErrors { try settings.validate() }
    }
}
