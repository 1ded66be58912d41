import Testing

@testable import CharRNN

/// A model whose outputs are not finite is reported as such, never scored as a number.
@Suite("Non-finite evaluation")
struct NonFiniteEvaluationTests {
    func model(_ change: (ParameterSet) -> Void) -> CharRNNModel {
        let vocabulary = Vocabulary(corpus: "abcdef".unicodeScalars)
        let config = ModelConfig(vocabularySize: vocabulary.count, embeddingSize: 4, hiddenSize: 8)
        let model = CharRNNModel(config: config, vocabulary: vocabulary, seed: 1)
        change(model.parameters)
        return model
    }

    let tokens: [Int32] = (0..<2500).map { Int32($0 % 6) }

    @Test("output biases of ±3e38 give non-finite outputs at the first character, not 0 nats")
    func hugeOutputWeights() throws {
        let bad = model { p in p.set("fc.bias", [3e38, -3e38, 3e38, -3e38, 3e38, -3e38]) }
        #expect(throws: CharRNNError("non-finite outputs at character 2: the model's weights overflow")) {
            try Evaluation.evaluate(bad, tokens: tokens, compute: .training)
        }
    }

    @Test("outputs that only overflow later name that character, across chunks")
    func laterCharacter() throws {
        // Token 5 ("f") first appears as input at index 5 and sends NaN through the state.
        let bad = model { p in p.value("embedding.weight")[5 * 4] = .nan }
        #expect(throws: CharRNNError("non-finite outputs at character 7: the model's weights overflow")) {
            try Evaluation.evaluate(bad, tokens: tokens, compute: .training)
        }
        let late = Array(repeating: Int32(0), count: 1500) + [5, 0, 1]
        #expect(throws: CharRNNError("non-finite outputs at character 1502: the model's weights overflow")) {
            try Evaluation.evaluate(bad, tokens: late, compute: .training)
        }
    }

    @Test("a sound model still scores a finite figure")
    func soundModel() throws {
        let r = try Evaluation.evaluate(model { _ in }, tokens: tokens, compute: .training)
        #expect(r.natsPerCharacter.isFinite && r.perplexity.isFinite)
    }
}
