public struct StepProgress: Sendable {
    public let epoch: Int  // 1-based, the epoch in progress
    public let epochs: Int
    public let batch: Int  // batches done in this epoch
    public let batchesPerEpoch: Int
    public let step: Int
    public let loss: Double  // mean nats/char of this batch
    public let charactersPerBatch: Int
    public let charactersPerSecond: Double
}
