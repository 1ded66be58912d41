import ArgumentParser
import CharRNN
import CharRNNPlay

/// `charrnn generate`: continue a prime with a checkpoint, streaming each character as it is
/// sampled. The flags only fill `SamplerSettings`; sampling lives in the engine.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prime text with a trained checkpoint.",
        discussion: SamplerSettings.pipelineDescription + "\n\n" + """
            Output: the prime, then each generated character as soon as it is sampled, then a \
            newline when standard output is a terminal (none when it is piped or redirected, so the \
            text is exactly prime + generated characters). An empty prime starts from the zero state \
            fed a newline (or a space, or token 0, when the vocabulary lacks it); prime characters \
            outside the vocabulary are fed as [UNK] when it exists, else left out, with a note on \
            stderr. Without --seed a random seed is drawn and printed to stderr, so a run can be \
            repeated. --compare prints the greedy and the sampled continuation one after the \
            other, each under a label line. --json prints, instead of text, one JSON object per \
            generated character: step, token, character, entropy_bits and surprisal_bits (of the \
            sampled distribution), surprisal_t1_bits (at T = 1), and the 5 most likely characters \
            with p (at T = 1) and p_sampled; with --compare each has "stream": "greedy" or "sampled". \
            Defaults that differ from play's: --temperature \(defaultTemperature) (play: \
            \(PlayState.defaultTemperature)), --length \(defaultLength) (play: \(PlayCommand.defaultLength)); \
            both use the same default checkpoint.
            """)

    static let defaultTemperature: Float = 1
    static let defaultLength = 200
    /// ln 2 nats make a bit: --json reports bits, as play does.
    private static let ln2 = Float(0.693_147_18)

    @Option(help: ArgumentHelp("A charrnn-v1 checkpoint (.safetensors).", discussion: ShippedCheckpoints.helpText))
    var checkpoint: String?
    @Option(help: "Text the model reads before it writes.") var prime: String = ""
    @Option(
        parsing: .unconditional, help: "Characters to generate, ≥ 0 (play's default: \(PlayCommand.defaultLength)).")
    var length = GenerateCommand.defaultLength
    @OptionGroup var sampling: SamplingOptions
    @Flag(help: "Print a greedy and a sampled continuation of the prime, labelled.") var compare = false
    @Flag(help: "One JSON line per generated character instead of text.") var json = false

    func validate() throws {
        try CLI.reportingErrors { try CLI.checkLength(length) }
    }

    func run() throws {
        try CLI.reportingErrors {
            let model = try CharRNNModel.load(path: try ShippedCheckpoints.resolve(checkpoint))
            let settings = sampling.settings(defaultTemperature: Self.defaultTemperature)
            let seed = sampling.randomSeed(announce: !settings.isDeterministic || compare)
            let session = try CLI.primedSession(
                model, prime: prime, streams: compare ? [.greedy, settings] : [settings], seed: seed, topCount: 5)
            for index in session.streams.indices {
                let label = compare ? (index == 0 ? "greedy" : "sampled") : nil
                if json {
                    for _ in 0..<length {
                        PlainTextWriter.write(
                            Self.jsonLine(session.step(stream: index), stream: label, vocabulary: session.vocabulary))
                    }
                } else {
                    if compare {
                        let title = index == 0 ? "greedy" : "\(settings.summary), seed \(seed)"
                        PlainTextWriter.write("\(index == 0 ? "" : "\n")=== \(title) ===\n")
                    }
                    PlainTextWriter.writeText(of: session, stream: index, length: length)
                }
            }
            if Self.endsWithNewline(compare: compare, json: json, toTerminal: CLI.standardOutputIsTerminal) {
                PlainTextWriter.write("\n")
            }
        }
    }

    /// Text output ends with a newline after --compare's two streams, and on a terminal (so the
    /// prompt starts on its own line); piped text is exactly what was generated.
    static func endsWithNewline(compare: Bool, json: Bool, toTerminal: Bool) -> Bool {
        !json && (compare || toTerminal)
    }

    static func jsonLine(_ step: StepReport, stream: String?, vocabulary: Vocabulary) -> String {
        var line = JSONObject()
        if let stream { line["stream"] = .string(stream) }
        line["step"] = .integer(step.step)
        line["token"] = .integer(step.token)
        line["character"] = .string(vocabulary.symbols[step.token])
        line["entropy_bits"] = .float(step.entropy / ln2)
        line["surprisal_bits"] = .float(step.surprisal / ln2)
        line["surprisal_t1_bits"] = .float(step.surprisalAtT1 / ln2)
        line["top"] = .array(
            step.top.map {
                .object([
                    "token": .integer($0.token), "character": .string(vocabulary.symbols[$0.token]),
                    "p": .float($0.probability), "p_sampled": .float($0.sampledProbability),
                ])
            })
        return line.text() + "\n"
    }
}
