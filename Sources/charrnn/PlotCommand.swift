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
            let (curve, skipped) = try LearningCurve.read(path: path).chartable()
            if skipped > 0 { CLI.printToStandardError("charrnn: \(path): skipped \(skipped) points whose loss is not finite") }
            guard !curve.train.isEmpty || !curve.validation.isEmpty else {
                throw CharRNNError("\(path): no finite losses to plot")
            }
            let title = metrics.split(separator: "/").last.map(String.init) ?? metrics
            print(TerminalChart(curve: curve, width: width, height: height).render(title: title))
            if let svg {
                try FileIO.writeAtomically(path: svg, bytes: Array(SVGChart(curve: curve, title: title).render().utf8))
                print("wrote \(svg)")
            }
        }
    }
}
