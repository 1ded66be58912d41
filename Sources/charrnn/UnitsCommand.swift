import ArgumentParser
import CharRNN

/// `charrnn units`: which hidden units of a model track quotes, brackets, the position in the
/// line, speaker names…, and any one unit's value after each character of a text.
struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Look inside a checkpoint: hidden units ranked against features of a text, and traced over it.",
        discussion: """
            Reads the text from a zero state carried through it (as `eval` does, with the same \
            characters-outside-the-vocabulary handling, --skip-unknown and --held-out) and, after \
            each character, takes every unit of every layer: GRU h, LSTM h and c (layers count \
            from 0, as PyTorch's _l0). For each feature (\(featureNames)) \
            the units are ranked by the absolute Pearson correlation of their value with the \
            feature over the text; a feature that never changes over the text is absent. --json \
            prints one line per feature, best unit first, `others` the next \(othersCount); \
            otherwise a table, then each feature's best unit tinted over the first --excerpt \
            characters (coloured backgrounds on a terminal, a line of marks under the text \
            otherwise). --trace L.KIND.I (0.h.17, 1.c.5; repeatable) prints one JSON line per \
            character and unit instead. --html writes a self-contained page with the tints of \
            every feature's best unit and of the --trace units.
            """)

    static let othersCount = 5
    static let featureNames = TextFeature.allCases.map(\.rawValue).joined(separator: ", ")

    @Option(help: ArgumentHelp("A charrnn-v1 checkpoint (.safetensors).", discussion: ShippedCheckpoints.helpText))
    var checkpoint: String?
    @Option(help: "UTF-8 text to read.") var text: String
    @Option(
        parsing: .unconditional, help: "Read only the last FRACTION of the text's characters (train's held-out tail).")
    var heldOut: Double?
    @Flag(help: "Leave out characters outside the vocabulary (listed on stderr) instead of failing.")
    var skipUnknown = false
    @Flag(help: "One JSON line per feature: its best unit, correlation and the next best units.") var json = false
    @Option(help: "A unit LAYER.KIND.INDEX (0.h.17): one JSON line per character with its value. Repeatable.")
    var trace: [String] = []
    @Option(help: "Write a self-contained HTML page of the tinted text here.") var html: String?
    @Option(help: "Characters tinted, from the start of the text: 1…\(NumberText.grouped(maxExcerpt)).")
    var excerpt = 200
    @OptionGroup var precisionOptions: PrecisionOptions

    static let maxExcerpt = 100_000

    func validate() throws {
        if let f = heldOut, !(f > 0 && f < 1) { throw ValidationError("--held-out must be in (0, 1), got \(f)") }
        guard (1...Self.maxExcerpt).contains(excerpt) else {
            throw ValidationError("--excerpt must be in 1…\(Self.maxExcerpt), got \(excerpt)")
        }
        if json && !trace.isEmpty { throw ValidationError("--json and --trace both print JSON lines: choose one") }
    }

    func run() throws {
        try CLI.reportingErrors {
            if let html {
                try FileIO.checkReplaceable(html)
                for input in [text, checkpoint].compactMap(\.self) where FileIO.sameFile(html, input) {
                    throw CharRNNError("\(html) is \(input), an input: choose another --html")
                }
            }
            let path = try ShippedCheckpoints.resolve(checkpoint)
            let model = try CharRNNModel.load(path: path)
            var (tokens, _) = try EvalCommand.encode(text, model.vocabulary, skippingUnknown: skipUnknown)
            if let f = heldOut { tokens = Array(TrainingSettings.split(tokens, validationFraction: f).heldOut) }
            guard tokens.count >= 2 else {
                throw CharRNNError("\(text): looking inside needs a text of at least 2 characters, has \(tokens.count)")
            }
            let traced = try trace.map { try HiddenUnit(parsing: $0, in: model.config) }
            let streaming = StreamingModel(model, compute: precisionOptions.compute)
            let symbols = model.vocabulary.symbols
            if !traced.isEmpty {
                try streaming.forEachState(tokens) { position, state in
                    for unit in traced {
                        print(Self.traceLine(position, symbols[Int(tokens[position])], unit, state).text(spaced: true))
                    }
                }
                guard html != nil else { return }
            }
            let line = ProgressLine("ranking units", characters: tokens.count)
            let ranking = try UnitRanking.rank(streaming, tokens: tokens) { line.update($0, of: $1) }
            line.finish()
            let showTable = !json && traced.isEmpty
            if json {
                for feature in TextFeature.allCases { print(Self.jsonLine(feature, ranking).text(spaced: true)) }
            }
            guard showTable || html != nil else { return }
            let tint = try UnitsTint(streaming, tokens: Array(tokens.prefix(excerpt)), ranking: ranking, traced: traced)
            if showTable {
                let name = "\(PrintableText.escaped(path)) (\(model.config.architecture))"
                print("\(name) over \(NumberText.grouped(tokens.count)) characters of \(PrintableText.escaped(text))")
                print(tint.report(ranking, colour: CLI.standardOutputIsTerminal))
            }
            if let html {
                let page = UnitsPage(tint: tint, checkpoint: path, text: text, characters: tokens.count)
                try FileIO.writeAtomically(path: html, bytes: Array(page.html.text.utf8))
                CLI.printToStandardError("wrote \(PrintableText.escaped(html))")
            }
        }
    }

    static func traceLine(_ position: Int, _ symbol: String, _ unit: HiddenUnit, _ state: StreamingState) -> JSONObject
    {
        [
            "index": .integer(position), "char": .string(symbol), "unit": .string(unit.description),
            "activation": .float(state.value(of: unit)),
        ]
    }

    /// `{"feature", "layer", "kind", "unit", "correlation", "others": [{layer, kind, unit, correlation}…]}`;
    /// `{"feature", "absent": true}` when no unit correlates (the feature is constant over the text).
    static func jsonLine(_ feature: TextFeature, _ ranking: UnitRanking) -> JSONObject {
        func fields(_ entry: UnitRanking.Entry) -> JSONObject {
            [
                "layer": .integer(entry.unit.layer), "kind": .string(entry.unit.kind.rawValue),
                "unit": .integer(entry.unit.index), "correlation": .double(entry.correlation),
            ]
        }
        var line: JSONObject = ["feature": .string(feature.rawValue)]
        let ranked = ranking.ranked(feature)
        guard let best = ranked.first else {
            line["absent"] = true
            return line
        }
        for (key, value) in fields(best).members { line[key] = value }
        line["others"] = .array(ranked.dropFirst().prefix(othersCount).map { .object(fields($0)) })
        return line
    }
}
