import Testing

@testable import CharRNN

/// The scoring fast path: the training graph's logits, chunk by chunk with the state carried, and
/// a state that can be set back to recompute a chunk exactly or handed to a generation stream.
@Suite("Scoring a text a chunk at a time")
struct ChunkScorerTests {
    /// Scores `tokens` in chunks of `chunk` from a zero state; returns every chunk's logits.
    func scoreAll(_ scorer: ChunkScorer, _ tokens: [Int32], chunk: Int, _ state: StreamingState) -> [[Float]] {
        let V = scorer.model.config.vocabularySize
        return stride(from: 0, to: tokens.count, by: chunk).map { start in
            let n = min(chunk, tokens.count - start)
            let logits = scorer.score(tokens[start..<start + n], state)
            return Array(UnsafeBufferPointer(start: logits, count: n * V))
        }
    }

    @Test("Chunked scoring gives the training graph's logits over the whole sequence", arguments: Cell.allCases)
    func equalsTrainingGraph(cell: Cell) {
        let model = makeModel(cell, layers: 3)
        let x = randomTokens(30, vocabulary: 7, seed: 5)
        let graph = SequenceGraph(model: model, batch: 1, steps: 30, compute: .training)
        graph.resetState()
        _ = graph.forward(inputs: x, targets: x)
        let scorer = ChunkScorer(StreamingModel(model, compute: .training), maxChunk: 8)
        let logits = scoreAll(scorer, x, chunk: 8, scorer.model.makeState()).flatMap { $0 }
        #expect(maxAbsDifference(graph.logits.array, logits) < 1e-5)
    }

    @Test(
        "After a chunk the state is the streamed state: its logits predict the next character",
        arguments: Cell.allCases)
    func stateEqualsStreaming(cell: Cell) {
        let model = makeModel(cell, layers: 2)
        let x = randomTokens(12, vocabulary: 7, seed: 6)
        let stream = StreamingModel(model, compute: .training)
        let streamed = stream.makeState()
        x.forEach { stream.step(Int($0), streamed) }
        let scorer = ChunkScorer(stream, maxChunk: 12)
        let scored = stream.makeState()
        let chunks = scoreAll(scorer, x, chunk: 5, scored)
        #expect(scored.stepped)
        #expect(maxAbsDifference(scored.hiddenValues, streamed.hiddenValues) < 1e-6)
        #expect(maxAbsDifference(Array(scored.logits), Array(streamed.logits)) < 1e-5)
        #expect(Array(scored.logits) == Array(chunks.last!.suffix(7)))
        // Generation goes on from the scored state as from the streamed one.
        stream.step(3, scored)
        stream.step(3, streamed)
        #expect(maxAbsDifference(Array(scored.logits), Array(streamed.logits)) < 1e-5)
    }

    @Test("A chunk recomputed from a snapshot of its starting state is bit-identical", arguments: Cell.allCases)
    func recomputeFromSnapshot(cell: Cell) {
        // H = 300: W_hh is big enough for the two-core mat-vec, whose rows may go to either core.
        let model = makeModel(cell, vocabulary: 20, embedding: 8, hidden: 300, layers: 2)
        let x = randomTokens(90, vocabulary: 20, seed: 7)
        let stream = StreamingModel(model, compute: .streaming(split: true))
        #expect(stream.split != nil)
        let scorer = ChunkScorer(stream, maxChunk: 30)
        let state = stream.makeState(), snapshot = stream.makeState(), after = stream.makeState()
        var first: [[Float]] = []
        for start in stride(from: 0, to: 90, by: 30) {
            if start == 30 { snapshot.copy(from: state) }
            first += scoreAll(scorer, Array(x[start..<start + 30]), chunk: 30, state)
            if start == 30 { after.copy(from: state) }
        }
        let again = stream.makeState()
        again.copy(from: snapshot)
        let recomputed = scoreAll(scorer, Array(x[30..<60]), chunk: 30, again)
        #expect(recomputed[0] == first[1])
        #expect(again.hiddenValues == after.hiddenValues && Array(again.logits) == Array(after.logits))
    }

    @Test("eval's figure on the fixtures is the training graph's within 1e-6", arguments: ["tiny-gru", "tiny-lstm"])
    func evaluationUnchanged(name: String) throws {
        let model = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
        let text = try UTF8Text.read(path: fixturePath("\(name).eval.txt"))
        let tokens = try model.vocabulary.encodeAll(text, what: name)
        let n = tokens.count - 1
        let graph = SequenceGraph(model: model, batch: 1, steps: n, compute: .training)
        graph.resetState()
        let expected = graph.forward(inputs: Array(tokens.dropLast()), targets: Array(tokens.dropFirst())) / Double(n)
        for chunk in [1000, 7] {
            let r = try Evaluation.evaluate(model, tokens: tokens, chunk: chunk, compute: .streaming())
            #expect(abs(r.natsPerCharacter - expected) <= 1e-6 * expected, "chunk \(chunk)")
        }
    }
}
