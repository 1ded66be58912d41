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
            "\r\u{1B}[2Kepoch \(p.epoch)/\(p.epochs) \(bar) \(p.batch)/\(p.batchesPerEpoch)  step \(p.step)  loss \(format(p.loss, 4))  \(grouped(Int(smoothedRate))) chars/s  ETA \(duration(remaining / smoothedRate))",
            terminator: "")
        drawn = true
    }

    func clear() {
        guard enabled, drawn else { return }
        CLI.printToStandardError("\r\u{1B}[2K", terminator: "")
        drawn = false
    }
}

func format(_ x: Double, _ decimals: Int) -> String {
    let scale = Double.pow10(decimals)
    let v = (x * scale).rounded() / scale
    if decimals == 0 { return String(Int(v)) }
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
        let have = s.distance(from: dot, to: s.endIndex) - 1
        if have < decimals { s += String(repeating: "0", count: decimals - have) }
    }
    return s
}

func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?" }
    let s = Int(seconds)
    return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
}

extension Double {
    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }
}
