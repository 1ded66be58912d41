import CharRNN

/// The live training bar on a terminal's stderr: step, loss, chars/s and ETA, redrawn in place.
final class ProgressBar {
    let enabled: Bool
    private var smoothedRate = 0.0
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: StepProgress) {
        guard enabled else { return }
        smoothedRate = smoothedRate == 0 ? p.charactersPerSecond : 0.9 * smoothedRate + 0.1 * p.charactersPerSecond
        let width = 24
        let filled = width * p.batch / max(1, p.batchesPerEpoch)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let remaining = Double(p.batchesPerEpoch - p.batch) * Double(p.charactersPerBatch)
        CLI.printToStandardError(
            "\r\u{1B}[2Kepoch \(p.epoch)/\(p.epochs) \(bar) \(p.batch)/\(p.batchesPerEpoch)  step \(p.step)  loss \(NumberText.fixed(p.loss, decimals: 4))  \(NumberText.grouped(Int(smoothedRate))) chars/s  ETA \(NumberText.duration(seconds: remaining / smoothedRate))",
            terminator: "")
        drawn = true
    }

    func clear() {
        guard enabled, drawn else { return }
        CLI.printToStandardError("\r\u{1B}[2K", terminator: "")
        drawn = false
    }
}
