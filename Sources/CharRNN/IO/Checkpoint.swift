/// A trained model on disk in the `charrnn-v1` format (docs/checkpoint-format.md): a
/// safetensors file whose tensors are a PyTorch `state_dict` of Embedding / GRU or LSTM
/// (batch_first) / Linear, and whose metadata holds the format, cell, vocabulary and dropout.
public struct Checkpoint {
    public static let format = "charrnn-v1"
    /// Metadata keys the format itself owns; everything else is free-form (`metadata`).
    public static let reservedKeys: Set<String> = ["format", "cell", "vocab", "dropout"]
    /// Weight dtypes accepted on load; `save` writes F32.
    public static let weightDTypes: Set<String> = ["F32", "F16", "BF16"]

    public var config: ModelConfig
    public var vocabulary: Vocabulary
    /// Laid out as `ParameterSet(shapes: config.parameterShapes)`.
    public var parameters: ParameterSet
    /// Free-form keys (corpus, epoch, validation loss, command line...): not the reserved ones.
    public var metadata: [String: String]

    public init(config: ModelConfig, vocabulary: Vocabulary, parameters: ParameterSet, metadata: [String: String] = [:])
    {
        self.config = config
        self.vocabulary = vocabulary
        self.parameters = parameters
        self.metadata = metadata
    }

    /// Reads and validates a checkpoint; every problem is a one-line error naming the file.
    public static func load(path: String) throws -> Checkpoint {
        try decode(try SafetensorsFile.read(path: path), name: path)
    }

