import Foundation
import Testing

@testable import CharRNN

private func model(symbols: [String], cell: Cell = .gru, seed: UInt64 = 3) -> CharRNNModel {
    let config = ModelConfig(
        cell: cell, vocabularySize: symbols.count, embeddingSize: 6, hiddenSize: 8, layers: 2)
    return CharRNNModel(config: config, vocabulary: try! Vocabulary(symbols: symbols), seed: seed)
}

private let letters = ["\n", " ", "a", "b", "c", "d", "e", "h", "l", "o", "r", "t"]

private func session(_ m: CharRNNModel, _ settings: [(SamplerSettings, UInt64)]) throws -> GenerationSession {
    let s = try GenerationSession(model: m, topCount: 5, compute: .streaming())
    for (settings, seed) in settings { try s.addStream(settings: settings, seed: seed) }
    return s
}

/// The state a fresh streaming model reaches on a token sequence, and its next-character logits.
private func reference(_ m: CharRNNModel, tokens: [Int]) -> (hidden: [Float], logits: [Float]) {
    let streaming = StreamingModel(m, compute: .streaming())
    let state = streaming.makeState()
    for t in tokens { streaming.step(t, state) }
    return (state.hiddenValues, Array(state.logits))
}

private func tokens(_ m: CharRNNModel, _ text: String) -> [Int] {
    text.unicodeScalars.map { m.vocabulary.id(of: $0)! }
}

