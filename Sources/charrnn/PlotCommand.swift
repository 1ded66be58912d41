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
        guard TerminalChart.widths.contains(width), TerminalChart.heights.contains(height) else {
            let (w, h) = (TerminalChart.widths, TerminalChart.heights)
            throw ValidationError(
                "--width must be in \(w.lowerBound)…\(w.upperBound) and --height in \(h.lowerBound)…\(h.upperBound)")
        }
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
            let read = try LearningCurve.read(path: path)
            if !read.skippedLines.isEmpty {
                let skipped = read.skippedLines
                let lines = skipped.prefix(5).map(String.init).joined(separator: ", ")
                let more = skipped.count > 5 ? " and \(skipped.count - 5) more" : ""
                CLI.printToStandardError(
                    "charrnn: warning: \(PrintableText.escaped(path)): skipped line\(skipped.count == 1 ? "" : "s") "
                        + "\(lines)\(more): not a metrics record")
            }
            let (curve, skippedPoints) = read.chartable()
            if skippedPoints > 0 {
                CLI.printToStandardError(
                    "charrnn: \(PrintableText.escaped(path)): skipped \(skippedPoints) points whose loss is not finite")
            }
            guard !curve.train.isEmpty || !curve.validation.isEmpty else {
                throw CharRNNError("\(PrintableText.escaped(path)): no finite losses to plot")
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
