import Testing

@testable import CharRNN

@Suite("Memory estimate")
struct MemoryEstimateTests {
    @Test("the estimate follows the documented formula")
    func formula() throws {
        var settings = TrainingSettings()
        settings.batchSize = 4
        settings.sequenceLength = 12
        let config = ModelConfig(vocabularySize: 10, embeddingSize: 8, hiddenSize: 16)
        #expect(config.parameterCount == 1498)
        // weights and gradients 2P, Adam 2P, state copies 2·3P; training graph n = 48:
        // 48·(4·48 + 4·16) + 2·max(10·48, 48·8) + 2·48·10; validation chunk n = 1000:
        // 1000·(4·48 + 4·16) + 2·max(480, 8000) + 2·1000·10; 12 bytes a corpus character.
        let floats = 2 * 1498 + 2 * 1498 + 6 * 1498 + (12_288 + 960 + 960) + (256_000 + 16_000 + 20_000)
        let estimate = try MemoryEstimate(training: config, settings: settings, corpusCharacters: 1000)
        #expect(estimate.bytes == 4 * floats + 12_000)
        #expect(estimate.text == "0.00 GiB")
    }

    @Test("a run past --max-memory or the machine's memory is refused in one line")
    func refusals() throws {
        let small = try MemoryEstimate(
            training: ModelConfig(vocabularySize: 65), settings: TrainingSettings(), corpusCharacters: 1_000_000)
        try small.check(maxGiB: nil)
        try small.check(maxGiB: 1)
        #expect(throws: CharRNNError.self) { try small.check(maxGiB: 0.01) }
        for bad in [0, -1, Double.nan, .infinity, 2e6] {
            #expect(throws: CharRNNError.self) { try small.check(maxGiB: bad) }
        }
        let huge = try MemoryEstimate(
            training: ModelConfig(vocabularySize: 65_536, embeddingSize: 16_384, hiddenSize: 16_384, layers: 64),
            settings: TrainingSettings(), corpusCharacters: 0)
        #expect(huge.bytes > 1 << 40)
        let error = #expect(throws: CharRNNError.self) { try huge.check(maxGiB: nil) }
        #expect(error?.message.hasPrefix("training needs about") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("GiB available") == true)
        #expect(MemoryEstimate.availableBytes().map { $0 > 0 } == true)
    }

    @Test("a large vocabulary is evaluated in shorter chunks")
    func evaluationChunks() {
        #expect(Evaluation.chunkLength(1000, vocabularySize: 65) == 1000)
        #expect(Evaluation.chunkLength(1000, vocabularySize: 65_536) == 64)
    }
}