@Suite("Generation session")
struct GenerationSessionTests {
    @Test("greedy text on the committed tiny checkpoints matches PyTorch byte for byte", arguments: ["tiny-gru", "tiny-lstm"])
    func greedyGolden(name: String) throws {
        let golden = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixturePath("\(name).greedy.json"))))
                as? [String: Any])
        let prime = try #require(golden["prime"] as? String)
        let length = try #require(golden["length"] as? Int)
        let expected = try #require(golden["text"] as? String)
        let m = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
        // Greedy, T = 0 multinomial and T = 0 Gumbel are all the argmax.
        let s = try session(m, [(.greedy, 0), (.init(temperature: 0), 1), (.init(method: .gumbel, temperature: 0, topK: 3), 2)])
        #expect(s.prime(with: prime).warning == nil)
        for _ in 0..<length { _ = s.stepAll() }
        for stream in s.streams {
            #expect(Array(stream.text.utf8) == Array(expected.utf8))
            #expect(stream.primeText == prime && stream.generatedCount == length)
        }
    }

    @Test("priming feeds the prime into every stream; reports describe the drawn distribution")
    func primingAndReports() throws {
        let m = model(symbols: letters, cell: .lstm)
        let s = try session(m, [(.init(temperature: 0.7, topK: 6), 1)])
        let report = s.prime(with: "the cat")
        #expect(report == { var r = PrimeReport(); r.tokenCount = 7; return r }())
        #expect(report.warning == nil)
        let (hidden, logits) = reference(m, tokens: tokens(m, "the cat"))
        #expect(s.streams[0].hiddenValues == hidden)

        let step = s.step(stream: 0)
        let before = Array(step.distribution.before), after = Array(step.distribution.after)
        let z = logits.map { exp(Double($0)) }.reduce(0, +)
        for i in logits.indices { #expect(abs(Double(before[i]) - exp(Double(logits[i])) / z) < 1e-6) }
        let sampler = try Sampler(settings: .init(temperature: 0.7, topK: 6), vocabularySize: 12, seed: 0)
        #expect(after == sampler.distribution(logits: logits))
        #expect(step.distribution.supportSize == 6)
        #expect(after[step.token] > 0)
        #expect(abs(Double(step.surprisal) + log(Double(after[step.token]))) < 1e-4)
        #expect(abs(Double(step.surprisalAtT1) + log(Double(before[step.token]))) < 1e-4)
        #expect(abs(Double(step.entropy) - sampler.entropy) < 1e-5)
        #expect(step.character == m.vocabulary.scalar(of: step.token))
        #expect(step.step == 0 && step.stream == 0)
        // Top entries: the 5 most likely, best first, with both probabilities.
        let ranked = before.indices.sorted { before[$0] > before[$1] || (before[$0] == before[$1] && $0 < $1) }
        #expect(step.top.map(\.token) == Array(ranked.prefix(5)))
        #expect(step.top.map(\.sampledProbability) == step.top.map { after[$0.token] })
        // The character was fed back: the state is the prime plus that character.
        #expect(s.streams[0].hiddenValues == reference(m, tokens: tokens(m, "the cat") + [step.token]).hidden)
        #expect(s.streams[0].text == "the cat" + String(step.character))
        #expect(s.streams[0].generatedText == String(step.character))
    }

    @Test("side-by-side streams are independent: stepping one leaves the other as it was")
    func streamsAreIndependent() throws {
        let m = model(symbols: letters)
        let both = try session(m, [(.greedy, 0), (.init(temperature: 1.2), 7)])
        both.prime(with: "hello ")
        let untouched = both.streams[1].hiddenValues
        let greedyText = (0..<30).map { _ in both.step(stream: 0).character }
        #expect(both.streams[1].hiddenValues == untouched)
        #expect(both.streams[1].generatedText.isEmpty)
        #expect(both.streams[0].hiddenValues != untouched)
        let sampledText = (0..<30).map { _ in both.step(stream: 1).character }

        // Each stream alone gives the same text: no shared state or random numbers.
        let greedyAlone = try session(m, [(.greedy, 0)])
        greedyAlone.prime(with: "hello ")
        #expect((0..<30).map { _ in greedyAlone.step(stream: 0).character } == greedyText)
        let sampledAlone = try session(m, [(.init(temperature: 1.2), 7)])
        sampledAlone.prime(with: "hello ")
        #expect((0..<30).map { _ in sampledAlone.step(stream: 0).character } == sampledText)
        #expect(greedyText != sampledText)
    }

    @Test("the same seed, model and settings give the same text")
    func reproducible() throws {
        let m = model(symbols: letters)
        func text(seed: UInt64) throws -> String {
            let s = try session(m, [(.init(method: .gumbel, temperature: 0.9, topP: 0.9), seed)])
            s.prime(with: "a")
            for _ in 0..<60 { _ = s.step(stream: 0) }
            return s.streams[0].text
        }
        #expect(try text(seed: 5) == text(seed: 5))
        #expect(try text(seed: 5) != text(seed: 6))
    }

    @Test("reset to prime restores the primed state exactly; a full reset goes to zero")
    func resets() throws {
        let m = model(symbols: letters, cell: .lstm)
        let s = try session(m, [(.init(temperature: 1), 3), (.greedy, 0)])
        s.prime(with: "tab")
        let primed = s.streams.map(\.hiddenValues)
        for _ in 0..<10 { _ = s.stepAll() }
        #expect(s.streams[0].hiddenValues != primed[0])
        s.resetToPrime()
        #expect(s.streams.map(\.hiddenValues) == primed)
        #expect(s.streams.allSatisfy { $0.text == "tab" && $0.generatedCount == 0 })
        // After a reset the greedy stream repeats itself; reseeding repeats a sampled one.
        s.reseed(stream: 0, seed: 99)
        let first = (0..<10).map { _ in s.stepAll().map(\.token) }
        s.resetToPrime()
        s.reseed(stream: 0, seed: 99)
        #expect((0..<10).map { _ in s.stepAll().map(\.token) } == first)

        s.resetAll()
        #expect(s.streams.allSatisfy { $0.hiddenValues.allSatisfy { $0 == 0 } && $0.text.isEmpty })
        #expect(s.prime.isEmpty)
        // Usable from the zero state: the first step feeds the start token (newline).
        let r = s.step(stream: 1)
        let startLogits = reference(m, tokens: [0]).logits
        #expect(r.token == startLogits.indices.max { startLogits[$0] < startLogits[$1] })
    }

    @Test("the next-character distribution can be read without drawing")
    func peekDrawsNothing() throws {
        let m = model(symbols: letters)
        let a = try session(m, [(.init(temperature: 1.5), 11)])
        let b = try session(m, [(.init(temperature: 1.5), 11)])
        a.prime(with: "lot")
        b.prime(with: "lot")
        let peek = a.nextDistribution(stream: 0)
        let logits = reference(m, tokens: tokens(m, "lot")).logits
        let sampler = try Sampler(settings: .init(temperature: 1.5), vocabularySize: 12, seed: 0)
        #expect(Array(peek.after) == sampler.distribution(logits: logits))
        for _ in 0..<5 { _ = a.nextDistribution(stream: 0) }
        #expect(a.streams[0].generator == b.streams[0].generator)
        #expect(a.streams[0].hiddenValues == b.streams[0].hiddenValues)
        #expect((0..<20).map { _ in a.step(stream: 0).token } == (0..<20).map { _ in b.step(stream: 0).token })
    }

    @Test("settings change between steps; invalid ones are rejected and the old ones stay")
    func settingsBetweenSteps() throws {
        let m = model(symbols: letters)
        let s = try session(m, [(.init(temperature: 2), 1)])
        s.prime(with: "c")
        _ = s.step(stream: 0)
        try s.update(settings: .init(temperature: 0), stream: 0)
        for _ in 0..<10 {
            let next = s.nextDistribution(stream: 0)
            let r = s.step(stream: 0)
            #expect(r.token == next.top[0].token)
            #expect(r.entropy == 0 && r.surprisal == 0)
        }
        #expect(throws: CharRNNError.self) { try s.update(settings: .init(topP: 2), stream: 0) }
        #expect(s.streams[0].settings == .init(temperature: 0))
    }

    @Test("out-of-vocabulary prime characters map to [UNK] when it exists")
    func unknownCharactersMapToUNK() throws {
        let m = model(symbols: letters + ["[UNK]"])
        let s = try session(m, [(.greedy, 0)])
        let report = s.prime(with: "hé€lo")
        #expect(report.mappedToUnknown == ["é", "€"])
        #expect(report.skipped.isEmpty && report.tokenCount == 5)
        #expect(report.warning?.contains("[UNK]") == true)
        let unk = m.vocabulary.unknownID!
        let ids = [m.vocabulary.id(of: "h")!, unk, unk, m.vocabulary.id(of: "l")!, m.vocabulary.id(of: "o")!]
        #expect(s.streams[0].hiddenValues == reference(m, tokens: ids).hidden)
        #expect(s.streams[0].primeText == "hé€lo")
    }

    @Test("out-of-vocabulary prime characters are skipped and reported without [UNK]")
    func unknownCharactersSkipped() throws {
        let m = model(symbols: letters)
        let s = try session(m, [(.greedy, 0)])
        let report = s.prime(with: "hé€lé")
        #expect(report.skipped == ["é", "€"])
        #expect(report.tokenCount == 2)
        #expect(report.warning?.hasPrefix("prime: skipped 2 character(s)") == true)
        #expect(s.streams[0].hiddenValues == reference(m, tokens: tokens(m, "hl")).hidden)
        // Nothing usable (or nothing at all): the start token is fed.
        for prime in ["ÉÉ", ""] {
            let r = s.prime(with: prime)
            #expect(r.startToken == 0 && r.tokenCount == 0)
            #expect(s.streams[0].hiddenValues == reference(m, tokens: [0]).hidden)
            _ = s.step(stream: 0)
        }
        let noNewline = model(symbols: ["x", " ", "y"])
        #expect(GenerationSession.startToken(noNewline.vocabulary) == 1)
    }

    @Test("a checkpoint swap keeps settings and text and leaves the session usable")
    func modelSwap() throws {
        let small = model(symbols: letters)
        let s = try session(small, [(.init(temperature: 0.8, topK: 4), 21), (.greedy, 0)])
        s.prime(with: "bat")
        for _ in 0..<12 { _ = s.stepAll() }
        let texts = s.streams.map(\.generatedText)
        let generator = s.streams[0].generator

        let bigger = model(symbols: letters + ["x", "y", "z", "[UNK]"], cell: .lstm, seed: 8)
        let report = try s.replaceModel(bigger)
        #expect(s.model === bigger)
        #expect(s.streams.map(\.generatedText) == texts)
        #expect(s.streams[0].settings == .init(temperature: 0.8, topK: 4))
        #expect(s.streams[0].generator == generator)
        #expect(report.tokenCount == 3 + 12 * 2)
        for stream in s.streams {
            #expect(stream.hiddenValues == reference(bigger, tokens: tokens(bigger, stream.text)).hidden)
        }
        let r = s.step(stream: 0)
        #expect(r.distribution.before.count == 16)
        #expect(r.distribution.supportSize == 4)

        s.resetToPrime()
        #expect(s.streams[1].hiddenValues == reference(bigger, tokens: tokens(bigger, "bat")).hidden)

        // Restarting from the prime drops generated text.
        for _ in 0..<5 { _ = s.stepAll() }
        try s.replaceModel(small, priming: .primeOnly)
        #expect(s.streams.allSatisfy { $0.generatedText.isEmpty && $0.text == "bat" })
        #expect(s.streams[0].hiddenValues == reference(small, tokens: tokens(small, "bat")).hidden)
        #expect(s.step(stream: 1).distribution.before.count == 12)
    }

    @Test("[UNK] drawn by the model is written as U+FFFD")
    func unknownTokenCharacter() throws {
        let m = model(symbols: ["[UNK]", "a"])
        let s = try session(m, [(.init(temperature: 1), 1)])
        s.prime(with: "a")
        let tokens = (0..<200).map { _ in s.step(stream: 0) }
        let unknown = try #require(tokens.first { $0.token == 0 })
        #expect(unknown.character == "\u{FFFD}")
        #expect(s.streams[0].generatedText.unicodeScalars.contains("\u{FFFD}"))
    }

    @Test("top entries: sorted, ties to the lower id, no more than asked or than V")
    func topEntries() {
        var top = TopEntries()
        let p: [Float] = [0.1, 0.3, 0.1, 0.3, 0.2]
        let q: [Float] = [0, 0.5, 0, 0.5, 0]
        top.fill(probabilities: p, sampled: q, count: 5, limit: 3)
        #expect(top.map(\.token) == [1, 3, 4])
        #expect(top.map(\.sampledProbability) == [0.5, 0.5, 0])
        top.fill(probabilities: p, sampled: q, count: 5, limit: 10)
        #expect(top.map(\.token) == [1, 3, 4, 0, 2])
        #expect(throws: CharRNNError.self) { try GenerationSession(model: model(symbols: letters), topCount: 17, compute: .streaming()) }
    }
}

