import ArgumentParser
import CharRNN

extension DynamicEvaluationSettings.Method: ExpressibleByArgument {}

/// `read`'s dynamic-evaluation flags: they fill `DynamicEvaluationSettings`, which validates them.
struct DynamicEvaluationOptions: ParsableArguments {
    @Flag(help: "Let the model keep learning on the text as it reads it (dynamic evaluation).")
    var dynamic = false
    @Option(
        parsing: .unconditional,
        help: "Learning rate of --dynamic, > 0 (default: \(DynamicEvaluationSettings.defaultLearningRate)).")
    var dynamicLr: Float?
    @Option(
        parsing: .unconditional,
        help: """
            Characters --dynamic scores, then learns from, at a time, ≥ 1 \
            (default: \(DynamicEvaluationSettings.defaultChunkLength)).
            """)
    var dynamicChunk: Int?
    @Option(
        help: """
            Steps of --dynamic: sgd, or rms (scaled by the root of a running mean of squared gradients; \
            the default).
            """)
    var dynamicMethod: DynamicEvaluationSettings.Method?

    /// The settings with --dynamic, nil without it; its other flags without it are an error.
    func settings() throws -> DynamicEvaluationSettings? {
        guard dynamic else {
            let given = [("--dynamic-lr", dynamicLr != nil), ("--dynamic-chunk", dynamicChunk != nil),
                ("--dynamic-method", dynamicMethod != nil)]
            if let (flag, _) = given.first(where: \.1) { throw CharRNNError("\(flag) needs --dynamic") }
            return nil
        }
        return try DynamicEvaluationSettings(
            method: dynamicMethod ?? DynamicEvaluationSettings.defaultMethod,
            learningRate: dynamicLr ?? DynamicEvaluationSettings.defaultLearningRate,
            chunkLength: dynamicChunk ?? DynamicEvaluationSettings.defaultChunkLength)
    }

    func validate() throws {
        try CLI.reportingErrors { _ = try settings() }
    }
}
