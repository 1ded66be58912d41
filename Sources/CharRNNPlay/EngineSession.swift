import CharRNN

/// The play screen's session on the real engine: a `GenerationSession` with one stream per
/// sampler. It only translates: the probabilities, entropies and draws are the engine's.
public final class EngineSession: PlaySession {
    public private(set) var model: ModelDescription
    private let session: GenerationSession
    /// The samplers the streams run with (greedy streams show their model's T = 1 bars).
    private var samplers: [PlaySampler] = []

    private static let ln2 = Float(0.693_147_18)

    public init(checkpoint path: String, compute: ComputePolicy = .streaming()) throws {
        let network = try CharRNNModel.load(path: path)
        session = try GenerationSession(model: network, topCount: TopEntries.capacity, compute: compute)
        model = EngineSession.describe(network, path: path)
    }

    /// Most bars the engine reports per step.
    public static let maximumBars = TopEntries.capacity

    public func load(checkpoint path: String) throws {
        let network = try CharRNNModel.load(path: path)
        try session.replaceModel(network, priming: .primeOnly)
        model = EngineSession.describe(network, path: path)
    }

    public func start(seed: String, samplers: [PlaySampler], randomSeed: UInt64) throws -> String? {
        let settings = try samplers.map(EngineSession.settings)
        while !session.streams.isEmpty { session.removeStream(at: session.streams.count - 1) }
        for s in settings { try session.addStream(settings: s, seed: randomSeed) }
        self.samplers = samplers
        return session.prime(with: seed).warning
    }

    public func update(stream: Int, sampler: PlaySampler) throws {
        try session.update(settings: try EngineSession.settings(sampler), stream: stream)
        samplers[stream] = sampler
    }

    public func step(stream: Int) throws -> GeneratedCharacter {
        let report = session.step(stream: stream)
        return GeneratedCharacter(
            symbol: session.vocabulary.scalar(of: report.token), surprisal: report.surprisalAtT1 / EngineSession.ln2)
    }

    public func lastDistribution(stream: Int, count: Int) -> DistributionView? {
        guard session.streams.indices.contains(stream), let report = session.streams[stream].lastReport else {
            return nil
        }
        return view(report.distribution, stream: stream, count: count, chosen: report.token)
    }

    public func nextDistribution(stream: Int, count: Int) -> DistributionView? {
        guard session.streams.indices.contains(stream) else { return nil }
        return view(session.nextDistribution(stream: stream), stream: stream, count: count, chosen: nil)
    }

    public func reset() {
        session.resetAll()
    }

    /// Bars for a sampling stream show what it draws from (after temperature and truncation);
    /// a greedy stream (or T = 0) draws from a point mass, so its bars show the model's T = 1
    /// distribution instead.
    private func view(_ d: NextCharacterDistribution, stream: Int, count: Int, chosen: Int?) -> DistributionView {
        let modelView = samplers.indices.contains(stream) && samplers[stream].isGreedy
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
        let temperature = modelView ? 1 : (samplers.indices.contains(stream) ? samplers[stream].temperature : 1)
        return DistributionView(
            candidates: candidates, chosen: chosenCandidate,
            entropy: (modelView ? d.entropyAtT1 : d.entropy) / EngineSession.ln2, temperature: temperature)
    }

    private static func settings(_ s: PlaySampler) throws -> SamplerSettings {
        let settings = SamplerSettings(
            method: s.greedy ? .greedy : .multinomial, temperature: s.temperature, topK: s.topK, topP: s.topP)
        try settings.validate()
        return settings
    }


    /// "shakespeare-gru512", "GRU 2×512".
    private static func describe(_ m: CharRNNModel, path: String) -> ModelDescription {
        ModelDescription(
            name: CheckpointCycle.displayName(path),
            summary: "\(m.config.cell.rawValue.uppercased()) \(m.config.layers)×\(m.config.hiddenSize)")
    }
}