@Suite("Generation session: repetition penalty and interrupted priming")
struct GenerationSessionPenaltyTests {
    @Test("each stream's penalty window holds the prime's last tokens, then what it wrote")
    func window() throws {
        let m = model(symbols: letters)
        let s = try session(m, [(SamplerSettings(repeatPenalty: 1.2, repeatLastN: 4), 1)])
        s.prime(with: "hello there")
        #expect(s.streams[0].sampler.recent.tokens == tokens(m, "here"))
        let report = s.step(stream: 0)
        #expect(s.streams[0].sampler.recent.tokens == tokens(m, "ere") + [report.token])
        s.resetToPrime()
        #expect(s.streams[0].sampler.recent.tokens == tokens(m, "here"))
        s.resetAll()
        #expect(s.streams[0].sampler.recent.tokens.isEmpty)
    }

    @Test("priming asks shouldContinue every few hundred characters; a no leaves a reset session")
    func interrupted() throws {
        let m = model(symbols: letters)
        let s = try session(m, [(.greedy, 1)])
        s.prime(with: "hello")
        var calls = 0
        let report = s.prime(
            with: String(repeating: "hello there ", count: 100),
            shouldContinue: {
                calls += 1
                return calls < 2
            })
        #expect(report == nil)
        #expect(calls == 2)
        #expect(s.prime.isEmpty)
        #expect(s.streams[0].text.isEmpty)
        let fresh = try session(m, [(.greedy, 1)])
        #expect(s.streams[0].hiddenValues == fresh.streams[0].hiddenValues, "zero state, as after resetAll")
        #expect(s.step(stream: 0).token == fresh.step(stream: 0).token)
    }

    @Test("a prime that is not interrupted gives what prime(with:) gives")
    func uninterrupted() throws {
        let m = model(symbols: letters)
        let a = try session(m, [(.greedy, 1)])
        let b = try session(m, [(.greedy, 1)])
        let text = String(repeating: "the cat ", count: 80)
        #expect(a.prime(with: text, shouldContinue: { true }) == b.prime(with: text))
        #expect(a.streams[0].hiddenValues == b.streams[0].hiddenValues)
    }
}
