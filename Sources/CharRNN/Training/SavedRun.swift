/// A training state file (`CKPT.state`) read back, before it meets its corpus: the latest model
/// with the run's metadata, the run's settings, and the `state.*` entries resume checks and uses.
public struct SavedRun {
    public let path: String
    /// The latest weights and the run's metadata (`state.*` left out).
    public let checkpoint: Checkpoint
    /// As saved; `epochs` is the total the run was to reach.
    public private(set) var settings: TrainingSettings
    /// The `state.*` metadata: position, RNG states, best loss, corpus length and fingerprint.
    public let state: [String: String]
    /// The `state.*` tensors without the prefix: optimizer moments, carried hidden state.
    let tensors: [String: [Float]]

    public static func isTrainingState(_ file: SafetensorsFile) -> Bool {
        file.metadata["state.format"] == Trainer.stateFormat
    }

    public static func read(path: String) throws -> SavedRun {
        guard FileIO.exists(path) else {
            throw CharRNNError("\(path): no training state to resume from (train without --resume first)")
        }
        return try SavedRun(file: SafetensorsFile.read(path: path), path: path)
    }

    public init(file: SafetensorsFile, path: String) throws {
        self.path = path
        guard Self.isTrainingState(file) else { throw CharRNNError("\(path): not a charrnn training state") }
        state = file.metadata.filter { $0.key.hasPrefix("state.") }
        tensors = file.tensors.filter { $0.key.hasPrefix("state.") }
            .reduce(into: [String: [Float]]()) { $0[String($1.key.dropFirst("state.".count))] = $1.value.values }
        let modelFile = SafetensorsFile(
            tensors: file.tensors.filter { !$0.key.hasPrefix("state.") },
            metadata: file.metadata.filter { !$0.key.hasPrefix("state.") })
        checkpoint = try Checkpoint.decode(modelFile, name: path)
        settings = try TrainingSettings(metadata: checkpoint.metadata, name: path)
        settings.epochs = try integer("state.epochs")
    }

    /// Where the run read its corpus (absolute), when it was recorded.
    public var corpusPath: String? { state["state.corpus_path"] }

    func fail(_ what: String) -> CharRNNError { CharRNNError("\(path): \(what)") }

    func value(_ key: String) throws -> String {
        guard let v = state[key] else { throw fail("missing \(key)") }
        return v
    }

    func integer(_ key: String, atMost limit: Int = .max) throws -> Int {
        guard let v = Int(try value(key)), v >= 0 else { throw fail("\(key) is not a count") }
        guard v <= limit else { throw fail("\(key) is \(v), more than \(limit)") }
        return v
    }

    func rng(_ key: String) throws -> RandomGenerator {
        let words = try value(key).split(separator: ",").compactMap { UInt64($0) }
        do { return try RandomGenerator(stateWords: words) } catch { throw fail("\(key): \(error)") }
    }
}
