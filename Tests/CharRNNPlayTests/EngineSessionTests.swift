import CharRNN
import Testing

@testable import CharRNNPlay

/// The adapter on the real engine, with the tiny GRU fixture (V=50, trained by PyTorch).
@Suite("Engine session adapter")
struct EngineSessionTests {
    static let fixtures: String = {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/CharRNNTests/Fixtures/"
    }()
    let tiny = fixtures + "tiny-gru.safetensors"

    @Test("describes the checkpoint by file name, cell and size")
    func description() throws {
        let session = try EngineSession(checkpoint: tiny)
        #expect(session.model.name == "tiny-gru" && session.model.config.architecture == "GRU 1×32")
    }

    @Test("the status line's architecture says bf16 when the session computes in it, and nothing under f32")
    func precisionInStatus() throws {
        #expect(try EngineSession(checkpoint: tiny).model.architectureForms == ["GRU 1×32", "GRU"])
        guard (try? Precision.bfloat16.validate()) != nil else { return }  // no AVX-512 BF16 here
        let session = try EngineSession(checkpoint: tiny, compute: .streaming(precision: .bfloat16))
        #expect(session.model.precision == .bfloat16)
        #expect(session.model.architectureForms == ["GRU 1×32 bf16", "GRU bf16"])
    }

    @Test("greedy streaming reproduces PyTorch's greedy continuation")
    func greedyMatchesFixture() throws {
        let session = try EngineSession(checkpoint: tiny)
        #expect(try session.start(prime: "The ", samplers: [SamplerSettings(temperature: 0)], randomSeed: 1, shouldContinue: { true }) == nil)
        var text = ""
        for _ in 0..<40 { text.unicodeScalars.append(try session.step(stream: 0).symbol!) }
        #expect("The " + text == "The and thy beauty's summer's fl summer's fl")
    }

    @Test("bars: sorted, at the stream's temperature, the drawn character included; entropy in bits")
    func distributions() throws {
        let session = try EngineSession(checkpoint: tiny)
        _ = try session.start(prime: "The ", samplers: [SamplerSettings(temperature: 1)], randomSeed: 3, shouldContinue: { true })
        let next = try #require(session.nextDistribution(stream: 0, count: 10))
        #expect(next.candidates.count == 10)
        #expect(next.chosen == nil)
        #expect(next.temperature == 1)
        let p = next.candidates.map(\.probability)
        #expect(p == p.sorted(by: >))
        #expect(p.reduce(0, +) <= 1.0001 && p[0] > 0)
        #expect(next.entropy > 0 && next.entropy < 5.65)  // bits: at most log2(50) ≈ 5.64

        let drawn = try session.step(stream: 0)
        let last = try #require(session.lastDistribution(stream: 0, count: 5))
        #expect(last.chosen?.symbol == drawn.symbol)
        #expect(last.candidates.map(\.probability) == Array(p.prefix(5)))
        // Surprisal of the drawn character, in bits, is −log2 of its probability at T = 1.
        let chosenP = try #require(last.chosen?.probability)
        #expect(abs(drawn.surprisal + Float.log2(chosenP)) < 1e-3)

        // Cooler: the favourite gains.
        try session.update(stream: 0, settings: SamplerSettings(temperature: 0.5))
        let cooler = try #require(session.nextDistribution(stream: 0, count: 3))
        #expect(cooler.temperature == 0.5)
        let warm = try #require(session.nextDistribution(stream: 0, count: 3))
        #expect(cooler.candidates[0].probability == warm.candidates[0].probability)
        try session.update(stream: 0, settings: SamplerSettings(temperature: 2))
        let hotter = try #require(session.nextDistribution(stream: 0, count: 3))
        #expect(hotter.candidates[0].probability < cooler.candidates[0].probability)
        #expect(hotter.entropy > cooler.entropy)
    }

    @Test("a greedy stream's bars show the model's own distribution, not a point mass")
    func greedyBars() throws {
        let session = try EngineSession(checkpoint: tiny)
        _ = try session.start(
            prime: "The ",
            samplers: [SamplerSettings(method: .greedy, temperature: 0.8), SamplerSettings(temperature: 0.8)],
            randomSeed: 3, shouldContinue: { true })
        let greedy = try #require(session.nextDistribution(stream: 0, count: 4))
        let sampled = try #require(session.nextDistribution(stream: 1, count: 4))
        #expect(greedy.temperature == 1 && sampled.temperature == 0.8)
        #expect(greedy.candidates[0].probability < 1 && greedy.candidates[1].probability > 0)
        #expect(greedy.candidates.map(\.symbol) == sampled.candidates.map(\.symbol))
        #expect(sampled.candidates[0].probability > greedy.candidates[0].probability)
    }

    @Test("side-by-side streams from one prime keep their own state")
    func twoStreams() throws {
        let session = try EngineSession(checkpoint: tiny)
        _ = try session.start(
            prime: "The ", samplers: [SamplerSettings(method: .greedy), SamplerSettings(temperature: 1.5)],
            randomSeed: 9, shouldContinue: { true })
        var greedy = ""
        var sampled = ""
        for _ in 0..<40 {
            greedy.unicodeScalars.append(try session.step(stream: 0).symbol!)
            sampled.unicodeScalars.append(try session.step(stream: 1).symbol!)
        }
        #expect(greedy == "and thy beauty's summer's fl summer's fl")
        #expect(sampled != greedy)
    }

    @Test("prime characters outside the vocabulary come back as a note")
    func outOfVocabulary() throws {
        let session = try EngineSession(checkpoint: tiny)
        let note = try session.start(prime: "The 漢", samplers: [SamplerSettings(temperature: 1)], randomSeed: 1, shouldContinue: { true })
        #expect(note?.contains("漢") == true)
    }

