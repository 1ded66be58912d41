import Foundation
import Testing

@testable import CharRNN

/// Dynamic evaluation: each chunk scored first, then learned from, on a copy of the model.
@Suite("Dynamic evaluation")
struct DynamicEvaluationTests {
    let model: CharRNNModel
    let evalTokens: [Int32]
    /// A phrase of the fixture's text said 12 times: what a model that learns as it reads soon knows.
    let repetitive: [Int32]

    init() throws {
        model = try CharRNNModel.load(path: fixturePath("tiny-gru.safetensors"))
        evalTokens = try model.vocabulary.encodeAll(try UTF8Text.read(path: fixturePath("tiny-gru.eval.txt")), what: "")
        repetitive = Array(Array(evalTokens.prefix(60)).repeated(12))
    }

    func dynamicReading(
        _ tokens: [Int32], _ method: DynamicEvaluationSettings.Method = .rms, lr: Float, chunk: Int = 20
    ) throws -> TextReading {
        let settings = DynamicEvaluationSettings(method: method, uncheckedLearningRate: lr, chunkLength: chunk)
        return try TextReading.read(model, tokens: tokens, top: 3, learning: settings, compute: .training)
    }

    @Test("With a learning rate of 0 the figures are the static reading's", arguments: [1, 20, 1000])
    func zeroRateIsStatic(chunk: Int) throws {
        for method in DynamicEvaluationSettings.Method.allCases {
            let dynamic = try dynamicReading(evalTokens, method, lr: 0, chunk: chunk)
            let statics = try TextReading.read(model, tokens: evalTokens, top: 3, chunk: chunk, compute: .training)
            #expect(dynamic.characters.count == statics.characters.count)
            for (d, s) in zip(dynamic.characters, statics.characters) {
                #expect(d.token == s.token && d.rank == s.rank)
                #expect(abs(d.probability - s.probability) <= 1e-5 * s.probability)
            }
            #expect(abs(dynamic.summary.natsPerCharacter - statics.summary.natsPerCharacter) < 1e-6)
            #expect(dynamic.candidates(at: 7).map(\.token) == statics.candidates(at: 7).map(\.token))
        }
    }

    @Test("On a repetitive text the model learns: nats/char falls clearly, most in the later repeats")
    func learnsRepetition() throws {
        let statics = try TextReading.read(model, tokens: repetitive, top: 3, compute: .training)
        for (method, lr) in [(DynamicEvaluationSettings.Method.rms, Float(3e-3)), (.sgd, 1)] {
            let dynamic = try dynamicReading(repetitive, method, lr: lr)
            #expect(dynamic.summary.natsPerCharacter < statics.summary.natsPerCharacter - 0.2, "\(method)")
            let lastRepeat = { (r: TextReading) in r.characters.suffix(60).map { Double(-log($0.probability)) } }
            #expect(lastRepeat(dynamic).reduce(0, +) < lastRepeat(statics).reduce(0, +) / 2, "\(method)")
        }
    }

    @Test("The model given is never changed: it learns on a copy")
    func modelUntouched() throws {
        let before = Array(UnsafeBufferPointer(start: model.parameters.values, count: model.parameters.count))
        _ = try dynamicReading(repetitive, lr: 3e-3)
        #expect(Array(UnsafeBufferPointer(start: model.parameters.values, count: model.parameters.count)) == before)
        let again = try TextReading.read(model, tokens: repetitive, top: 3, compute: .training)
        let statics = try TextReading.read(model.copy(), tokens: repetitive, top: 3, compute: .training)
        #expect(again.summary == statics.summary)
    }

    @Test("Chunk by chunk: the readings of the chunks, joined, are the whole text's")
    func chunkByChunk() throws {
        let settings = try DynamicEvaluationSettings(method: .rms, learningRate: 3e-3, chunkLength: 37)
        let whole = try TextReading.read(model, tokens: evalTokens, top: 2, learning: settings, compute: .training)
        let learner = DynamicEvaluation(model: model, settings: settings, compute: .training)
        var characters: [CharacterReading] = [], nats = 0.0
        while let chunk = try learner.readNextChunk(of: evalTokens, top: 2) {
            #expect(chunk.tokens == Array(evalTokens[characters.count...characters.count + chunk.characters.count]))
            #expect(chunk.candidates(at: 1) == whole.candidates(at: characters.count + 1))
            characters += chunk.characters
            nats += chunk.summary.natsPerCharacter * Double(chunk.summary.characters)
            #expect(learner.position == characters.count)
        }
        #expect(characters == whole.characters)
        #expect(abs(nats / Double(characters.count) - whole.summary.natsPerCharacter) < 1e-12)
        #expect(try learner.readNextChunk(of: evalTokens) == nil)
    }

    @Test("A learning rate that blows the weights up is an error naming the character, never a NaN figure")
    func divergence() throws {
        #expect(throws: CharRNNError.self) { try dynamicReading(repetitive, .sgd, lr: 1e30, chunk: 5) }
        do {
            _ = try dynamicReading(repetitive, .sgd, lr: 1e30, chunk: 5)
        } catch let error as CharRNNError {
            #expect(error.message.contains("non-finite outputs at character"))
        }
    }

    @Test("Settings: a learning rate ≤ 0 or not finite, and a chunk < 1, are refused")
    func badSettings() throws {
        for lr: Float in [0, -1, .nan, .infinity, -.infinity] {
            #expect(throws: CharRNNError.self) { try DynamicEvaluationSettings(learningRate: lr) }
        }
        for chunk in [0, -5, .min] {
            #expect(throws: CharRNNError.self) { try DynamicEvaluationSettings(chunkLength: chunk) }
        }
        #expect(throws: CharRNNError.self) {
            try TextReading.read(model, tokens: [1], learning: try DynamicEvaluationSettings(), compute: .training)
        }
        #expect(try DynamicEvaluationSettings().summary == "rms, lr 0.0003, chunks of 50")
    }
}

extension Array {
    fileprivate func repeated(_ times: Int) -> [Element] { (0..<times).flatMap { _ in self } }
}
