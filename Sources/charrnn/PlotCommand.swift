import ArgumentParser
import CharRNN

/// `charrnn plot`: the learning curve of a training run, as SVG and in the terminal.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a run's learning curve (train and validation nats/char).",
        discussion: "Reads CKPT.metrics.jsonl (or the file given), writes an SVG with --svg and prints a chart.")

    @Argument(help: "A checkpoint (its .metrics.jsonl beside it is read) or a metrics file.")
    var metrics: String
    @Option(help: "Write the curve as an SVG file here.") var svg: String?
    @Option(help: "Terminal chart width in columns.") var width = 72
    @Option(help: "Terminal chart height in rows.") var height = 16

    func validate() throws {
        guard width >= 20, height >= 5 else { throw ValidationError("--width ≥ 20 and --height ≥ 5 are required") }
    }

    func run() throws {
        try CLI.reportingErrors {
            let path = metrics.hasSuffix(".jsonl") ? metrics : TrainingPaths(checkpoint: metrics).metrics
            if let svg {
                try FileIO.checkReplaceable(svg)
                guard !FileIO.sameFile(svg, path) else {
                    throw CharRNNError("\(PrintableText.escaped(svg)) is the metrics file: choose another --svg")
                }
            }
            let curve = try LearningCurve.read(path: path)
            if !curve.skippedLines.isEmpty {
                let skipped = curve.skippedLines
                let lines = skipped.prefix(5).map(String.init).joined(separator: ", ")
                let more = skipped.count > 5 ? " and \(skipped.count - 5) more" : ""
                CLI.printToStandardError(
                    "charrnn: warning: \(PrintableText.escaped(path)): skipped line\(skipped.count == 1 ? "" : "s") "
                        + "\(lines)\(more): not a metrics record")
            }
            let title = metrics.split(separator: "/").last.map(String.init) ?? metrics
            print(TerminalChart(curve: curve, width: width, height: height).render(title: PrintableText.escaped(title)))
            if let svg {
                try FileIO.writeAtomically(path: svg, bytes: Array(SVGChart(curve: curve, title: title).render().utf8))
                print("wrote \(PrintableText.escaped(svg))")
            }
        }
    }
}
