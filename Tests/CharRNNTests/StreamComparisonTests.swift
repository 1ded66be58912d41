import Foundation
import Testing

@testable import CharRNN

@Suite("Stream specs and two-model comparison")
struct StreamComparisonTests {
    @Test("stream specs read greedy, sampled, tX and beam:K")
    func specs() throws {
        let base = SamplerSettings(method: .gumbel, temperature: 0.7, topK: 9)
        let specs = try StreamSpec.parseList("greedy, beam:5,t0.5,sampled", base: base)
        #expect(specs.map(\.name) == ["greedy", "beam:5", "t0.5", "sampled"])
        #expect(specs[0].settings == .greedy)
        #expect(specs[1].settings.method == .beam && specs[1].settings.beamWidth == 5)
        #expect(specs[2].settings == SamplerSettings(method: .gumbel, temperature: 0.5, topK: 9))
        #expect(specs[3].settings == base)
        let fromGreedy = try StreamSpec("t1.0", base: .greedy)
        #expect(fromGreedy.settings.method == .multinomial && fromGreedy.settings.temperature == 1)
        #expect(try StreamSpec.parseList(StreamSpec.defaultList, base: base).map(\.settings) == [.greedy, base])
    }

    @Test(
        "bad stream specs throw one message naming the spec",
        arguments: ["", "greedy,", "fast", "t", "tx", "t-1", "tnan", "beam", "beam:", "beam:0", "beam:x",
                    "greedy,greedy,greedy,greedy,greedy"])
    func badSpecs(list: String) {
        #expect(throws: CharRNNError.self) { try StreamSpec.parseList(list, base: .init()) }
    }

    @Test("two models compared side by side each write what they write alone")
    func comparisonEqualsEachAlone() throws {
        let gru = try CharRNNModel.load(path: fixturePath("tiny-gru.safetensors"))
        let lstm = try CharRNNModel.load(path: fixturePath("tiny-lstm.safetensors"))
        let settings = SamplerSettings(temperature: 0.9)
        let both = try ModelComparison(gru, lstm, settings: settings, seed: 8, topCount: 5, compute: .streaming())
        both.prime(with: "When ")
        var kls: [Double] = []
        for _ in 0..<60 { kls.append(both.step().klDivergenceBits) }
        #expect(kls.allSatisfy { $0.isFinite && $0 > 0 })
        for (model, session) in [(gru, both.first), (lstm, both.second)] {
            let alone = try GenerationSession(model: model, compute: .streaming())
            try alone.addStream(settings: settings, seed: 8)
            alone.prime(with: "When ")
            for _ in 0..<60 { _ = alone.step(stream: 0) }
            #expect(alone.streams[0].text == session.streams[0].text)
        }
    }

    @Test("KL of a model against itself is 0; missing symbols keep it finite and positive")
    func divergence() throws {
        let gru = try CharRNNModel.load(path: fixturePath("tiny-gru.safetensors"))
        let same = try ModelComparison(gru, gru, settings: .greedy, seed: 0, compute: .streaming())
        same.prime(with: "The ")
        for _ in 0..<30 { #expect(same.step().klDivergenceBits == 0) }

        let a = try Vocabulary(symbols: ["a", "b", "c"]), b = try Vocabulary(symbols: ["c", "b", "d"])
        let union = VocabularyUnion(a, b)
        #expect(union.symbols == ["a", "b", "c", "d"])
        let p: [Float] = [0.5, 0.25, 0.25], q: [Float] = [0.25, 0.25, 0.5]
        // The same distribution over the union (b and c at 0.5), given in each vocabulary's order.
        #expect(union.klDivergenceBits([0, 0.5, 0.5], [0.5, 0.5, 0]) == 0)
        let kl = union.klDivergenceBits(p, q)
        #expect(kl.isFinite && kl > 1)  // p puts 0.5 on "a", which the second model lacks
        #expect(VocabularyUnion(a, a).klDivergenceBits(p, p) == 0)
    }
}
