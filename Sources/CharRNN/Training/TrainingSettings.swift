/// Everything about a training run that is not the architecture. Defaults are `charrnn train`'s.
public struct TrainingSettings: Equatable, Sendable {
    public var batchSize = 64
    public var sequenceLength = 100
    public var epochs = 10
    public var learningRate: Float = 2e-3
    public var optimizer: OptimizerKind = .adam
    /// Global gradient-norm clip; 0 turns clipping off.
    public var clip: Float = 5
    /// The LAST fraction of the corpus's characters is held out for validation.
    public var validationFraction: Double = 0.1
    public var seed: UInt64 = 0
    public var order: BatchOrder = .shuffledWindows
    /// A training-loss line in the metrics file every this many steps.
    public var logEvery = 50

    public init() {}

    /// A text cut as training cuts it: the first ⌊(1 − f)·n⌋ characters train, the rest is held out.
    public static func split(_ tokens: [Int32], validationFraction f: Double) -> (
        training: ArraySlice<Int32>, heldOut: ArraySlice<Int32>
    ) {
        let trainCount = Int((1 - f) * Double(tokens.count))
        return (tokens[..<trainCount], tokens[trainCount...])
    }

    public func validate() throws {
        for (name, value) in [
            ("batch size", batchSize), ("sequence length", sequenceLength), ("epochs", epochs),
        ] where value < 1 {
            throw CharRNNError("\(name) must be positive, got \(value)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw CharRNNError("learning rate must be positive, got \(learningRate)")
        }
        guard clip >= 0, clip.isFinite else { throw CharRNNError("clip must be ≥ 0, got \(clip)") }
        guard validationFraction > 0, validationFraction < 1 else {
            throw CharRNNError("validation fraction must be in (0, 1), got \(validationFraction)")
        }
    }

    /// Settings as checkpoint metadata (strings), and back: resume checks they did not change.
    var metadata: [String: String] {
        [
            "train.batch_size": "\(batchSize)", "train.seq_length": "\(sequenceLength)",
            "train.lr": "\(learningRate)", "train.optimizer": optimizer.rawValue,
            "train.clip": "\(clip)", "train.val_fraction": "\(validationFraction)",
            "train.seed": "\(seed)", "train.order": order.rawValue,
        ]
    }
}
