import ArgumentParser
import CharRNN
import CharRNNPlay

extension SamplingMethod: ExpressibleByArgument {}

/// The sampling flags, shared by `generate` and `play`: they fill `SamplerSettings`, which
/// validates them, and pick the random seed. The two commands differ only in the default
/// temperature, which each supplies and the help states.
struct SamplingOptions: ParsableArguments {
    @Option(help: "greedy, multinomial, gumbel or beam (beam search: generate only).")
    var sampler: SamplingMethod = .multinomial
    @Option(
        parsing: .unconditional,
        help: "With --sampler beam: how many partial continuations to keep, ≥ 1. (default: \(defaultBeamWidth))")
    var beamWidth: Int?
    @Option(
        parsing: .unconditional,
        help: """
            Divides the logits; 0 means greedy (default: \(GenerateCommand.defaultTemperature) for generate, \
            \(PlayState.defaultTemperature) for play).
            """)
    var temperature: Float?
    @Option(parsing: .unconditional, help: "Keep the k most likely characters (k ≥ 1).") var topK: Int?
    @Option(parsing: .unconditional, help: "Keep the most likely characters reaching probability p, p in (0, 1].")
    var topP: Float?
    @Option(parsing: .unconditional, help: "Keep characters with p ≥ min-p × the largest p, min-p in [0, 1).")
    var minP: Float?
    @Option(
        parsing: .unconditional,
        help: """
            Divide (multiply, if negative) the logit of each character among the last --repeat-last-n by P \
            before the temperature, as llama.cpp does; 1 is off, P > 0.
            """)
    var repeatPenalty: Float = 1
    @Option(
        parsing: .unconditional,
        help: "How many recent characters (prime and generated) --repeat-penalty looks at, ≥ 0.")
    var repeatLastN = SamplerSettings.defaultRepeatLastN
    @Option(
        help: """
            Random seed (default: drawn at random; printed to stderr when the text depends on it, shown in \
            play's status line).
            """)
    var seed: UInt64?

    static let defaultBeamWidth = 5

    /// The settings, with `defaultTemperature` when --temperature is not given.
    func settings(defaultTemperature: Float) -> SamplerSettings {
        SamplerSettings(
            method: sampler, temperature: temperature ?? defaultTemperature, topK: topK, topP: topP, minP: minP,
            repeatPenalty: repeatPenalty, repeatLastN: repeatLastN, beamWidth: beamWidth ?? Self.defaultBeamWidth)
    }

    /// Without --temperature either command's default stands in: both are valid.
    func validate() throws {
        try CLI.reportingErrors {
            if beamWidth != nil && sampler != .beam { throw CharRNNError("--beam-width needs --sampler beam") }
            try settings(defaultTemperature: GenerateCommand.defaultTemperature).validate()
        }
    }

    /// --seed, else one from the system's generator, printed to stderr when `announce` (when the
    /// output depends on it) so the run can be repeated.
    func randomSeed(announce: Bool) -> UInt64 {
        if let seed { return seed }
        var system = SystemRandomNumberGenerator()
        let seed = system.next() >> 1  // fits any tool that reads a signed 64-bit number
        if announce { CLI.printToStandardError("charrnn: --seed \(seed)") }
        return seed
    }
}
