/// Where a training run keeps its files: the best-validation checkpoint (`--out`), the latest
/// training state for `--resume`, the metrics as JSON lines, and the lock that keeps a second
/// trainer away, side by side.
public struct TrainingPaths: Sendable {
    public let checkpoint: String
    public init(checkpoint: String) { self.checkpoint = checkpoint }

    private var stem: String {
        checkpoint.hasSuffix(".safetensors") ? String(checkpoint.dropLast(".safetensors".count)) : checkpoint
    }
    /// Latest weights, optimizer moments, step, data order and RNG states.
    public var state: String { stem + ".state" }
    public var metrics: String { stem + ".metrics.jsonl" }
    /// Held by the trainer writing this run (`TrainingLock`).
    public var lock: String { stem + ".lock" }

    /// Refuses, before any training, outputs the run could not write: a folder, a missing or
    /// read-only folder, a name too long for its temporary file, or any of the run's files
    /// being `corpus` itself (another spelling, a hard or symbolic link).
    public func checkWritable(corpus: String) throws {
        for path in [checkpoint, state, metrics] { try FileIO.checkReplaceable(path) }
        for path in [checkpoint, state, metrics, lock] where FileIO.sameFile(path, corpus) {
            let (path, corpus) = (PrintableText.escaped(path), PrintableText.escaped(corpus))
            throw CharRNNError("\(path) is the corpus \(corpus): writing it would destroy the corpus")
        }
    }
}
