import ArgumentParser
import CharRNN

extension OptimizerKind: ExpressibleByArgument {}

/// The training flags of `train`: they fill `TrainingSettings`, which validates them. Flags a
/// resumed run cannot change are nil when not given, so a resume can refuse one that differs.
struct TrainingOptions: ParsableArguments {
    static let defaults = TrainingSettings()

    @Option(
        name: .customLong("seq-length"), parsing: .unconditional,
        help: "Characters per training sequence (BPTT length). (default: \(defaults.sequenceLength))")
    var seqLength: Int?
    @Option(
        name: .customLong("batch-size"), parsing: .unconditional,
        help: "Sequences per batch. (default: \(defaults.batchSize))")
    var batchSize: Int?
    @Option(
        parsing: .unconditional,
        help: "Epochs to train (default: \(defaults.epochs); with --resume: the total to reach).")
    var epochs: Int?
    @Option(
        parsing: .unconditional,
        help: "Learning rate (with --resume: replaces the saved one from here on). (default: \(defaults.learningRate))")
    var lr: Float?
    @Option(
        name: .customLong("lr-schedule"),
        help: "constant, step (needs --lr-decay) or cosine (to --lr-min over the run's steps). (default: constant)")
    var lrSchedule: String?
    @Option(
        name: .customLong("lr-decay"), parsing: .unconditional,
        help: "Step decay: multiply the learning rate by this after every --lr-decay-every epochs.")
    var lrDecay: Float?
    @Option(
        name: .customLong("lr-decay-every"), parsing: .unconditional,
        help: "Epochs between step decays. (default: 1)")
    var lrDecayEvery: Int?
    @Option(
        name: .customLong("lr-min"), parsing: .unconditional,
        help: "Cosine schedule: the learning rate at the run's end. (default: 0)")
    var lrMin: Float?
    @Option(help: "adam (bias-corrected) or rmsprop, with PyTorch semantics. (default: \(defaults.optimizer))")
    var optimizer: OptimizerKind?
    @Option(parsing: .unconditional, help: "Global gradient-norm clip (0: off). (default: \(defaults.clip))")
    var clip: Float?
    @Option(
        name: .customLong("val-fraction"), parsing: .unconditional,
        help: "Fraction of the corpus, at its end, held out (0: none; the last model is kept). (default: 0.1)")
    var valFraction: Double?
    @Option(help: "Random seed (initialisation, data order, dropout). (default: 0)") var seed: UInt64?
    @Flag(help: "B contiguous streams with the hidden state carried across batches (char-rnn style).")
    var stateful = false
    @Option(
        help: """
            Matrix products in f32, or bf16 (bfloat16 inputs, float32 sums; CPUs with AVX-512 BF16). \
            Weights, Adam, checkpoints and validation stay float32. (default: f32)
            """)
    var precision: Precision?

    /// The schedule the flags name; `--lr-decay` alone means step decay, `--lr-min` alone cosine.
    var schedule: LearningRateSchedule {
        get throws {
            let name =
                lrSchedule ?? (lrDecay != nil || lrDecayEvery != nil ? "step" : lrMin != nil ? "cosine" : "constant")
            switch name {
            case "constant" where lrDecay == nil && lrDecayEvery == nil && lrMin == nil:
                return .constant
            case "step" where lrMin == nil:
                guard let lrDecay else { throw CharRNNError("--lr-schedule step needs --lr-decay FACTOR") }
                return .stepDecay(factor: lrDecay, everyEpochs: lrDecayEvery ?? 1)
            case "cosine" where lrDecay == nil && lrDecayEvery == nil:
                return .cosine(minimum: lrMin ?? 0)
            case "constant", "step", "cosine":
                throw CharRNNError("--lr-decay and --lr-decay-every go with step decay, --lr-min with cosine")
            default:
                throw CharRNNError("--lr-schedule must be constant, step or cosine, got \(name)")
            }
        }
    }

    var settings: TrainingSettings {
        get throws {
            var settings = TrainingSettings()
            settings.batchSize = batchSize ?? settings.batchSize
            settings.sequenceLength = seqLength ?? settings.sequenceLength
            settings.epochs = epochs ?? settings.epochs
            settings.learningRate = lr ?? settings.learningRate
            settings.learningRateSchedule = try schedule
            settings.optimizer = optimizer ?? settings.optimizer
            settings.clip = clip ?? settings.clip
            settings.validationFraction = valFraction ?? settings.validationFraction
            settings.seed = seed ?? settings.seed
            settings.order = stateful ? .statefulStreams : .shuffledWindows
            settings.precision = precision ?? settings.precision
            return settings
        }
    }

    /// The flags a resumed run cannot honour, with their value and `saved`'s (`--lr` and
    /// `--epochs` it can).
    func given(against saved: TrainingSettings) throws -> [(flag: String, given: String, saved: String)] {
        let scheduleGiven = lrSchedule != nil || lrDecay != nil || lrDecayEvery != nil || lrMin != nil
        let flags: [(String, String?, String)] = [
            ("--seq-length", seqLength.map { "\($0)" }, "\(saved.sequenceLength)"),
            ("--batch-size", batchSize.map { "\($0)" }, "\(saved.batchSize)"),
            ("--optimizer", optimizer.map { $0.rawValue }, saved.optimizer.rawValue),
            ("--clip", clip.map { "\($0)" }, "\(saved.clip)"),
            ("--val-fraction", valFraction.map { "\($0)" }, "\(saved.validationFraction)"),
            ("--seed", seed.map { "\($0)" }, "\(saved.seed)"),
            ("--stateful", stateful ? "\(BatchOrder.statefulStreams)" : nil, "\(saved.order)"),
            ("--lr-schedule", scheduleGiven ? try schedule.summary : nil, saved.learningRateSchedule.summary),
            ("--precision", precision?.rawValue, saved.precision.rawValue),
        ]
        return flags.compactMap { flag, given, saved in given.map { (flag, $0, saved) } }
    }

    func validate() throws {
        try CLI.reportingErrors { try settings.validate() }
    }
}
