import Testing
@testable import CharRNN

@Suite("bfloat16 streaming")
struct BF16StreamingTests {
    /// H = 512 so every matrix is big enough to be shared across cores under float32; bfloat16
    /// runs W_hh, the upper W_ih and fc on one core with weights and inputs rounded to 8
    /// significant bits (relative error ≤ 2⁻⁸ each). Through 2 layers and 40 carried steps the
    /// logits stay within 0.004 of float32's: about 10× the error measured (3.5e-4 GRU, 1.3e-4
    /// LSTM), far below what a wrong row or column would cost.
    @Test(
        "Streaming in bfloat16 stays close to float32, and really rounds",
        .enabled(if: BF16Matrix.isSupported), arguments: Cell.allCases)
    func closeToFloat32(cell: Cell) {
        let model = makeModel(cell, vocabulary: 65, embedding: 16, hidden: 512, layers: 2)
        let f32 = StreamingModel(model, compute: .streaming(split: true))
        let bf16 = StreamingModel(model, compute: .streaming(split: true, precision: .bfloat16))
        let a = f32.makeState(), b = bf16.makeState()
        var worst: Float = 0
        for token in randomTokens(40, vocabulary: 65, seed: 5) {
            f32.step(Int(token), a)
            bf16.step(Int(token), b)
            worst = max(worst, maxAbsDifference(Array(a.logits), Array(b.logits)))
        }
        #expect(worst < 0.004)
        #expect(worst > 0)  // the bfloat16 path ran
    }
}
