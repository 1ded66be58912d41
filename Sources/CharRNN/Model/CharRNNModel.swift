/// A character-level language model: its architecture, vocabulary and parameters.
/// Computation lives elsewhere: `SequenceGraph` trains it, `StreamingModel` runs it one
/// character at a time.
public final class CharRNNModel {
    public let config: ModelConfig
    public let vocabulary: Vocabulary
    public let parameters: ParameterSet
    /// Extra checkpoint metadata (corpus, epoch, validation loss, command line, …).
    public var metadata: [String: String]

    public init(
        config: ModelConfig, vocabulary: Vocabulary, parameters: ParameterSet,
        metadata: [String: String] = [:]
    ) {
        precondition(config.vocabularySize == vocabulary.count, "vocabulary size mismatch")
        precondition(parameters.count == config.parameterCount, "parameter layout mismatch")
        self.config = config
        self.vocabulary = vocabulary
        self.parameters = parameters
        self.metadata = metadata
    }

    /// PyTorch's default initialisation: embedding N(0, 1); every GRU/LSTM weight and bias
    /// U(−1/√H, 1/√H); the output layer U(−1/√H, 1/√H) (kaiming-uniform with a = √5).
    public convenience init(config: ModelConfig, vocabulary: Vocabulary, seed: UInt64) {
        let parameters = ParameterSet(shapes: config.parameterShapes)
        var rng = RandomGenerator(seed: seed)
        let bound = 1 / Float(config.hiddenSize).squareRoot()
        for entry in parameters.entries {
            let p = parameters.values + entry.offset
            if entry.name == "embedding.weight" {
                for i in 0..<entry.count { p[i] = rng.nextNormal() }
            } else {
                for i in 0..<entry.count { p[i] = (2 * rng.nextFloat() - 1) * bound }
            }
        }
        self.init(config: config, vocabulary: vocabulary, parameters: parameters)
    }

    /// The model a validated checkpoint holds.
    public convenience init(checkpoint c: Checkpoint) {
        self.init(config: c.config, vocabulary: c.vocabulary, parameters: c.parameters, metadata: c.metadata)
    }

    /// Loads and validates a `charrnn-v1` checkpoint; errors are one line naming the file.
    public static func load(path: String) throws -> CharRNNModel {
        CharRNNModel(checkpoint: try Checkpoint.load(path: path))
    }

    /// A deep copy (parameters included, gradients zero).
    public func copy() -> CharRNNModel {
        let p = ParameterSet(shapes: config.parameterShapes)
        p.copyValues(from: parameters)
        return CharRNNModel(config: config, vocabulary: vocabulary, parameters: p, metadata: metadata)
    }

    /// Views of layer k's weights and gradients.
    func recurrentWeights(layer k: Int) -> RecurrentWeights {
        RecurrentWeights(parameters: parameters, layer: k, config: config)
    }
}
