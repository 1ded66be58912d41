import ArgumentParser
import CharRNN

/// `charrnn eval`: nats/char, bits/char and perplexity of a checkpoint on a text.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Mean negative log-likelihood of a text under a checkpoint.",
        discussion: """
            Scores text[1…] given text[…n−2], starting from a zero state and carrying it through \
            the whole text. Characters outside the vocabulary map to [UNK] when the vocabulary has \
            it; otherwise they are listed and the command fails. --skip-unknown leaves them out \
            instead (even with [UNK]), scores the rest as one text and says on stderr how many \
            were left out, and which. --held-out F scores only the \
            last fraction F of the text: on the training corpus with F = --val-fraction, that is the \
            tail `charrnn train` held out, and the figure equals its validation loss. On a \
            terminal, texts of \(NumberText.grouped(ProgressLine.threshold)) characters or more show a \
            progress line on stderr while they are scored.
            """)


    @Option(help: "A charrnn-v1 checkpoint.") var checkpoint: String
    @Option(help: "UTF-8 text to score.") var text: String
    @Option(
        parsing: .unconditional, help: "Score only the last FRACTION of the text's characters (train's held-out tail).")
    var heldOut: Double?
    @Flag(help: "Leave out characters outside the vocabulary (listed on stderr) instead of failing.")
    var skipUnknown = false
    @Flag(help: "Print one JSON line: chars, nats_per_char, bits_per_char, perplexity (and skipped).")
    var json = false
    @OptionGroup var precisionOptions: PrecisionOptions

    func validate() throws {
        if let f = heldOut, !(f > 0 && f < 1) {
            throw ValidationError("--held-out must be in (0, 1), got \(f)")
        }
    }

    func run() throws {
        try CLI.reportingErrors {
            let model = try CharRNNModel.load(path: checkpoint)
            var (tokens, skippedCount) = try Self.encode(text, model.vocabulary, skippingUnknown: skipUnknown)
            if let f = heldOut { tokens = Array(TrainingSettings.split(tokens, validationFraction: f).heldOut) }
            let r = try Self.evaluate(model, tokens: tokens, compute: precisionOptions.compute)
            if json {
                var line: JSONObject = [
                    "chars": .integer(r.characters), "nats_per_char": .double(r.natsPerCharacter),
                    "bits_per_char": .double(r.bitsPerCharacter), "perplexity": .double(r.perplexity),
                ]
                if let skippedCount { line["skipped"] = .integer(skippedCount) }
                print(line.text(spaced: true))
            } else {
                print("\(text): \(NumberText.grouped(r.characters)) characters scored")
                print(
                    "  \(NumberText.fixed(r.natsPerCharacter, decimals: 4)) nats/char, \(NumberText.fixed(r.bitsPerCharacter, decimals: 4)) bits/char, perplexity \(NumberText.fixed(r.perplexity, decimals: 3))"
                )
            }
        }
    }

    /// The text file at `path` as token ids: characters outside the vocabulary map to [UNK] or
    /// fail, or with `skippingUnknown` are left out, named on stderr and counted (`skipped`, nil
    /// without it). Shared with `read`.
    static func encode(
        _ path: String, _ vocabulary: Vocabulary, skippingUnknown: Bool
    ) throws -> (tokens: [Int32], skipped: Int?) {
        let scalars = try UTF8Text.read(path: path)
        guard skippingUnknown else { return (try vocabulary.encodeAll(scalars, what: path), nil) }
        let (ids, skipped) = vocabulary.encodeSkippingUnknown(scalars)
        if !skipped.isEmpty { CLI.printToStandardError("charrnn: " + skippedNote(skipped)) }
        return (ids, skipped.values.reduce(0, +))
    }

    /// The evaluation under `compute`, with a progress line on stderr for a long text (see `ProgressLine`).
    static func evaluate(_ model: CharRNNModel, tokens: [Int32], compute: ComputePolicy) throws -> EvaluationResult {
        let line = ProgressLine("scoring", characters: tokens.count)
        defer { line.finish() }
        return try Evaluation.evaluate(model, tokens: tokens, compute: compute) {
            line.update($0, of: $1)
        }
    }

    /// `skipped 4 characters outside the vocabulary: "é" ×3, "✓" ×1`, most frequent first (10 at most).
    static func skippedNote(_ skipped: [Unicode.Scalar: Int]) -> String {
        let ranked = skipped.sorted { ($0.value, $1.key.value) > ($1.value, $0.key.value) }
        var shown = ranked.prefix(10).map { String($0.key).debugDescription + " ×\($0.value)" }.joined(separator: ", ")
        if ranked.count > 10 { shown += ", … (\(ranked.count) distinct)" }
        let total = skipped.values.reduce(0, +)
        return "skipped \(NumberText.grouped(total)) character\(total == 1 ? "" : "s") outside the vocabulary: \(shown)"
    }
}
