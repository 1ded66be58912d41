/// Samples during training: a short text from the model as it stands, at a few temperatures,
/// shown in the log and kept in the metrics file so a reader can see how the text improved.
extension Trainer {
    /// `length` characters after a newline prime at each temperature, with a fixed seed, from
    /// the current weights; the training RNGs are untouched, so resume stays exact. The record
    /// `{"step", "epoch", "sample_t0.5": …}` is appended to the metrics file.
    public func recordSamples(length: Int = 200, temperatures: [Float] = [0.5, 1.0], seed: UInt64 = 1) throws
        -> [(temperature: Float, text: String)]
    {
        let session = try GenerationSession(model: model, topCount: 1, compute: compute)
        for t in temperatures { try session.addStream(settings: SamplerSettings(temperature: t), seed: seed) }
        session.prime(with: "\n")
        var texts = Array(repeating: "", count: temperatures.count)
        for _ in 0..<length {
            for report in session.stepAll() { texts[report.stream].unicodeScalars.append(report.character) }
        }
        var record: JSONObject = ["step": .integer(step), "epoch": .integer(completedEpochs)]
        for (t, text) in zip(temperatures, texts) { record["sample_t\(t)"] = .string(text) }
        try appendMetrics(record)
        return Array(zip(temperatures, texts))
    }
}
