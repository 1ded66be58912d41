import CharRNN

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Training progress on stderr. On a terminal: one line redrawn in place after every step, fitted
/// to the terminal's width (fields shortened or dropped, never wrapped). Otherwise (a log file):
/// a plain line every `plainEverySeconds`, so long epochs still show progress.
final class ProgressBar {
    let terminal: Bool
    let plainEverySeconds: Double
    private var smoothedRate = 0.0
    private var drawn = false
    private let clock = ContinuousClock()
    private var lastPlainLine: ContinuousClock.Instant

    init(terminal: Bool, plainEverySeconds: Double) {
        self.terminal = terminal
        self.plainEverySeconds = plainEverySeconds
        lastPlainLine = clock.now
    }

    func update(_ p: StepProgress) {
        smoothedRate = smoothedRate == 0 ? p.charactersPerSecond : 0.9 * smoothedRate + 0.1 * p.charactersPerSecond
        if terminal {
            // One column spare: a line that fills the last column wraps on some terminals.
            let line = Self.line(p, charactersPerSecond: smoothedRate, width: Self.terminalWidth() - 1)
            CLI.printToStandardError("\r\u{1B}[2K" + line, terminator: "")
            drawn = true
        } else if clock.now - lastPlainLine >= .seconds(plainEverySeconds) {
            lastPlainLine = clock.now
            CLI.printToStandardError(
                Self.fields(p, charactersPerSecond: smoothedRate, barWidth: 0).map(\.text).joined(separator: "  "))
        }
    }

    func clear() {
        guard terminal, drawn else { return }
        CLI.printToStandardError("\r\u{1B}[2K", terminator: "")
        drawn = false
    }

    /// A field of the line; the lower `keep`, the longer it stays as the width shrinks.
    struct Field {
        var text: String
        var keep: Int
        var isBar = false
    }

    /// The fields in display order; the bar only when `barWidth` > 0.
    static func fields(_ p: StepProgress, charactersPerSecond rate: Double, barWidth: Int) -> [Field] {
        let stepsLeft = (p.epochs - p.epoch) * p.batchesPerEpoch + (p.batchesPerEpoch - p.batch)
        let eta = NumberText.duration(seconds: Double(stepsLeft) * Double(p.charactersPerBatch) / rate)
        var fields = [Field(text: "epoch \(p.epoch)/\(p.epochs)", keep: 0)]
        if barWidth > 0 { fields.append(Field(text: bar(p, width: barWidth), keep: 5, isBar: true)) }
        fields += [
            Field(text: "\(p.batch)/\(p.batchesPerEpoch)", keep: 4),
            Field(text: "step \(NumberText.grouped(p.step))", keep: 3),
            Field(text: "loss \(NumberText.fixed(p.loss, decimals: 4))", keep: 1),
            Field(text: "\(NumberText.grouped(Int(rate))) chars/s", keep: 6),
            Field(text: "ETA \(eta)", keep: 2),
        ]
        return fields
    }

    /// The terminal line for `width` columns: the bar shrinks from 24 to 8 cells, then fields go
    /// (chars/s, batch count, bar, step, ETA, loss); the last resort cuts the epoch field.
    static func line(_ p: StepProgress, charactersPerSecond rate: Double, width: Int) -> String {
        let separator = "  "
        var fields = fields(p, charactersPerSecond: rate, barWidth: 24)
        while true {
            let length = fields.map(\.text.count).reduce(0, +) + separator.count * (fields.count - 1)
            if length <= width { break }
            if let b = fields.firstIndex(where: \.isBar), fields[b].text.count > 8 {
                let shorter = max(8, fields[b].text.count - (length - width))
                fields[b].text = bar(p, width: shorter)
                continue
            }
            guard fields.count > 1, let drop = fields.indices.max(by: { fields[$0].keep < fields[$1].keep }) else {
                return String(fields[0].text.prefix(max(0, width)))
            }
            fields.remove(at: drop)
        }
        return fields.map(\.text).joined(separator: separator)
    }

    /// The epoch's share done, in `width` cells.
    static func bar(_ p: StepProgress, width: Int) -> String {
        let filled = width * p.batch / max(1, p.batchesPerEpoch)
        return String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    }

    /// Columns of the terminal on stderr (80 when it cannot say).
    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
