import CharRNN

/// A one-line progress report on stderr for a long pass over a text (`eval`, `read --dynamic`,
/// `units`): "scoring: 42% of 505,729 characters", redrawn in place at each whole percent, and
/// cleared by `finish()`. Silent unless stderr is a terminal and the text has at least
/// `threshold` characters, so piped output and logs stay clean.
final class ProgressLine {
    static let threshold = 100_000

    private let verb: String
    private let showing: Bool
    private var shownPercent: Int?

    init(_ verb: String, characters: Int) {
        self.verb = verb
        showing = characters >= Self.threshold && CLI.standardErrorIsTerminal
    }

    func update(_ done: Int, of total: Int) {
        let percent = 100 * done / max(1, total)
        guard showing, percent != shownPercent else { return }
        shownPercent = percent
        CLI.printToStandardError(
            "\r\u{1B}[2K\(verb): \(percent)% of \(NumberText.grouped(total)) characters", terminator: "")
    }

    func finish() {
        if shownPercent != nil { CLI.printToStandardError("\r\u{1B}[2K", terminator: "") }
        shownPercent = nil
    }
}
