public struct StepProgress: Sendable {
    public let epoch: Int  // 1-based, the epoch in progress
    public let epochs: Int
    public let batch: Int  // batches done in this epoch
    public let batchesPerEpoch: Int
    public let step: Int
    public let loss: Double  // mean nats/char of this batch
    public let charactersPerBatch: Int
    public let charactersPerSecond: Double

    public init(
        epoch: Int, epochs: Int, batch: Int, batchesPerEpoch: Int, step: Int, loss: Double, charactersPerBatch: Int,
        charactersPerSecond: Double
    ) {
        self.epoch = epoch
        self.epochs = epochs
        self.batch = batch
        self.batchesPerEpoch = batchesPerEpoch
        self.step = step
        self.loss = loss
        self.charactersPerBatch = charactersPerBatch
        self.charactersPerSecond = charactersPerSecond
    }
}
