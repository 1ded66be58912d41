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

/// One recurrent layer's tensors inside a `ParameterSet`, values and gradients.
/// G = 3 (GRU: r, z, n) or 4 (LSTM: i, f, g, o) gate blocks of H rows each.
struct RecurrentWeights {
    let inputSize: Int  // In: E for layer 0, H above
    let hiddenSize: Int  // H
    let gateSize: Int  // G·H
    let inputWeights: UnsafeMutablePointer<Float>  // W_ih [G·H, In]
    let hiddenWeights: UnsafeMutablePointer<Float>  // W_hh [G·H, H]
    let inputBias: UnsafeMutablePointer<Float>  // b_ih [G·H]
    let hiddenBias: UnsafeMutablePointer<Float>  // b_hh [G·H]
    let inputWeightsGrad: UnsafeMutablePointer<Float>
    let hiddenWeightsGrad: UnsafeMutablePointer<Float>
    let inputBiasGrad: UnsafeMutablePointer<Float>
    let hiddenBiasGrad: UnsafeMutablePointer<Float>

    init(parameters p: ParameterSet, layer k: Int, config: ModelConfig) {
        inputSize = config.inputSize(layer: k)
        hiddenSize = config.hiddenSize
        gateSize = config.cell.gateCount * config.hiddenSize
        inputWeights = p.value("rnn.weight_ih_l\(k)")
        hiddenWeights = p.value("rnn.weight_hh_l\(k)")
        inputBias = p.value("rnn.bias_ih_l\(k)")
        hiddenBias = p.value("rnn.bias_hh_l\(k)")
        inputWeightsGrad = p.gradient("rnn.weight_ih_l\(k)")
        hiddenWeightsGrad = p.gradient("rnn.weight_hh_l\(k)")
        inputBiasGrad = p.gradient("rnn.bias_ih_l\(k)")
        hiddenBiasGrad = p.gradient("rnn.bias_hh_l\(k)")
    }
}