    /// Validates an already-read file as `charrnn-v1`. `name` starts every error message.
    public static func decode(_ file: SafetensorsFile, name: String) throws -> Checkpoint {
        func fail(_ what: String) -> CharRNNError { CharRNNError("\(name): \(what)") }
        let (cell, vocabulary, dropout) = try formatFields(file.metadata, fail: fail)
        let config = try modelConfig(file.tensors, cell: cell, vocabulary: vocabulary, dropout: dropout, fail: fail)
        let parameters = ParameterSet(shapes: config.parameterShapes)
        for entry in parameters.entries {
            let values = file.tensors[entry.name]!.values
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw fail("tensor \(entry.name) has a non-finite value (\(values[bad])) at index \(bad)")
            }
            parameters.set(entry.name, values)
        }
        return Checkpoint(
            config: config, vocabulary: vocabulary, parameters: parameters,
            metadata: file.metadata.filter { !reservedKeys.contains($0.key) })
    }

    /// The format's own metadata: format, cell, vocab and the optional dropout.
    private static func formatFields(
        _ meta: [String: String], fail: (String) -> CharRNNError
    ) throws -> (Cell, Vocabulary, Float) {
        guard let format = meta["format"] else {
            throw fail("not a charrnn checkpoint: metadata has no \"format\" (expected \(Checkpoint.format))")
        }
        guard format == Checkpoint.format else {
            throw fail("unsupported format \(format.debugDescription) (expected \(Checkpoint.format))")
        }
        guard let cellName = meta["cell"] else { throw fail("metadata has no \"cell\" (gru or lstm)") }
        guard let cell = Cell(rawValue: cellName) else {
            throw fail("unknown cell \(cellName.debugDescription) (expected gru or lstm)")
        }
        guard let vocabText = meta["vocab"] else { throw fail("metadata has no \"vocab\"") }
        let vocabulary: Vocabulary
        do {
            vocabulary = try Vocabulary(symbols: try vocabularySymbols(vocabText))
        } catch let error as CharRNNError {
            throw fail("metadata \"vocab\": \(error.message)")
        }
        var dropout: Float = 0
        if let text = meta["dropout"] {
            guard let value = Float(text), value >= 0, value < 1 else {
                throw fail("metadata \"dropout\" is \(text.debugDescription), not a number in [0, 1)")
            }
            dropout = value
        }
        return (cell, vocabulary, dropout)
    }

    /// The architecture the tensors spell out, once their dtypes, names and shapes all agree.
    private static func modelConfig(
        _ tensors: [String: Tensor], cell: Cell, vocabulary: Vocabulary, dropout: Float,
        fail: (String) -> CharRNNError
    ) throws -> ModelConfig {
        for (tensorName, tensor) in tensors.sorted(by: { $0.key < $1.key })
        where !weightDTypes.contains(tensor.dtype) {
            throw fail("tensor \(tensorName) has dtype \(tensor.dtype); weights must be F32, F16 or BF16")
        }
        let layers = try layerCount(Set(tensors.keys), fail: fail)
        var config = ModelConfig(
            cell: cell, vocabularySize: vocabulary.count, embeddingSize: 0, hiddenSize: 0, layers: layers,
            dropout: dropout)
        let expectedNames = config.parameterShapes.map(\.name)
        let missing = expectedNames.filter { tensors[$0] == nil }
        guard missing.isEmpty else {
            throw fail("missing tensor\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: ", "))")
        }
        let extra = Set(tensors.keys).subtracting(expectedNames).sorted()
        guard extra.isEmpty else {
            throw fail("unexpected tensor\(extra.count == 1 ? "" : "s"): \(extra.joined(separator: ", "))")
        }

        // E and V from the embedding, H from the first recurrent weight; then every shape must agree.
        let embedding = tensors["embedding.weight"]!.shape
        guard embedding.count == 2 else { throw fail("embedding.weight has shape \(embedding), expected [V, E]") }
        guard embedding[0] == vocabulary.count else {
            throw fail("embedding.weight has \(embedding[0]) rows but the vocabulary has \(vocabulary.count) symbols")
        }
        let recurrent = tensors["rnn.weight_hh_l0"]!.shape
        guard recurrent.count == 2,
            case (recurrent[0], false) = cell.gateCount.multipliedReportingOverflow(by: recurrent[1])
        else {
            let cellName = cell.rawValue.uppercased()
            throw fail("rnn.weight_hh_l0 has shape \(recurrent), expected [\(cell.gateCount)·H, H] for \(cellName)")
        }
        config.embeddingSize = embedding[1]
        config.hiddenSize = recurrent[1]
        do { try config.validate() } catch let error as CharRNNError { throw fail(error.message) }
        for (tensorName, shape) in config.parameterShapes where tensors[tensorName]!.shape != shape {
            let found = tensors[tensorName]!.shape
            throw fail("tensor \(tensorName) has shape \(found), expected \(shape) for \(config.summary)")
        }
        return config
    }

    /// L: the number of `rnn.weight_ih_l{k}` tensors, which must be l0 … l(L-1) with no gaps.
    private static func layerCount(_ names: Set<String>, fail: (String) -> CharRNNError) throws -> Int {
        let prefix = "rnn.weight_ih_l"
        let indices = names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix) else { return nil }
            let digits = name.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                digits == "0" || !digits.hasPrefix("0")
            else { return nil }
            return Int(digits)
        }.sorted()
        guard !indices.isEmpty else { throw fail("missing tensor rnn.weight_ih_l0: no recurrent layers") }
        if let gap = (0..<indices.count).first(where: { indices[$0] != $0 }) {
            throw fail(
                "layers are not numbered 0…\(indices.count - 1): has \(prefix)\(indices[gap]) but no \(prefix)\(gap)")
        }
        return indices.count
    }

    /// The `vocab` metadata value: a JSON list of strings.
    private static func vocabularySymbols(_ text: String) throws -> [String] {
        let parsed: JSON
        do { parsed = try JSON.parse(text) } catch let error as JSON.TooLarge {
            throw CharRNNError(error.message)
        } catch let error as CharRNNError {
            throw CharRNNError("not JSON: \(error.message)")
        }
        guard case .array(let items) = parsed else { throw CharRNNError("not a JSON list") }
        return try items.enumerated().map { i, item in
            guard case .string(let symbol) = item else { throw CharRNNError("entry \(i) is not a string") }
            return symbol
        }
    }

    /// The bytes of the file `save` writes.
    public func serialized(name: String = "checkpoint") throws -> [UInt8] {
        try safetensorsFile(name: name).serialized(name: name)
    }

    /// Writes the checkpoint atomically (temporary file, fsync, rename): an interrupted or
    /// failed save leaves the previous file untouched. Refuses what `load` would refuse.
    public func save(path: String) throws {
        try FileIO.writeAtomically(path: path, bytes: try serialized(name: path))
    }

    /// The checkpoint as a safetensors file (tensors and metadata), validated as `save` does.
    public func safetensorsFile(name: String) throws -> SafetensorsFile {
        func fail(_ what: String) -> CharRNNError { CharRNNError("\(name): cannot save: \(what)") }
        do { try config.validate() } catch let error as CharRNNError { throw fail(error.message) }
        guard vocabulary.count == config.vocabularySize else {
            throw fail("the vocabulary has \(vocabulary.count) symbols but the model has V=\(config.vocabularySize)")
        }
        let shapes = config.parameterShapes
        guard parameters.entries.map(\.name) == shapes.map(\.name),
            parameters.entries.map(\.shape) == shapes.map(\.shape)
        else { throw fail("the parameters are not laid out for \(config.summary)") }
        if let reserved = metadata.keys.sorted().first(where: Checkpoint.reservedKeys.contains) {
            throw fail("metadata key \(reserved.debugDescription) is reserved for the format")
        }
        var file = SafetensorsFile(metadata: metadata)
        file.metadata["format"] = Checkpoint.format
        file.metadata["cell"] = config.cell.rawValue
        file.metadata["vocab"] = JSONValue.array(vocabulary.symbols.map(JSONValue.string)).text()
        file.metadata["dropout"] = "\(config.dropout)"
        for entry in parameters.entries {
            let values = parameters.array(entry.name)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw fail("tensor \(entry.name) has a non-finite value (\(values[bad])) at index \(bad)")
            }
            file.tensors[entry.name] = Tensor(shape: entry.shape, values: values, dtype: "F32")
        }
        return file
    }
}
