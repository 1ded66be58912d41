/// The architecture: Embedding(V, E) → L × GRU/LSTM(H) → Linear(H, V).
public struct ModelConfig: Equatable, Sendable {
    public var cell: Cell
    public var vocabularySize: Int  // V
    public var embeddingSize: Int  // E
    public var hiddenSize: Int  // H
    public var layers: Int  // L
    /// Dropout probability between layers and before the output layer (training only).
    public var dropout: Float

    public init(
        cell: Cell = .gru, vocabularySize: Int, embeddingSize: Int = 256, hiddenSize: Int = 512,
        layers: Int = 1, dropout: Float = 0
    ) {
        self.cell = cell
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.dropout = dropout
    }

    /// Upper bounds on each size, so that no size computed from them overflows and no model
    /// is larger than a machine can hold: V ≤ 65,536 covers any corpus's distinct characters (a
    /// CJK text has about 20,000); E and H ≤ 16,384 already make a 3.2-billion-parameter GRU
    /// layer (13 GB, 52 GB in training); 64 stacked layers is far past what trains.
    public static let maxVocabularySize = 65_536
    public static let maxEmbeddingSize = 16_384
    public static let maxHiddenSize = 16_384
    public static let maxLayers = 64

    public func validate() throws {
        for (name, value, limit) in [
            ("vocabulary size", vocabularySize, Self.maxVocabularySize),
            ("embedding size", embeddingSize, Self.maxEmbeddingSize),
            ("hidden size", hiddenSize, Self.maxHiddenSize), ("layers", layers, Self.maxLayers),
        ] {
            guard value >= 1 else { throw CharRNNError("\(name) must be positive, got \(value)") }
            guard value <= limit else {
                throw CharRNNError(
                    "\(name) must be at most \(NumberText.grouped(limit)), got \(NumberText.grouped(value))")
            }
        }
        guard dropout >= 0, dropout < 1 else {
            throw CharRNNError("dropout must be in [0, 1), got \(dropout)")
        }
    }

    /// Input width of layer k: E for the first layer, H above it.
    public func inputSize(layer k: Int) -> Int { k == 0 ? embeddingSize : hiddenSize }

    /// Every parameter tensor of a validated config, named and ordered as a PyTorch `state_dict` of
    /// `embedding` / `rnn` (batch_first) / `fc`.
    public var parameterShapes: [(name: String, shape: [Int])] {
        let gates = cell.gateCount * hiddenSize
        var shapes: [(String, [Int])] = [("embedding.weight", [vocabularySize, embeddingSize])]
        for k in 0..<layers {
            shapes.append(("rnn.weight_ih_l\(k)", [gates, inputSize(layer: k)]))
            shapes.append(("rnn.weight_hh_l\(k)", [gates, hiddenSize]))
            shapes.append(("rnn.bias_ih_l\(k)", [gates]))
            shapes.append(("rnn.bias_hh_l\(k)", [gates]))
        }
        shapes.append(("fc.weight", [vocabularySize, hiddenSize]))
        shapes.append(("fc.bias", [vocabularySize]))
        return shapes
    }

    public var parameterCount: Int {
        parameterShapes.reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// Cell, layers and hidden size: "GRU 1×512" — for status lines.
    public var architecture: String { "\(cell.rawValue.uppercased()) \(layers)×\(hiddenSize)" }

    /// "GRU 1×512, embedding 256, V=65" — for `info` and logs.
    public var summary: String { "\(architecture), embedding \(embeddingSize), V=\(vocabularySize)" }
}
