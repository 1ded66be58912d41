import CharRNN

/// The play screen's session on the real engine: a `GenerationSession` with one stream per
/// sampler settings. It only translates: the settings go through to the engine, which validates
/// them; the probabilities, entropies and draws are the engine's.
public final class EngineSession: PlaySession {
    public private(set) var model: ModelDescription
    private let session: GenerationSession
    /// Each stream's settings when it drew its last character: its bars are labelled with them.
    private var drawnWith: [SamplerSettings] = []
    /// Steps the characters read mode tints by a unit (made on first use, per checkpoint).
    private var unitModel: StreamingModel?

    private static let ln2 = Float(0.693_147_18)

    public init(checkpoint path: String, compute: ComputePolicy = .streaming()) throws {
        let network = try CharRNNModel.load(path: path)
        session = try GenerationSession(model: network, topCount: TopEntries.capacity, compute: compute)
        model = ModelDescription(name: CheckpointCycle.displayName(path), config: network.config)
    }

    public func load(checkpoint path: String) throws {
        let network = try CharRNNModel.load(path: path)
        // The streams start again afterwards: nothing to re-feed (a prime continued from a
        // reading can be megabytes long).
        session.resetAll()
        try session.replaceModel(network, priming: .primeOnly)
        unitModel = nil
        model = ModelDescription(name: CheckpointCycle.displayName(path), config: network.config)
    }

    public func start(
        prime: String, samplers: [SamplerSettings], randomSeed: UInt64, shouldContinue: () -> Bool
    ) throws -> String? {
        while !session.streams.isEmpty { session.removeStream(at: session.streams.count - 1) }
        for settings in samplers { try session.addStream(settings: settings, seed: randomSeed) }
        drawnWith = samplers
        guard let report = session.prime(with: prime, shouldContinue: shouldContinue) else {
            throw PrimingInterrupted()
        }
        return report.warning
    }

    public func update(stream: Int, settings: SamplerSettings) throws {
        try session.update(settings: settings, stream: stream)
    }

    public func step(stream: Int) throws -> GeneratedCharacter {
        let report = session.step(stream: stream)
        drawnWith[stream] = session.streams[stream].settings
        return GeneratedCharacter(
            symbol: session.vocabulary.scalar(of: report.token), surprisal: report.surprisalAtT1 / EngineSession.ln2)
    }

    public func lastDistribution(stream: Int, count: Int) -> DistributionView? {
        guard session.streams.indices.contains(stream), let report = session.streams[stream].lastReport else {
            return nil
        }
        return view(report.distribution, settings: drawnWith[stream], count: count, chosen: report.token)
    }

    public func nextDistribution(stream: Int, count: Int) -> DistributionView? {
        guard session.streams.indices.contains(stream) else { return nil }
        let settings = session.streams[stream].settings
        return view(session.nextDistribution(stream: stream), settings: settings, count: count, chosen: nil)
    }

    public func reset() {
        session.resetAll()
    }

    public func read(_ text: [Unicode.Scalar]) throws -> (reading: ProgressiveReading, skipped: Int) {
        let (tokens, skipped) = session.vocabulary.encodeSkippingUnknown(text)
        guard tokens.count >= 2 else {
            throw CharRNNError(
                "a text to read needs at least 2 characters of \(model.name)'s vocabulary, has \(tokens.count)")
        }
        // The bars at the cursor are recomputed, so no candidates are kept: 16 bytes a character.
        let reading = ProgressiveReading(session.model, tokens: tokens, top: 0)
        reading.readInBackground()
        return (reading, skipped.values.reduce(0, +))
    }

    public func start(
        from reading: ProgressiveReading, before position: Int, prime: String, samplers: [SamplerSettings],
        randomSeed: UInt64
    ) throws {
        while !session.streams.isEmpty { session.removeStream(at: session.streams.count - 1) }
        for settings in samplers { try session.addStream(settings: settings, seed: randomSeed) }
        drawnWith = samplers
        if position == 0 {
            session.prime(with: "")
        } else {
            session.prime(
                with: prime, state: reading.state(before: position), tokens: Array(reading.tokens[..<position]))
        }
    }

    public func copyUnits(stream: Int, into out: UnsafeMutablePointer<Float>) {
        session.streams[stream].copyUnits(into: out)
    }

    public func unitValues(
        of reading: ProgressiveReading, in range: Range<Int>, carrying state: inout StreamingState?
    ) -> [Float] {
        let model = unitModel ?? StreamingModel(session.model, compute: .streaming(split: false))
        unitModel = model
        let count = HiddenUnit.all(in: model.config).count
        var values = [Float](repeating: 0, count: range.count * count)
        values.withUnsafeMutableBufferPointer { out in
            for (row, i) in range.enumerated() {
                if let state {
                    model.step(Int(reading.tokens[i]), state)
                } else {
                    state = reading.state(before: i + 1)  // a snapshot, and the steps from it to i
                }
                state!.copyUnits(into: out.baseAddress! + row * count)
            }
        }
        return values
    }

    /// Bars for a sampling stream show what it draws from (after temperature and truncation),
    /// labelled with the temperature of `settings` (those it was drawn with); a deterministic
    /// stream (greedy, or T = 0) draws from a point mass, so its bars show the model's T = 1
    /// distribution instead.
    private func view(
        _ d: NextCharacterDistribution, settings: SamplerSettings, count: Int, chosen: Int?
    ) -> DistributionView {
        let modelView = settings.isDeterministic
        let vocabulary = session.vocabulary
        let candidates = d.top.prefix(count).map { entry in
            DistributionView.Candidate(
                symbol: vocabulary.scalar(of: entry.token),
                probability: modelView ? entry.probability : entry.sampledProbability)
        }
        let chosenCandidate = chosen.map { token in
            DistributionView.Candidate(
                symbol: vocabulary.scalar(of: token), probability: modelView ? d.before[token] : d.after[token])
        }
        return DistributionView(
            candidates: candidates, chosen: chosenCandidate,
            entropy: (modelView ? d.entropyAtT1 : d.entropy) / EngineSession.ln2,
            temperature: modelView ? 1 : settings.temperature, greedy: modelView)
    }
}
