/// How a model keeps learning on the text it reads (see `DynamicEvaluation`): the update rule,
/// its learning rate and the length of the chunks it scores and then learns from.
public struct DynamicEvaluationSettings: Equatable, Sendable {
    public enum Method: String, CaseIterable, Sendable {
        /// θ −= lr · g, g the gradient of the chunk's mean loss.
        case sgd
        /// θ −= lr · g / (√v̂ + ε), v̂ a bias-corrected running mean of g² over the chunks read so
        /// far (β = 0.99): steps of about lr per weight, whatever the gradient's scale.
        case rms
    }

    public static let defaultMethod = Method.rms
    public static let defaultLearningRate: Float = 3e-4
    public static let defaultChunkLength = 50

    public let method: Method
    public let learningRate: Float
    /// Characters scored, then learned from, at a time (shortened for a large vocabulary, as
    /// `Evaluation.chunkLength` says).
    public let chunkLength: Int

    /// Refuses a learning rate that is not positive and finite and a chunk shorter than 1.
    public init(
        method: Method = defaultMethod, learningRate: Float = defaultLearningRate,
        chunkLength: Int = defaultChunkLength
    ) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw CharRNNError("the dynamic evaluation learning rate must be positive and finite, got \(learningRate)")
        }
        guard chunkLength >= 1 else {
            throw CharRNNError("the dynamic evaluation chunk must be at least 1 character, got \(chunkLength)")
        }
        self.init(method: method, uncheckedLearningRate: learningRate, chunkLength: chunkLength)
    }

    /// Without the checks: a test reads with a learning rate of 0 (no step) to compare with the
    /// static reading.
    init(method: Method, uncheckedLearningRate: Float, chunkLength: Int) {
        self.method = method
        self.learningRate = uncheckedLearningRate
        self.chunkLength = chunkLength
    }

    /// "rms, lr 0.0003, chunks of 50" — for summaries.
    public var summary: String { "\(method.rawValue), lr \(learningRate), chunks of \(chunkLength)" }
}
