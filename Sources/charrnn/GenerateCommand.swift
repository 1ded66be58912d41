import ArgumentParser
import CharRNN

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SamplingMethod: ExpressibleByArgument {}

/// `charrnn generate`: continue a prime with a checkpoint, streaming each character as it is
/// sampled. The flags only fill `SamplerSettings`; sampling lives in the engine.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prime text with a trained checkpoint.",
        discussion: SamplerSettings.pipelineDescription + "\n\n" + """
            Output: the prime, then each generated character as soon as it is sampled; no newline \
            is added at the end. An empty prime starts from the zero state fed a newline (or a \
            space, or token 0, when the vocabulary lacks it); prime characters outside the \
            vocabulary are fed as [UNK] when it exists, else left out, with a note on stderr. \
            Without --seed a random seed is drawn and printed to stderr, so a run can be \
            repeated. --compare prints the greedy and the sampled continuation one after the \
            other, each under a label line. --json prints, instead of text, one JSON object per \
            generated character: step, token, character, entropy and surprisal (nats, of the \
            sampled distribution), surprisal_t1 (at T = 1), and the 5 most likely characters with \
            p (at T = 1) and p_sampled; with --compare each has "stream": "greedy" or "sampled".
            """)

    @Option(help: "A charrnn-v1 checkpoint (.safetensors).") var checkpoint: String
    @Option(help: "Text the model reads before it writes.") var prime: String = ""
    @Option(parsing: .unconditional, help: "Characters to generate (≥ 0).") var length: Int = 200
    @Option(parsing: .unconditional, help: "Divides the logits; 0 means greedy.") var temperature: Float = 1
    @Option(help: "greedy, multinomial or gumbel.") var sampler: SamplingMethod = .multinomial
    @Option(parsing: .unconditional, help: "Keep the k most likely characters (k ≥ 1).") var topK: Int?
    @Option(parsing: .unconditional, help: "Keep the most likely characters reaching probability p, p in (0, 1].")
    var topP: Float?
    @Option(parsing: .unconditional, help: "Keep characters with p ≥ min-p × the largest p, min-p in [0, 1).") var minP:
        Float?
    @Option(help: "Random seed (default: drawn at random and printed to stderr).") var seed: UInt64?
    @Flag(help: "Print a greedy and a sampled continuation of the prime, labelled.") var compare = false
    @Flag(help: "One JSON line per generated character instead of text.") var json = false

    var settings: SamplerSettings {
        SamplerSettings(method: sampler, temperature: temperature, topK: topK, topP: topP, minP: minP)
    }

    func run() throws {
        try CLI.reportingErrors {
            guard length >= 0 else { throw CharRNNError("--length must be at least 0, got \(length)") }
            let settings = self.settings
            try settings.validate()
            let model = try CharRNNModel.load(path: checkpoint)
            let session = try GenerationSession(model: model, topCount: 5, compute: .streamingFromEnvironment())
            let seed = self.seed ?? Self.randomSeed(announce: !settings.isDeterministic || compare)
            if compare { try session.addStream(settings: .greedy, seed: seed) }
            try session.addStream(settings: settings, seed: seed)
            let report = session.prime(with: prime)
            if let warning = report.warning { CLI.printToStandardError("charrnn: \(warning)") }

            var out = StandardOutput()
            for (index, stream) in session.streams.enumerated() {
                let label = compare ? (index == 0 ? "greedy" : "sampled") : nil
                if !json {
                    if compare {
                        let title = index == 0 ? "greedy" : "\(settings.summary), seed \(seed)"
                        out.send("\(index == 0 ? "" : "\n")=== \(title) ===\n")
                    }
                    out.send(stream.primeText)
                }
                for _ in 0..<length {
                    let step = session.step(stream: index)
                    if json {
                        out.send(Self.jsonLine(step, stream: label, vocabulary: model.vocabulary))
                    } else {
                        out.send(step.character)
                    }
                }
            }
            if compare && !json { out.send("\n") }
        }
    }

    /// A seed from the system's generator; printed to stderr when it matters.
    static func randomSeed(announce: Bool) -> UInt64 {
        var system = SystemRandomNumberGenerator()
        let seed = system.next() >> 1  // fits any tool that reads a signed 64-bit number
        if announce { CLI.printToStandardError("charrnn: --seed \(seed)") }
        return seed
    }

    static func jsonLine(_ step: StepReport, stream: String?, vocabulary: Vocabulary) -> String {
        func character(_ token: Int) -> String {
            vocabulary.symbols[token].jsonQuoted
        }
        let top = step.top.map {
            "{\"token\":\($0.token),\"character\":\(character($0.token)),\"p\":\(jsonNumber($0.probability)),\"p_sampled\":\(jsonNumber($0.sampledProbability))}"
        }
        var fields: [String] = []
        if let stream { fields.append("\"stream\":\(stream.jsonQuoted)") }
        fields += [
            "\"step\":\(step.step)", "\"token\":\(step.token)", "\"character\":\(character(step.token))",
            "\"entropy\":\(jsonNumber(step.entropy))", "\"surprisal\":\(jsonNumber(step.surprisal))",
            "\"surprisal_t1\":\(jsonNumber(step.surprisalAtT1))", "\"top\":[\(top.joined(separator: ","))]",
        ]
        return "{" + fields.joined(separator: ",") + "}\n"
    }
}

/// Finite numbers as Swift prints them (valid JSON); null otherwise.
private func jsonNumber(_ x: Float) -> String { x.isFinite ? "\(x)" : "null" }

/// Unbuffered standard output: each write goes out at once, so text streams as it is sampled.
private struct StandardOutput {
    private var bytes: [UInt8] = []

    mutating func send(_ text: String) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: text.utf8)
        flush()
    }

    mutating func send(_ scalar: Unicode.Scalar) {
        bytes.removeAll(keepingCapacity: true)
        UTF8.encode(scalar) { bytes.append($0) }
        flush()
    }

    private func flush() {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }  // stdout closed: nothing more to do with this character
            done += n
        }
    }
}
