import Foundation
import Testing

@testable import CharRNN

private let letters = ["\n", " ", "a", "b", "c", "d", "e", "h", "l", "o", "r", "t"]

private func model(_ cell: Cell) -> CharRNNModel {
    let config = ModelConfig(cell: cell, vocabularySize: letters.count, embeddingSize: 6, hiddenSize: 8, layers: 2)
    return CharRNNModel(config: config, vocabulary: try! Vocabulary(symbols: letters), seed: 5)
}

private func ids(_ m: CharRNNModel, _ text: String) -> [Int] { text.unicodeScalars.map { m.vocabulary.id(of: $0)! } }

/// Hidden values and next-character logits of a fresh model fed `tokens` from the zero state.
private func fresh(_ m: CharRNNModel, _ tokens: [Int]) -> (hidden: [Float], logits: [Float]) {
    let streaming = StreamingModel(m, compute: .streaming())
    let state = streaming.makeState()
    for t in tokens { streaming.step(t, state) }
    return (state.hiddenValues, Array(state.logits))
}

private func steering(_ m: CharRNNModel, prime: String = "the ", interval: Int = 8) throws -> SteeringSession {
    try SteeringSession(
        model: m, settings: .init(temperature: 1.3), seed: 4, prime: prime, topCount: 5, snapshotInterval: interval,
        compute: .streaming())
}

@Suite("Steering: choose, rewind, branch")
struct SteeringTests {
    @Test(
        "rewinding to any position gives bit-equal state and logits to a fresh run of the same text",
        arguments: Cell.allCases)
    func rewindIsExact(cell: Cell) throws {
        let m = model(cell)
        let s = try steering(m)
        for _ in 0..<50 { s.step() }
        let prime = ids(m, "the "), tokens = s.branch.tokens
        #expect(tokens.count == 50)
        for position in [49, 23, 24, 7, 8, 9, 0, 1, 16, 50, 31] {
            s.moveCursor(to: position)
            let expected = fresh(m, prime + tokens.prefix(position))
            #expect(s.cursor == position)
            #expect(s.stream.hiddenValues == expected.hidden, "position \(position)")
            #expect(Array(s.stream.state.logits) == expected.logits, "position \(position)")
            #expect(s.stream.generatedText == String(s.branch.text.unicodeScalars.prefix(position)))
            #expect(s.branch.tokens == tokens, "moving the cursor keeps the branch")
        }
    }

    @Test("the cursor stops at the prime and at the branch's end")
    func cursorIsClamped() throws {
        let s = try steering(model(.gru))
        for _ in 0..<5 { s.step() }
        s.moveCursor(to: -3)
        #expect(s.cursor == 0 && s.stream.text == "the ")
        s.moveCursor(to: 1000)
        #expect(s.cursor == 5 && s.branches.count == 1)
    }

    @Test("choosing characters equals priming with the same text; the report records rank and probability")
    func chooseEqualsPriming() throws {
        let m = model(.lstm)
        let s = try steering(m, prime: "the")
        for token in ids(m, " cat") {
            let before = Array(s.nextDistribution().before)
            let report = s.choose(token: token)
            #expect(report.token == token)
            #expect(report.rank == 1 + before.filter { $0 > before[token] }.count)
            #expect(abs(Double(report.surprisalAtT1) + log(Double(before[token]))) < 1e-5)
        }
        let primed = fresh(m, ids(m, "the cat"))
        #expect(s.stream.hiddenValues == primed.hidden)
        #expect(Array(s.stream.state.logits) == primed.logits)
        #expect(s.stream.text == "the cat" && s.branch.text == " cat")

        // Choosing the greedy character reports what a greedy step reports.
        let greedy = try GenerationSession(model: m, topCount: 5, compute: .streaming())
        try greedy.addStream(settings: .greedy, seed: 0)
        try greedy.addStream(settings: .greedy, seed: 0)
        greedy.prime(with: "the cat")
        let stepped = greedy.step(stream: 0), chosen = greedy.choose(stepped.token, stream: 1)
        #expect(chosen.rank == 1 && stepped.rank == 1)
        #expect(chosen.surprisalAtT1 == stepped.surprisalAtT1 && chosen.character == stepped.character)
        #expect(greedy.streams[0].hiddenValues == greedy.streams[1].hiddenValues)
    }

    @Test("a different character at a rewound position starts a branch; branches keep their texts and scores")
    func branches() throws {
        let m = model(.gru)
        let s = try steering(m)
        for _ in 0..<20 { s.step() }
        let first = s.branch
        s.moveCursor(to: 10)
        let other = (0..<letters.count).first { $0 != first.tokens[10] }!
        s.choose(token: other)
        for _ in 0..<5 { s.step() }
        #expect(s.branches.count == 2 && s.current == 1)
        let second = s.branch
        #expect(second.parent == 0 && second.forkPosition == 10 && second.count == 16)
        #expect(Array(second.tokens.prefix(11)) == Array(first.tokens.prefix(10)) + [other])
        #expect(s.branches[0] == first, "the parent is untouched")

        // Each branch's score is what choosing its characters on a fresh stream gives.
        for branch in s.branches {
            let alone = try steering(m)
            var sum: Double = 0
            for token in branch.tokens { sum += -Double(alone.choose(token: token).surprisalAtT1) }
            #expect(branch.logProbability == sum)
            #expect(branch.text == alone.branch.text)
            let bits = try #require(branch.meanBitsPerCharacter)
            #expect(abs(bits - (-sum / Double(branch.count) / log(2))) < 1e-12)
        }

        // Back to the first branch: its end state is a fresh run of its text.
        s.select(branch: 0)
        #expect(s.current == 0 && s.cursor == 20)
        #expect(s.stream.hiddenValues == fresh(m, ids(m, "the ") + first.tokens).hidden)
        // The same choice at the fork goes back to the second branch; the first's own character follows it.
        s.moveCursor(to: 10)
        s.choose(token: other)
        #expect(s.current == 1 && s.cursor == 11 && s.branches.count == 2)
        s.select(branch: 0)
        s.moveCursor(to: 10)
        s.choose(token: first.tokens[10])
        #expect(s.current == 0 && s.cursor == 11 && s.branches.count == 2)
        #expect(s.stream.hiddenValues == fresh(m, ids(m, "the ") + first.tokens.prefix(11)).hidden)
    }

    @Test("a long run keeps one snapshot per interval")
    func boundedMemory() throws {
        let m = model(.gru)
        let streaming = StreamingModel(m, compute: .streaming())
        let state = streaming.makeState()
        let history = StateHistory(model: streaming, base: state, interval: 16)
        for i in 0..<1000 { history.feed(i % letters.count, into: state) }
        #expect(history.snapshotCount == 1000 / 16 + 1)
        history.rewind(to: 500, into: state)
        #expect(history.snapshotCount == 500 / 16 + 1 && history.tokens.count == 500)
        #expect(throws: CharRNNError.self) {
            try SteeringSession(
                model: m, settings: .greedy, seed: 0, prime: "", snapshotInterval: 0, compute: .streaming())
        }
    }
}