    @Test("invalid settings are refused with the engine's message")
    func invalidSettings() throws {
        let session = try EngineSession(checkpoint: tiny)
        #expect(throws: CharRNNError("top-p must be in (0, 1], got 2.0")) {
            try session.start(prime: "a", samplers: [SamplerSettings(temperature: 1, topP: 2)], randomSeed: 1, shouldContinue: { true })
        }
    }

    @Test("an invalid update is refused by the engine and the stream keeps its old settings")
    func invalidUpdate() throws {
        let session = try EngineSession(checkpoint: tiny)
        _ = try session.start(prime: "The ", samplers: [SamplerSettings(temperature: 0.8)], randomSeed: 1, shouldContinue: { true })
        let before = try #require(session.nextDistribution(stream: 0, count: 5))
        #expect(throws: CharRNNError("top-p must be in (0, 1], got 2.0")) {
            try session.update(stream: 0, settings: SamplerSettings(temperature: 0.5, topP: 2))
        }
        #expect(session.nextDistribution(stream: 0, count: 5) == before)
        #expect(before.temperature == 0.8)
    }

    /// A controller on the real engine, paused right after starting from "The ".
    func pausedController(_ state: PlayState, clock: ManualClock) throws -> PlayController {
        let c = PlayController(
            session: try EngineSession(checkpoint: tiny), state: state, checkpoint: tiny, randomSeed: 1,
            clock: clock.read)
        for s in "The ".unicodeScalars { c.handle(.character(s)) }
        c.handle(.enter)
        c.handle(.control("p"))
        return c
    }

    @Test("after Up, the bars' temperature is the stream's own; a greedy stream's stays at 1")
    func barsFollowTheStreamsSettings() throws {
        let clock = ManualClock()
        let c = try pausedController(PlayState(sampler: SamplerSettings(temperature: 0.8)), clock: clock)
        #expect(c.distributions.map { $0?.temperature } == [0.8])
        c.handle(.up)
        #expect(c.distributions.map { $0?.temperature } == [0.85])
        #expect(PlayView.frame(c, width: 100, height: 20).screenText.contains("next at T=0.85"))

        c.handle(.control("g"))  // restarts side by side, still paused
        #expect(c.distributions.map { $0?.temperature } == [1, 0.85])
        c.handle(.up)
        #expect(c.distributions.map { $0?.temperature } == [1, 0.9])
    }

    @Test("settings the engine refuses are shown as its error, once, and nothing runs")
    func refusedSettings() throws {
        let clock = ManualClock()
        let c = try pausedController(PlayState(sampler: SamplerSettings(temperature: 0.8, topK: 0)), clock: clock)
        #expect(!c.state.running)
        #expect(c.currentNotice?.text == "top-k must be at least 1, got 0")
        #expect(c.currentNotice?.isError == true)
        #expect(c.texts.allSatisfy { $0.isEmpty })
    }

    @Test("a checkpoint that fails to load leaves the current model in use; a good one replaces it")
    func loading() throws {
        let session = try EngineSession(checkpoint: tiny)
        #expect(throws: CharRNNError.self) { try session.load(checkpoint: Self.fixtures + "missing.safetensors") }
        #expect(session.model.name == "tiny-gru")
        _ = try session.start(prime: "The ", samplers: [SamplerSettings(temperature: 0)], randomSeed: 1, shouldContinue: { true })
        #expect(try session.step(stream: 0).symbol == "a")
        try session.load(checkpoint: Self.fixtures + "tiny-lstm.safetensors")
        #expect(session.model.name == "tiny-lstm" && session.model.config.architecture == "LSTM 2×32")
        _ = try session.start(prime: "The ", samplers: [SamplerSettings(temperature: 0)], randomSeed: 1, shouldContinue: { true })
        _ = try session.step(stream: 0)
    }

    @Test("reset forgets the streams' state")
    func reset() throws {
        let session = try EngineSession(checkpoint: tiny)
        _ = try session.start(prime: "The ", samplers: [SamplerSettings(temperature: 1)], randomSeed: 1, shouldContinue: { true })
        _ = try session.step(stream: 0)
        session.reset()
        #expect(session.lastDistribution(stream: 0, count: 3) == nil)
    }
}

@Suite("Play adapter on the engine: bars labels and interrupted priming")
struct EngineSessionLabelTests {
    let tiny = EngineSessionTests.fixtures + "tiny-gru.safetensors"

    @Test("the last draw's bars keep the settings it was drawn with after a change")
    func drawnWith() throws {
        let session = try EngineSession(checkpoint: tiny)
        _ = try session.start(
            prime: "The ", samplers: [SamplerSettings(temperature: 0.8)], randomSeed: 1, shouldContinue: { true })
        _ = try session.step(stream: 0)
        let before = try #require(session.lastDistribution(stream: 0, count: 5))
        try session.update(stream: 0, settings: SamplerSettings(temperature: 0))
        #expect(session.lastDistribution(stream: 0, count: 5) == before)
        #expect(before.temperature == 0.8 && !before.greedy)
        let next = try #require(session.nextDistribution(stream: 0, count: 5))
        #expect(next.temperature == 1 && next.greedy)
    }

    @Test("a priming stopped by shouldContinue throws PrimingInterrupted and leaves nothing primed")
    func interrupted() throws {
        let session = try EngineSession(checkpoint: tiny)
        #expect(throws: PrimingInterrupted.self) {
            try session.start(
                prime: String(repeating: "The ", count: 200), samplers: [SamplerSettings(temperature: 0)], randomSeed: 1,
                shouldContinue: { false })
        }
        #expect(session.lastDistribution(stream: 0, count: 3) == nil)
    }
}
