public struct EpochSummary: Sendable {
    public let epoch: Int
    public let step: Int
    public let trainLoss: Double  // mean over the epoch's batches
    public let validation: EvaluationResult?  // nil when the run holds nothing out
    public let isBest: Bool
    public let seconds: Double
    public let charactersPerSecond: Double
}
