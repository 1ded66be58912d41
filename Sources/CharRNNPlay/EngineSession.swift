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
    private let compute: ComputePolicy
    /// The beam search of each beam stream (nil for the others); its `GenerationSession` stream
    /// is a greedy placeholder that never steps.
    private var searches: [BeamSearch?] = []
    /// The second checkpoint (`loadVersus`), and the two models on the running prime: then
    /// stream 0 is the first model's and stream 1 the second's.
    private var versus: (model: CharRNNModel, description: ModelDescription)?
    private var comparison: ModelComparison?
    private var lastComparisonStep: ModelComparison.Step?

    private static let ln2 = Float(0.693_147_18)

    public init(checkpoint path: String, compute: ComputePolicy = .streaming()) throws {
        let network = try CharRNNModel.load(path: path)
        session = try GenerationSession(model: network, topCount: TopEntries.capacity, compute: compute)
        self.compute = compute
        model = ModelDescription(
            name: CheckpointCycle.displayName(path), config: network.config, precision: compute.precision)
    }

    public func load(checkpoint path: String) throws {
        let network = try CharRNNModel.load(path: path)
        // The streams start again afterwards: nothing to re-feed (a prime continued from a
        // reading can be megabytes long).
        session.resetAll()
        try session.replaceModel(network, priming: .primeOnly)
        unitModel = nil
        model = ModelDescription(
            name: CheckpointCycle.displayName(path), config: network.config, precision: compute.precision)
    }

    public func start(
        prime: String, samplers: [SamplerSettings], randomSeed: UInt64, shouldContinue: () -> Bool
    ) throws -> String? {
        try addStreams(samplers, randomSeed: randomSeed)
        guard let report = session.prime(with: prime, shouldContinue: shouldContinue) else {
            throw PrimingInterrupted()
        }
        var notes = [report.warning] + startSearches()
        if let versus, samplers.count == 2 {
            let both = try ModelComparison(
                session.model, versus.model, settings: samplers[0], seed: randomSeed, topCount: TopEntries.capacity,
                compute: compute)
            notes = [both.prime(with: prime).second.warning.map { versus.description.name + ": " + $0 }] + notes
            comparison = both
        }
        let shown = notes.compactMap { $0 }
        return shown.isEmpty ? nil : shown.joined(separator: "; ")
    }

    /// One engine stream per settings (a greedy placeholder for a beam stream).
    private func addStreams(_ samplers: [SamplerSettings], randomSeed: UInt64) throws {
        while !session.streams.isEmpty { session.removeStream(at: session.streams.count - 1) }
        for settings in samplers {
            try settings.validate()
            try session.addStream(settings: settings.method == .beam ? .greedy : settings, seed: randomSeed)
        }
        drawnWith = samplers
        searches = samplers.map { _ in nil }
        comparison = nil
        lastComparisonStep = nil
    }

    /// After priming: a search for each beam stream; a note for each width the vocabulary caps.
    private func startSearches() -> [String?] {
        drawnWith.indices.map { i in
            let settings = drawnWith[i]
            guard settings.method == .beam, let search = try? BeamSearch(session: session, width: settings.beamWidth)
            else { return nil }
            searches[i] = search
            guard search.width < search.requestedWidth else { return nil }
            return "beam width \(search.requestedWidth) capped to the \(search.width) characters of the vocabulary"
        }
    }

    public func update(stream: Int, settings: SamplerSettings) throws {
        if bestBeam(stream: stream) != nil { return }  // a beam keeps its width
        let (engine, index) = engineStream(stream)
        try engine.update(settings: settings, stream: index)
    }

    public func step(stream: Int) throws -> GeneratedCharacter {
        if searches.indices.contains(stream), let search = searches[stream] {
            return GeneratedCharacter(symbol: search.step().text.unicodeScalars.last, surprisal: 0)
        }
        let (engine, index) = engineStream(stream)
        let report: StepReport
        if let comparison {
            // Both models step together (for their KL) when the first one's stream asks.
            if stream == 0 { lastComparisonStep = comparison.step() }
            report = stream == 0 ? lastComparisonStep!.first : lastComparisonStep!.second
        } else {
            report = engine.step(stream: index)
        }
        drawnWith[stream] = engine.streams[index].settings
        return GeneratedCharacter(
            symbol: engine.vocabulary.scalar(of: report.token), surprisal: report.surprisalAtT1 / EngineSession.ln2)
    }

    public func bestBeam(stream: Int) -> BeamSearch.Beam? {
        searches.indices.contains(stream) ? searches[stream]?.best : nil
    }

    public func lastDistribution(stream: Int, count: Int) -> DistributionView? {
        let (engine, index) = engineStream(stream)
        guard engine.streams.indices.contains(index), bestBeam(stream: stream) == nil,
            let report = engine.streams[index].lastReport
        else { return nil }
        return DistributionView(
            report.distribution, vocabulary: engine.vocabulary, settings: drawnWith[stream], count: count,
            chosen: report.token)
    }

    public func nextDistribution(stream: Int, count: Int) -> DistributionView? {
        let (engine, index) = engineStream(stream)
        guard engine.streams.indices.contains(index), bestBeam(stream: stream) == nil else { return nil }
        return DistributionView(
            engine.nextDistribution(stream: index), vocabulary: engine.vocabulary,
            settings: engine.streams[index].settings, count: count, chosen: nil)
    }

    public func reset() {
        session.resetAll()
        searches = []
        comparison = nil
        lastComparisonStep = nil
    }

    public func read(_ text: [Unicode.Scalar]) throws -> (reading: ProgressiveReading, skipped: Int) {
        let (tokens, skipped) = session.vocabulary.encodeSkippingUnknown(text)
        guard tokens.count >= 2 else {
            throw CharRNNError(
                "a text to read needs at least 2 characters of \(model.name)'s vocabulary, has \(tokens.count)")
        }
        // The bars at the cursor are recomputed, so no candidates are kept: 16 bytes a character.
        let reading = ProgressiveReading(session.model, tokens: tokens, top: 0, compute: compute)
        reading.readInBackground()
        return (reading, skipped.values.reduce(0, +))
    }

    public func readDynamically(_ tokens: [Int32]) throws -> DynamicReading {
        // Its graph on one core, as the static reading's stepping, so that the screen keeps the other; in
        // float32 whatever the precision, as it learns.
        let reading = DynamicReading(
            session.model, tokens: tokens, settings: try DynamicEvaluationSettings(), compute: .streaming(split: false))
        reading.readInBackground()
        return reading
    }

    public func start(
        from reading: ProgressiveReading, before position: Int, prime: String, samplers: [SamplerSettings],
        randomSeed: UInt64
    ) throws {
        try addStreams(samplers, randomSeed: randomSeed)
        if position == 0 {
            session.prime(with: "")
        } else {
            session.prime(
                with: prime, state: reading.state(before: position), tokens: Array(reading.tokens[..<position]))
        }
        _ = startSearches()
    }

    public func copyUnits(stream: Int, into out: UnsafeMutablePointer<Float>) {
        let (owner, index) = engineStream(stream)
        owner.streams[index].copyUnits(into: out)
    }

    public func unitValues(
        of reading: ProgressiveReading, in range: Range<Int>, carrying state: inout StreamingState?
    ) -> [Float] {
        let model = unitModel ?? StreamingModel(session.model, compute: compute.oneCore)
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

    public func steer(
        prime: String, replaying text: [Unicode.Scalar?], settings: SamplerSettings, randomSeed: UInt64
    ) throws -> SteeringSession {
        let steering = try SteeringSession(
            model: session.model, settings: settings, seed: randomSeed, prime: prime, topCount: TopEntries.capacity,
            compute: compute)
        let vocabulary = session.vocabulary
        for symbol in text {
            guard let token = symbol.flatMap(vocabulary.id(of:)) ?? vocabulary.unknownID else { continue }
            steering.choose(token: token)
        }
        return steering
    }

    public var versusModel: ModelDescription? { versus?.description }

    public func loadVersus(checkpoint path: String?) throws {
        guard let path else {
            versus = nil
            return
        }
        let network = try CharRNNModel.load(path: path)
        let description = ModelDescription(
            name: CheckpointCycle.displayName(path), config: network.config, precision: compute.precision)
        versus = (network, description)
    }

    public var lastKLDivergenceBits: Double? { comparison == nil ? nil : lastComparisonStep?.klDivergenceBits }

    /// The engine session and stream index behind a play stream.
    private func engineStream(_ stream: Int) -> (GenerationSession, Int) {
        guard let comparison else { return (session, stream) }
        return (stream == 0 ? comparison.first : comparison.second, 0)
    }
}
