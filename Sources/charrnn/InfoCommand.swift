import ArgumentParser
import CharRNN

/// `charrnn info CKPT`: what a checkpoint holds, without running it.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a checkpoint's architecture, vocabulary and metadata, or a training state's run.")

    @Argument(help: "A charrnn-v1 checkpoint (.safetensors) or a training state (.state).")
    var checkpoint: String

    func run() throws {
        try CLI.reportingErrors {
            let file = try SafetensorsFile.read(path: checkpoint)
            if SavedRun.isTrainingState(file) {
                print(Self.report(try SavedRun(file: file, path: checkpoint)))
            } else {
                print(Self.report(try Checkpoint.decode(file, name: checkpoint), path: checkpoint))
            }
        }
    }

    /// A training state: where the run stands, its settings, corpus and architecture.
    static func report(_ run: SavedRun) -> String {
        let s = run.settings
        let state = run.state
        let config = run.checkpoint.config
        let best = state["state.best_val"].flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
        var lines = [
            "file:         \(PrintableText.escaped(run.path))",
            "format:       \(state["state.format"] ?? "") (a training state: continue it with train --resume)",
            "run:          \(state["state.completed_epochs"] ?? "?") of \(s.epochs) epochs done, \(state["state.batch_index"] ?? "?") batches into the next, step \(state["state.step"] ?? "?")",
            "best val:     \(best.map { "\(NumberText.fixed($0, decimals: 4)) nats/char" } ?? "none yet")",
            "architecture: \(config.summary), dropout \(config.dropout)",
            "parameters:   \(NumberText.grouped(config.parameterCount))",
            "settings:     batch \(s.batchSize) × \(s.sequenceLength) characters, \(s.optimizer.rawValue), lr \(s.learningRate) (\(s.learningRateSchedule.summary)), clip \(s.clip), val-fraction \(s.validationFraction), seed \(s.seed), \(s.order.rawValue)",
            "corpus:       \(PrintableText.escaped(run.corpusPath ?? run.checkpoint.metadata["corpus"] ?? "not recorded")), \(state["state.corpus_characters"].flatMap(Int.init).map(NumberText.grouped) ?? "?") characters",
        ]
        for key in ["command", "resumed", "init_from"] {
            if let value = run.checkpoint.metadata[key] {
                lines.append(
                    "\(key):\(String(repeating: " ", count: max(1, 13 - key.count)))\(PrintableText.escaped(value))")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func report(_ checkpoint: Checkpoint, path: String) -> String {
        let config = checkpoint.config
        var lines = [
            "file:         \(PrintableText.escaped(path))",
            "format:       \(Checkpoint.format)",
            "architecture: \(config.summary)",
            "dropout:      \(config.dropout)",
            "parameters:   \(NumberText.grouped(config.parameterCount))",
            "vocabulary:   \(checkpoint.vocabulary.count) symbols",
        ]
        lines += wrapped(checkpoint.vocabulary.symbols.map(readableSymbol), indent: "  ", width: 78)
        if checkpoint.metadata.isEmpty {
            lines.append("metadata:     none")
        } else {
            lines.append("metadata:")
            for (key, value) in checkpoint.metadata.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(PrintableText.escaped(key)): \(PrintableText.escaped(value))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A vocabulary symbol as something visible: ⏎ for newline, ␣ for space, control pictures
    /// for other controls, ◌ under combining marks, U+XXXX for invisible or unassigned scalars.
    static func readableSymbol(_ symbol: String) -> String {
        guard symbol != Vocabulary.unknownSymbol, let scalar = symbol.unicodeScalars.first else { return symbol }
        switch scalar {
        case "\n": return "⏎"
        case " ": return "␣"
        case "\t": return "⇥"
        case "\u{00}"..."\u{1F}": return String(Unicode.Scalar(0x2400 + scalar.value)!)
        case "\u{7F}": return "␡"
        default: break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return "◌" + symbol
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse, .surrogate,
            .unassigned:
            return codePoint(scalar)
        default:
            return symbol
        }
    }

    private static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func wrapped(_ words: [String], indent: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in words {
            if line.count > indent.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        if line.count > indent.count { lines.append(line) }
        return lines
    }
}
