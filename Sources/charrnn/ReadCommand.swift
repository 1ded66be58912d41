import ArgumentParser
import CharRNN

/// `charrnn read`: a text through a model's eyes — how probable it found each character, where
/// that character stood in its ranking, and what it expected instead.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "How a checkpoint reads a text: each character's probability, rank and surprisal.",
        discussion: """
            Reads the text as `eval` scores it (from a zero state carried through the whole text, \
            the same characters-outside-the-vocabulary handling and --skip-unknown) and reports, \
            for every character after the first, the probability the model gave it, its rank among \
            all characters (1 = the model's first choice; ties share the better rank), its \
            surprisal in bits, the entropy of the distribution and the model's top candidates. \
            --json prints one JSON line per character, then a summary line (chars, nats_per_char, \
            bits_per_char, perplexity, rank_histogram). Otherwise, on a terminal, the text is \
            printed coloured by rank (green 1, yellow 2-3, orange 4-10, red 11+) with a legend, \
            then the summary; off a terminal, only the summary. --html OUT writes a page that \
            shows the text coloured by rank and, for the character under the pointer, the model's \
            top candidates (the text is then not printed). --dynamic lets the model keep learning \
            on the text as it reads it (dynamic evaluation, Krause et al. 2018): each chunk of \
            --dynamic-chunk characters is scored first, then the model takes one gradient step on \
            it, the state carried on; the figures reported are the scores. It learns on a copy: \
            the checkpoint is never changed. The summary then also gives the settings and the \
            static reading's nats/char (the --json summary line's `dynamic` object).
            """)

    @Option(help: ArgumentHelp("A charrnn-v1 checkpoint (.safetensors).", discussion: ShippedCheckpoints.helpText))
    var checkpoint: String?
    @Option(help: "UTF-8 text to read.") var text: String
    @Option(
        parsing: .unconditional, help: "Candidates per character in --json and --html, 1…\(TextReading.maxTopCount).")
    var top = 5
    @Flag(help: "Leave out characters outside the vocabulary (listed on stderr) instead of failing.")
    var skipUnknown = false
    @Flag(help: "One JSON line per predicted character, then a summary line.") var json = false
    @Option(help: "Write a self-contained HTML page of the reading to this file.") var html: String?
    @OptionGroup var dynamicOptions: DynamicEvaluationOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    /// ANSI colours of the rank buckets, in `RankBucket` order: green, yellow, orange, red.
    static let colours = ["\u{1B}[32m", "\u{1B}[33m", "\u{1B}[38;5;208m", "\u{1B}[1;31m"]
    static let reset = "\u{1B}[0m"

    func validate() throws {
        try CLI.reportingErrors {
            let precision = precisionOptions.precision
            if dynamicOptions.dynamic && precision != .float32 {
                throw CharRNNError(
                    "--dynamic learns as it reads, in float32 only: leave out --precision \(precision.rawValue)")
            }
        }
    }

    func run() throws {
        try CLI.reportingErrors {
            guard (1...TextReading.maxTopCount).contains(top) else {
                throw CharRNNError("--top must be in 1…\(TextReading.maxTopCount), got \(top)")
            }
            let path = try ShippedCheckpoints.resolve(checkpoint)
            if let html {
                try FileIO.checkReplaceable(html)
                for (input, flag) in [(text, "--text"), (path, "--checkpoint")] where FileIO.sameFile(html, input) {
                    throw CharRNNError("\(PrintableText.escaped(html)) is the \(flag) file: choose another --html")
                }
            }
            let model = try CharRNNModel.load(path: path)
            let (tokens, skipped) = try EvalCommand.encode(text, model.vocabulary, skippingUnknown: skipUnknown)
            guard tokens.count >= 2 else {
                throw CharRNNError("\(text): a text to read needs at least 2 characters, has \(tokens.count)")
            }
            let compute = precisionOptions.compute
            let kept = json || html != nil ? top : 0
            let learning = try dynamicOptions.settings()
            let line = ProgressLine("learning while reading", characters: tokens.count)
            let reading =
                try learning.map {
                    defer { line.finish() }
                    return try TextReading.read(model, tokens: tokens, top: kept, learning: $0, compute: compute) {
                        line.update($0, of: $1)
                    }
                } ?? TextReading.read(model, tokens: tokens, top: kept, compute: compute)
            let comparison: Comparison? = try learning.map {
                ($0, try EvalCommand.evaluate(model, tokens: tokens, compute: compute).natsPerCharacter)
            }
            let symbols = model.vocabulary.symbols
            if let html {
                let page = ReadPage(
                    reading: reading, symbols: symbols, checkpoint: path, textPath: text, dynamic: comparison)
                try FileIO.writeAtomically(path: html, bytes: Array(page.html.utf8))
            }
            if json {
                for (offset, figures) in reading.characters.enumerated() {
                    print(Self.jsonLine(position: offset + 1, figures, reading, symbols).text(spaced: true))
                }
                print(Self.summaryJSON(reading, skipped: skipped, dynamic: comparison).text(spaced: true))
            } else {
                if CLI.standardOutputIsTerminal && html == nil { print(Self.colouredText(reading, symbols)) }
                for line in Self.summaryLines(reading, path: text, dynamic: comparison) { print(line) }
            }
            if let html { CLI.printToStandardError("charrnn: wrote \(PrintableText.escaped(html))") }
        }
    }

    static func jsonLine(
        position: Int, _ figures: CharacterReading, _ reading: TextReading, _ symbols: [String]
    ) -> JSONObject {
        let top = reading.candidates(at: position).map {
            JSONValue.array([.string(symbols[Int($0.token)]), .float($0.probability)])
        }
        return [
            "index": .integer(position), "char": .string(symbols[Int(figures.token)]),
            "prob": .float(figures.probability), "rank": .integer(Int(figures.rank)),
            "bits": .float(figures.surprisalBits), "entropy_bits": .float(figures.entropyBits), "top": .array(top),
        ]
    }

    /// The settings of a dynamic reading and the static reading's nats/char, beside it.
    typealias Comparison = (settings: DynamicEvaluationSettings, staticNatsPerCharacter: Double)

    /// `eval --json`'s figures plus the rank histogram (and `skipped` with --skip-unknown; with
    /// --dynamic, `dynamic`: method, lr, chunk and the static reading's nats_per_char).
    static func summaryJSON(_ reading: TextReading, skipped: Int?, dynamic: Comparison? = nil) -> JSONObject {
        let r = reading.summary
        var histogram = JSONObject()
        for (bucket, count) in zip(RankBucket.allCases, reading.rankHistogram) {
            histogram[bucket.label] = .integer(count)
        }
        var line: JSONObject = [
            "chars": .integer(r.characters), "nats_per_char": .double(r.natsPerCharacter),
            "bits_per_char": .double(r.bitsPerCharacter), "perplexity": .double(r.perplexity),
            "rank_histogram": .object(histogram),
        ]
        if let skipped { line["skipped"] = .integer(skipped) }
        if let dynamic {
            let s = dynamic.settings
            line["dynamic"] = .object([
                "method": .string(s.method.rawValue), "lr": .float(s.learningRate), "chunk": .integer(s.chunkLength),
                "static_nats_per_char": .double(dynamic.staticNatsPerCharacter),
            ])
        }
        return line
    }

    /// The text, each predicted character in its bucket's colour (control characters other than
    /// newline escaped, so the text cannot drive the terminal), then the legend.
    static func colouredText(_ reading: TextReading, _ symbols: [String]) -> String {
        func shown(_ token: Int32) -> String {
            let symbol = symbols[Int(token)]
            return symbol == "\n" ? symbol : PrintableText.escaped(symbol)
        }
        var out = shown(reading.tokens[0])
        for c in reading.characters {
            out += colours[c.bucket.rawValue] + shown(c.token) + reset
        }
        let legend = RankBucket.allCases.map { colours[$0.rawValue] + $0.label + reset }.joined(separator: " ")
        return out + "\n\nrank: " + legend
    }

    /// Eval's two summary lines, then the share of characters in each rank bucket.
    static func summaryLines(_ reading: TextReading, path: String, dynamic: Comparison? = nil) -> [String] {
        let r = reading.summary
        let shares = zip(RankBucket.allCases, reading.rankHistogram).map { bucket, count in
            let percent = NumberText.fixed(100 * Double(count) / Double(r.characters), decimals: 1)
            return "\(bucket.label): \(NumberText.grouped(count)) (\(percent)%)"
        }
        let nats = NumberText.fixed(r.natsPerCharacter, decimals: 4)
        let bits = NumberText.fixed(r.bitsPerCharacter, decimals: 4)
        var lines = [
            "\(PrintableText.escaped(path)): \(NumberText.grouped(r.characters)) characters read",
            "  \(nats) nats/char, \(bits) bits/char, perplexity \(NumberText.fixed(r.perplexity, decimals: 3))",
            "  rank " + shares.joined(separator: ", "),
        ]
        if let dynamic {
            let statics = NumberText.fixed(dynamic.staticNatsPerCharacter, decimals: 4)
            lines.append("  dynamic evaluation (\(dynamic.settings.summary)); the static reading: \(statics) nats/char")
        }
        return lines
    }
}
