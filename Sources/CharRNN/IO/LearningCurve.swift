/// The learning curve a training run records beside its checkpoint (CKPT.metrics.jsonl):
/// a line every few steps with the training loss, and a line per epoch with validation too.
public struct LearningCurve: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public let step: Int
        public let value: Double
    }

    /// Training loss (nats/char) at logged steps.
    public var train: [Point] = []
    /// Validation loss (nats/char) at the end of each epoch, by step.
    public var validation: [Point] = []
    /// Training throughput at logged steps.
    public var charactersPerSecond: [Point] = []

    /// Line numbers (from 1) of lines that are not metrics records (a line cut short by a full
    /// disk in an older run, say): left out of the curve.
    public var skippedLines: [Int] = []

    public init() {}

    /// Parses a metrics file, skipping lines that are not records; a file with no record at
    /// all is an error.
    public static func read(path: String) throws -> LearningCurve {
        let text = String(decoding: try FileIO.readAll(path: path), as: UTF8.self)
        var curve = LearningCurve()
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let (step, fields) = record(line) else {
                curve.skippedLines.append(i + 1)
                continue
            }
            if let v = fields["val_loss"]?.number {
                curve.validation.append(Point(step: step, value: v))
            } else if let t = fields["train_loss"]?.number {
                curve.train.append(Point(step: step, value: t))
            }
            if let c = fields["chars_per_s"]?.number, fields["val_loss"] == nil {
                curve.charactersPerSecond.append(Point(step: step, value: c))
            }
        }
        guard !curve.train.isEmpty || !curve.validation.isEmpty else {
            throw CharRNNError("\(PrintableText.escaped(path)): no metrics recorded yet")
        }
        return curve
    }

    /// A metrics record: a JSON object with a whole-number "step"; nil for anything else.
    static func record(_ line: Substring) -> (step: Int, fields: [String: JSON])? {
        guard case .object(let fields)? = try? JSON.parse(String(line)),
            let step = fields["step"]?.number.flatMap({ Int(exactly: $0) })
        else { return nil }
        return (step, fields)
    }
}
