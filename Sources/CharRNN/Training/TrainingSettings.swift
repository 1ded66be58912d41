/// Everything about a training run that is not the architecture. Defaults are `charrnn train`'s.
public struct TrainingSettings: Equatable, Sendable {
    public var batchSize = 64
    public var sequenceLength = 100
    public var epochs = 10
    public var learningRate: Float = 2e-3
    public var learningRateSchedule: LearningRateSchedule = .constant
    public var optimizer: OptimizerKind = .adam
    /// Global gradient-norm clip; 0 turns clipping off.
    public var clip: Float = 5
    /// The LAST fraction of the corpus's characters is held out for validation; 0 trains on all
    /// of it, without validation.
    public var validationFraction: Double = 0.1
    public var seed: UInt64 = 0
    public var order: BatchOrder = .shuffledWindows
    /// A training-loss line in the metrics file every this many steps.
    public var logEvery = 50
    /// The matrix products' number format (bf16: bfloat16 inputs, float32 sums; the weights, Adam
    /// and checkpoints stay float32). Saved with the run: a resumed run keeps it.
    public var precision: Precision = .float32

    public init() {}

    /// A text cut as training cuts it: the first ⌊(1 − f)·n⌋ characters train, the rest is held out.
    public static func split(_ tokens: [Int32], validationFraction f: Double) -> (
        training: ArraySlice<Int32>, heldOut: ArraySlice<Int32>
    ) {
        let trainCount = Int((1 - f) * Double(tokens.count))
        return (tokens[..<trainCount], tokens[trainCount...])
    }

    /// Upper bounds that keep every count derived from the settings (B·T characters a batch,
    /// steps a run) far from overflow: batches of 65,536 sequences of 65,536 characters are
    /// already more than any machine holds (the memory estimate refuses them first).
    public static let maxBatchSize = 65_536
    public static let maxSequenceLength = 65_536
    public static let maxEpochs = 1_000_000

    public func validate() throws {
        for (name, value, limit) in [
            ("batch size", batchSize, Self.maxBatchSize), ("sequence length", sequenceLength, Self.maxSequenceLength),
            ("epochs", epochs, Self.maxEpochs),
        ] {
            guard value >= 1 else { throw CharRNNError("\(name) must be positive, got \(value)") }
            guard value <= limit else {
                throw CharRNNError(
                    "\(name) must be at most \(NumberText.grouped(limit)), got \(NumberText.grouped(value))")
            }
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw CharRNNError("learning rate must be positive, got \(learningRate)")
        }
        try learningRateSchedule.validate(base: learningRate)
        guard clip >= 0, clip.isFinite else { throw CharRNNError("clip must be ≥ 0, got \(clip)") }
        guard validationFraction == 0 || (validationFraction > 0 && validationFraction < 1) else {
            throw CharRNNError(
                "validation fraction must be in (0, 1), got \(validationFraction) (or 0: no validation, train on all)")
        }
        try precision.validate()
    }

    /// Settings as checkpoint metadata (strings), and back: resume checks they did not change.
    var metadata: [String: String] {
        [
            "train.batch_size": "\(batchSize)", "train.seq_length": "\(sequenceLength)",
            "train.lr": "\(learningRate)", "train.optimizer": optimizer.rawValue,
            "train.clip": "\(clip)", "train.val_fraction": "\(validationFraction)",
            "train.seed": "\(seed)", "train.order": order.rawValue, "train.precision": precision.rawValue,
        ].merging(learningRateSchedule.metadata) { a, _ in a }
    }

    /// Whether a run holds out a validation text (`validationFraction` > 0).
    public var validates: Bool { validationFraction > 0 }
}
