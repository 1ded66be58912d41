import CharRNN
import CharRNNPlay

#if canImport(Glibc)
    import Glibc
#endif

/// A stand-in generation session for the UI's tests: each stream writes `script` over and
/// over; distributions are made up from the temperature so tests can see them change. Settings
/// are checked by the engine's `validate()`, as the real engine does. It records every call so
/// tests can check what the UI asked for.
final class ScriptedSession: PlaySession {
    var model = ModelDescription(name: "tiny", config: ModelConfig(vocabularySize: 8, hiddenSize: 8))
    let script: [Unicode.Scalar]
    /// Characters the "vocabulary" lacks: skipped when priming.
    var outOfVocabulary: Set<Unicode.Scalar> = ["#"]
    /// Paths `load` refuses, with their error.
    var brokenCheckpoints: [String: String] = [:]
    var failNextStep = false

    private(set) var loaded: [String] = []
    private(set) var starts: [(prime: String, samplers: [SamplerSettings], randomSeed: UInt64)] = []
    private(set) var samplers: [SamplerSettings] = []
    private(set) var positions: [Int] = []
    private(set) var resets = 0
    private(set) var stepCount = 0

    /// Characters between priming's calls to `shouldContinue`; .max: never called.
    var primeCheckEvery = Int.max

    init(script: String = "the cat sat\n") {
        self.script = Array(script.unicodeScalars)
    }

    func load(checkpoint path: String) throws {
        if let message = brokenCheckpoints[path] { throw CharRNNError(message) }
        loaded.append(path)
        model = ModelDescription(
            name: CheckpointCycle.displayName(path),
            config: ModelConfig(cell: .lstm, vocabularySize: 8, hiddenSize: 16, layers: 2))
    }

    func start(
        prime: String, samplers: [SamplerSettings], randomSeed: UInt64, shouldContinue: () -> Bool
    ) throws -> String? {
        if prime == "!fail" { throw CharRNNError("seed refused") }
        // Priming is instant here; with `primeCheckEvery` set it asks as the engine does.
        for (i, _) in prime.unicodeScalars.enumerated() where i % primeCheckEvery == primeCheckEvery - 1 {
            guard shouldContinue() else {
                reset()
                throw PrimingInterrupted()
            }
        }
        for settings in samplers { try settings.validate() }
        starts.append((prime, samplers, randomSeed))
        self.samplers = samplers
        positions = Array(repeating: 0, count: samplers.count)
        var skipped: [Unicode.Scalar] = []
        for s in prime.unicodeScalars where outOfVocabulary.contains(s) && !skipped.contains(s) {
            skipped.append(s)
        }
        return skipped.isEmpty ? nil : "prime: skipped \(skipped.count) character(s) outside the vocabulary"
    }

    func update(stream: Int, settings: SamplerSettings) throws {
        try settings.validate()
        samplers[stream] = settings
    }

    func step(stream: Int) throws -> GeneratedCharacter {
        if failNextStep {
            failNextStep = false
            throw CharRNNError("engine failed")
        }
        let symbol = script[positions[stream] % script.count]
        positions[stream] += 1
        stepCount += 1
        return GeneratedCharacter(symbol: symbol, surprisal: Float(positions[stream] % 8))
    }

    func bestBeam(stream: Int) -> BeamSearch.Beam? { nil }

    private(set) var versusModel: ModelDescription?
    var lastKLDivergenceBits: Double? { versusModel == nil || positions.isEmpty ? nil : 0.25 }

    func loadVersus(checkpoint path: String?) throws {
        if let path, let message = brokenCheckpoints[path] { throw CharRNNError(message) }
        versusModel = path.map { ModelDescription(name: CheckpointCycle.displayName($0), config: model.config) }
    }

    func lastDistribution(stream: Int, count: Int) -> DistributionView? {
        guard positions.indices.contains(stream), positions[stream] > 0 else { return nil }
        let chosen = script[(positions[stream] - 1) % script.count]
        return distribution(stream: stream, count: count, chosen: chosen)
    }

    func nextDistribution(stream: Int, count: Int) -> DistributionView? {
        guard positions.indices.contains(stream) else { return nil }
        return distribution(stream: stream, count: count, chosen: nil)
    }

    func reset() {
        resets += 1
        positions = []
        samplers = []
    }

    /// Reading needs a real model: the read-mode tests use `EngineSession`.
    func read(_ text: [Unicode.Scalar]) throws -> (reading: ProgressiveReading, skipped: Int) {
        throw CharRNNError("the scripted session cannot read")
    }

    func readDynamically(_ tokens: [Int32]) throws -> DynamicReading {
        throw CharRNNError("the scripted session cannot read")
    }

    func start(
        from reading: ProgressiveReading, before position: Int, prime: String, samplers: [SamplerSettings],
        randomSeed: UInt64
    ) throws {
        throw CharRNNError("the scripted session cannot read")
    }

    /// A unit that is +1 right after a space and −1 elsewhere: the `space` feature, planted.
    var plantedSpaceUnit: Int?

    /// Unit u after a stream's p-th character is ((p + u) mod 9 − 4) / 4: every tint step in turn.
    func copyUnits(stream: Int, into out: UnsafeMutablePointer<Float>) {
        let p = positions[stream]
        for u in 0..<HiddenUnit.all(in: model.config).count { out[u] = Self.unitValue(position: p, unit: u) }
        if let planted = plantedSpaceUnit { out[planted] = p > 0 && script[(p - 1) % script.count] == " " ? 1 : -1 }
    }

    static func unitValue(position: Int, unit: Int) -> Float { Float((position + unit) % 9 - 4) / 4 }

    /// Never called: the scripted session cannot read.
    func unitValues(of reading: ProgressiveReading, in range: Range<Int>, carrying state: inout StreamingState?)
        -> [Float]
    { [] }

    /// Steering needs a real model: the steer-mode tests use `EngineSession`.
    func steer(
        prime: String, replaying text: [Unicode.Scalar?], settings: SamplerSettings, randomSeed: UInt64
    ) throws -> SteeringSession {
        throw CharRNNError("the scripted session cannot steer")
    }

    /// p(i) ∝ exp(−i / T) over the script's distinct characters, in order; one-hot when greedy.
    private func distribution(stream: Int, count: Int, chosen: Unicode.Scalar?) -> DistributionView {
        var distinct: [Unicode.Scalar] = []
        for s in script where !distinct.contains(s) { distinct.append(s) }
        let settings = samplers[stream]
        var weights = distinct.indices.map { i in
            settings.isDeterministic ? (i == 0 ? 1.0 : 0.0) : exp(-Double(i) / Double(settings.temperature))
        }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        let candidates = zip(distinct, weights).map {
            DistributionView.Candidate(symbol: $0, probability: Float($1))
        }
        let entropy = weights.reduce(0.0) { $1 > 0 ? $0 - $1 * log2($1) : $0 }
        return DistributionView(
            candidates: Array(candidates.prefix(count)),
            chosen: chosen.flatMap { c in candidates.first { $0.symbol == c } },
            entropy: Float(entropy), temperature: settings.isDeterministic ? 1 : settings.temperature,
            greedy: settings.isDeterministic)
    }
}

/// A clock tests move by hand.
final class ManualClock {
    var now = 100.0
    func read() -> Double { now }
}

extension Frame {
    /// All lines joined, for "the screen shows …" checks.
    var screenText: String { lines().joined(separator: "\n") }
}
