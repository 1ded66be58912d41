/// Where a training run keeps its files: the best-validation checkpoint (`--out`), the latest
/// training state for `--resume`, and the metrics as JSON lines, side by side.
public struct TrainingPaths: Sendable {
    public let checkpoint: String
    public init(checkpoint: String) { self.checkpoint = checkpoint }

    private var stem: String {
        checkpoint.hasSuffix(".safetensors") ? String(checkpoint.dropLast(".safetensors".count)) : checkpoint
    }
    /// Latest weights, optimizer moments, step, data order and RNG states.
    public var state: String { stem + ".state" }
    public var metrics: String { stem + ".metrics.jsonl" }
}
