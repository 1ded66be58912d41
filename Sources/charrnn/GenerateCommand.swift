import ArgumentParser
import CharRNN
import CharRNNPlay

/// `charrnn generate`: continue a prime with a checkpoint, streaming each character as it is
/// sampled; or several streams one after the other (--compare), or two checkpoints (--versus).
/// The flags only fill engine values (`SamplerSettings`, `StreamSpec`); sampling lives in the engine.
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
            repeated. --sampler beam prints the best beam of --length characters once the search \
            ends (a width beyond the vocabulary size is capped, with a note on stderr). \
            --compare [STREAMS] prints several continuations one after the other, each under a \
            label line: STREAMS is a comma-separated list of 1 to \(StreamSpec.maximumCount) of greedy, \
            sampled (the sampling flags), tX (the sampling flags at temperature X) and beam:K (beam \
            search of width K), default \(StreamSpec.defaultList). --versus CKPT continues the same \
            prime with a second checkpoint, with the same settings and seed, and prints both \
            continuations, each under a label line. --json prints, instead of text, one JSON \
            object per generated character: step, token, character, entropy_bits and surprisal_bits \
            (of the sampled distribution), surprisal_t1_bits (at T = 1), and the 5 most likely \
            characters with p (at T = 1) and p_sampled; with --compare each has "stream": the spec \
            as written; a beam stream prints per step its best beam so far: text and \
            log_probability (nats). With --versus each line holds step, "first" and "second" (each \
            model's object) and kl_bits: KL(first ‖ second) between the two models' next-character \
            distributions at T = 1, each after its own text so far, over the union of their \
            vocabularies (a symbol one lacks has probability 0 there; both are smoothed by 1e-6 so it \
            stays finite). \
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
    @OptionGroup var precisionOptions: PrecisionOptions
    @Flag(help: "Print several continuations of the prime, labelled: the streams that follow, else greedy and sampled.")
    var compare = false
    @Argument(
        help: ArgumentHelp(
            "With --compare: comma-separated streams, e.g. greedy,beam:5,t0.5,t1.0.", valueName: "streams"))
    var streams: String?
    @Option(help: "A second checkpoint to continue the same prime with, for comparison.") var versus: String?
    @Flag(help: "One JSON line per generated character instead of text.") var json = false

    func validate() throws {
        try CLI.reportingErrors {
            try CLI.checkLength(length)
            if let streams, !compare { throw CharRNNError("streams \"\(streams)\" need --compare before them") }
            if versus != nil && compare { throw CharRNNError("--versus and --compare cannot be combined") }
            if versus != nil && sampling.sampler == .beam {
                throw CharRNNError("--versus compares sampled streams, not --sampler beam")
            }
        }
    }

    func run() throws {
        try CLI.reportingErrors {
            let path = try ShippedCheckpoints.resolve(checkpoint)
            let model = try CharRNNModel.load(path: path)
            let settings = sampling.settings(defaultTemperature: Self.defaultTemperature)
            if let versus {
                let second = try ShippedCheckpoints.resolve(versus)
                try runVersus([path, second], model, try CharRNNModel.load(path: second), settings)
                return
            }
            let specs =
                compare
                ? try StreamSpec.parseList(streams ?? StreamSpec.defaultList, base: settings)
                : [try StreamSpec("sampled", base: settings)]
            let seed = sampling.randomSeed(announce: specs.contains { !$0.settings.isDeterministic })
            let sampled = specs.map(\.settings).filter { $0.method != .beam }
            let session = try CLI.primedSession(
                model, prime: prime, streams: sampled, seed: seed, topCount: 5, compute: precisionOptions.compute)
            var streamIndex = 0
            for (index, spec) in specs.enumerated() {
                let label = compare ? spec.name : nil
                if spec.settings.method == .beam {
                    try writeBeam(session, width: spec.settings.beamWidth, label: label, index: index)
                } else {
                    writeSampled(session, stream: streamIndex, label: label, index: index, seed: seed)
                    streamIndex += 1
                }
            }
            if Self.endsWithNewline(compare: compare, json: json, toTerminal: CLI.standardOutputIsTerminal) {
                PlainTextWriter.write("\n")
            }
        }
    }

    /// A sampled stream: its JSON lines, or its text under a title when labelled (--compare).
    private func writeSampled(_ session: GenerationSession, stream: Int, label: String?, index: Int, seed: UInt64) {
        if json {
            for _ in 0..<length {
                let report = session.step(stream: stream)
                PlainTextWriter.write(
                    Self.jsonObject(report, stream: label, vocabulary: session.vocabulary).text() + "\n")
            }
            return
        }
        if label != nil {
            let settings = session.streams[stream].settings
            Self.writeTitle(settings.summary + (settings.isDeterministic ? "" : ", seed \(seed)"), index: index)
        }
        PlainTextWriter.writeText(of: session, stream: stream, length: length)
    }

    /// A beam search: per step its best beam as a JSON line, or (text) the best beam once it ends.
    private func writeBeam(_ session: GenerationSession, width: Int, label: String?, index: Int) throws {
        let search = try BeamSearch(session: session, width: width)
        if search.width < search.requestedWidth {
            CLI.printToStandardError(
                "charrnn: beam width \(width) is more than the \(search.width) characters in the vocabulary: "
                    + "using \(search.width)")
        }
        if json {
            for step in 0..<length {
                let best = search.step()
                var line = JSONObject()
                if let label { line["stream"] = .string(label) }
                line["step"] = .integer(step)
                line["text"] = .string(best.text)
                line["log_probability"] = .double(best.logProbability)
                PlainTextWriter.write(line.text() + "\n")
            }
            return
        }
        let best = search.run(length: length)
        if label != nil {
            let score = NumberText.fixed(best.logProbability, decimals: 3)
            Self.writeTitle("beam \(search.width), log-probability \(score)", index: index)
        }
        PlainTextWriter.write(session.prime + best.text)
    }

    /// --versus: both continuations, labelled by checkpoint; or per step both reports and their KL.
    private func runVersus(
        _ paths: [String], _ first: CharRNNModel, _ second: CharRNNModel, _ settings: SamplerSettings
    ) throws {
        let seed = sampling.randomSeed(announce: !settings.isDeterministic)
        let comparison = try ModelComparison(
            first, second, settings: settings, seed: seed, topCount: 5, compute: precisionOptions.compute)
        let names = paths.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        let reports = comparison.prime(with: prime)
        for (name, report) in zip(names, [reports.first, reports.second]) {
            if let warning = report.warning { CLI.printToStandardError("charrnn: \(name): \(warning)") }
        }
        if json {
            for step in 0..<length {
                let both = comparison.step()
                let line: JSONObject = [
                    "step": .integer(step),
                    "first": .object(Self.jsonObject(both.first, stream: nil, vocabulary: comparison.first.vocabulary)),
                    "second": .object(
                        Self.jsonObject(both.second, stream: nil, vocabulary: comparison.second.vocabulary)),
                    "kl_bits": .double(both.klDivergenceBits),
                ]
                PlainTextWriter.write(line.text() + "\n")
            }
            return
        }
        for (index, (name, session)) in zip(names, [comparison.first, comparison.second]).enumerated() {
            Self.writeTitle(
                "\(name): \(settings.summary)" + (settings.isDeterministic ? "" : ", seed \(seed)"), index: index)
            PlainTextWriter.writeText(of: session, stream: 0, length: length)
        }
        PlainTextWriter.write("\n")
    }

    /// Text output ends with a newline after --compare's streams, and on a terminal (so the
    /// prompt starts on its own line); piped text is exactly what was generated.
    static func endsWithNewline(compare: Bool, json: Bool, toTerminal: Bool) -> Bool {
        !json && (compare || toTerminal)
    }

    /// A label line; every one but the first starts on a new line after the text before it.
    private static func writeTitle(_ title: String, index: Int) {
        PlainTextWriter.write("\(index == 0 ? "" : "\n")=== \(title) ===\n")
    }

    static func jsonObject(_ step: StepReport, stream: String?, vocabulary: Vocabulary) -> JSONObject {
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
        return line
    }
}
