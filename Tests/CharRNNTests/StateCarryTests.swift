import Testing
@testable import CharRNN

@Suite("Hidden state carries exactly")
struct StateCarryTests {
    @Test("A sequence run in chunks with carried state equals the whole run", arguments: Cell.allCases)
    func chunkedEqualsWhole(cell: Cell) {
        let model = makeModel(cell, layers: 2)
        let text = randomTokens(25, vocabulary: 7, seed: 21)
        let x = Array(text.dropLast()), y = Array(text.dropFirst())
        let whole = SequenceGraph(model: model, batch: 1, steps: 24, compute: .streaming())
        whole.resetState()
        let wholeNLL = whole.forward(inputs: x, targets: y)
        let chunked = SequenceGraph(model: model, batch: 1, steps: 6, compute: .streaming())
        chunked.resetState()
        var chunkedNLL = 0.0
        var chunkedLogits: [Float] = []
        for start in stride(from: 0, to: 24, by: 6) {
            chunkedNLL += chunked.forward(inputs: Array(x[start..<start + 6]), targets: Array(y[start..<start + 6]))
            chunkedLogits += chunked.logits.array
            chunked.carryState()
        }
        #expect(abs(wholeNLL - chunkedNLL) < 1e-4)
        #expect(maxAbsDifference(whole.logits.array, chunkedLogits) < 1e-5)
    }

    @Test("Streaming one character at a time gives the sequence logits", arguments: Cell.allCases)
    func streamingEqualsSequence(cell: Cell) {
        let model = makeModel(cell, layers: 3)
        let x = randomTokens(10, vocabulary: 7, seed: 8)
        let graph = SequenceGraph(model: model, batch: 1, steps: 10, compute: .streaming())
        graph.resetState()
        _ = graph.forward(inputs: x, targets: x)
        let stream = StreamingModel(model, compute: .streaming())
        let state = stream.makeState()
        var streamed: [Float] = []
        for token in x {
            stream.step(Int(token), state)
            streamed += Array(state.logits)
        }
        #expect(maxAbsDifference(graph.logits.array, streamed) < 1e-5)
    }

    @Test("Reset returns a stream to the zero state")
    func resetIsZero() {
        let stream = StreamingModel(makeModel(.lstm), compute: .streaming())
        let state = stream.makeState()
        stream.step(3, state)
        #expect(state.hiddenValues.contains { $0 != 0 })
        state.reset()
        #expect(state.hiddenValues.allSatisfy { $0 == 0 })
    }
}
