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
            it; otherwise they are listed and the command fails. --held-out F scores only the \
            last fraction F of the text: on the training corpus with F = --val-fraction, that is the \
            tail `charrnn train` held out, and the figure equals its validation loss.
            """)

    @Option(help: "A charrnn-v1 checkpoint.") var checkpoint: String
    @Option(help: "UTF-8 text to score.") var text: String
    @Option(
        parsing: .unconditional, help: "Score only the last FRACTION of the text's characters (train's held-out tail).")
    var heldOut: Double?
    @Flag(help: "Print one JSON line: chars, nats_per_char, bits_per_char, perplexity.") var json = false

    func validate() throws {
        if let f = heldOut, !(f > 0 && f < 1) {
            throw ValidationError("--held-out must be in (0, 1), got \(f)")
        }
    }

    func run() throws {
        try CLI.reportingErrors {
            let model = try CharRNNModel.load(path: checkpoint)
            var tokens = try model.vocabulary.encodeAll(try UTF8Text.read(path: text), what: text)
            if let f = heldOut { tokens = Array(TrainingSettings.split(tokens, validationFraction: f).heldOut) }
            let r = try Evaluation.evaluate(model, tokens: tokens, compute: .forCommand(training: false))
            if json {
                let line: JSONObject = [
                    "chars": .integer(r.characters), "nats_per_char": .double(r.natsPerCharacter),
                    "bits_per_char": .double(r.bitsPerCharacter), "perplexity": .double(r.perplexity),
                ]
                print(line.text(spaced: true))
            } else {
                print("\(text): \(NumberText.grouped(r.characters)) characters scored")
                print(
                    "  \(NumberText.fixed(r.natsPerCharacter, decimals: 4)) nats/char, \(NumberText.fixed(r.bitsPerCharacter, decimals: 4)) bits/char, perplexity \(NumberText.fixed(r.perplexity, decimals: 3))"
                )
            }
        }
    }
}
