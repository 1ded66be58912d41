import Foundation
import Testing
@testable import CharRNN

@Suite("bfloat16 evaluation")
struct BF16EvaluationTests {
    /// The fixtures' trained tiny models (H = 32) on their sonnet excerpt: eval's per-step W_hh · h
    /// in bfloat16 moves the loss by a few 1e-4 nats/char (measured below 3e-4); the bound is 10×
    /// that and far below what a wrong row or a skipped product would cost (tenths of a nat).
    @Test(
        "Eval in bfloat16 is within 0.003 nats/char of float32, and really rounds",
        .enabled(if: BF16Matrix.isSupported, "this CPU has no AVX-512 BF16: the bfloat16 path cannot run"),
        arguments: ["tiny-gru", "tiny-lstm"])
    func closeToFloat32(fixture: String) throws {
        let model = try CharRNNModel.load(path: fixturePath("\(fixture).safetensors"))
        let text = try UTF8Text.read(path: fixturePath("\(fixture).eval.txt"))
        let tokens = try model.vocabulary.encodeAll(text, what: "eval.txt")
        let f32 = try Evaluation.evaluate(model, tokens: tokens, chunk: 50, compute: .streaming())
        let bf16 = try Evaluation.evaluate(
            model, tokens: tokens, chunk: 50, compute: .streaming(precision: .bfloat16))
        #expect(abs(bf16.natsPerCharacter - f32.natsPerCharacter) < 0.003)
        #expect(bf16.natsPerCharacter != f32.natsPerCharacter)
    }

    @Test(
        "Under bfloat16 the scorer's last logits are the streamed ones within rounding",
        .enabled(if: BF16Matrix.isSupported), arguments: Cell.allCases)
    func scoringCloseToStreaming(cell: Cell) {
        let model = makeModel(cell, vocabulary: 65, embedding: 16, hidden: 512, layers: 2)
        let streaming = StreamingModel(model, compute: .streaming(precision: .bfloat16))
        let tokens = randomTokens(60, vocabulary: 65, seed: 11)
        let scored = streaming.makeState(), streamed = streaming.makeState()
        _ = ChunkScorer(streaming, maxChunk: 60).score(tokens[...], scored)
        for token in tokens { streaming.step(Int(token), streamed) }
        let difference = maxAbsDifference(Array(scored.logits), Array(streamed.logits))
        #expect(difference < 0.004)  // as BF16StreamingTests' bound against float32
    }
}
