import Foundation
import Testing

@testable import CharRNN

/// Reading a long text in chunks, in the background: the same figures as one pass, whole
/// distributions recomputed from snapshots, and a state to generate from.
@Suite("Reading a text progressively")
struct ProgressiveReadingTests {
    static let cases = ["tiny-gru", "tiny-lstm"]

    func text(_ name: String) throws -> (CharRNNModel, [Int32]) {
        let model = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
        let text = try UTF8Text.read(path: fixturePath("\(name).eval.txt"))
        return (model, try model.vocabulary.encodeAll(text, what: "fixture"))
    }

    /// Polls until the background reading ends (at most 30 s).
    func waitForEnd(_ reading: ProgressiveReading) {
        for _ in 0..<3000 where !reading.isComplete && reading.failure == nil { usleep(10_000) }
    }

    @Test("read in the background in chunks, it gives one pass's figures, candidates and summary", arguments: cases)
    func equalsOnePass(name: String) throws {
        let (model, tokens) = try text(name)
        let whole = try TextReading.read(model, tokens: tokens, top: 3, compute: .training)
        let reading = ProgressiveReading(model, tokens: tokens, top: 3, chunk: 7)
        #expect(reading.readCount == 0 && reading.summary == nil)
        reading.readInBackground()
        waitForEnd(reading)
        #expect(reading.isComplete && reading.failure == nil)
        #expect(reading.readCount == whole.characters.count)
        for position in 1...reading.readCount {
            let ours = reading.figures(at: position)
            let theirs = whole.characters[position - 1]
            #expect(ours.token == theirs.token && ours.rank == theirs.rank, "position \(position)")
            #expect(abs(ours.probability - theirs.probability) <= 1e-5 * max(theirs.probability, 1e-3))
            #expect(abs(ours.surprisalBits - theirs.surprisalBits) <= 1e-4)
            #expect(abs(ours.entropyBits - theirs.entropyBits) <= 1e-4)
            #expect(reading.candidates(at: position).map(\.token) == whole.candidates(at: position).map(\.token))
        }
        let summary = try #require(reading.summary)
        #expect(summary.characters == whole.summary.characters)
        #expect(abs(summary.natsPerCharacter / whole.summary.natsPerCharacter - 1) < 1e-6)
        #expect(reading.rankHistogram == whole.rankHistogram)
    }

    @Test("the chunk length changes nothing: figures are bit-equal for chunks of 1, 7 and 256", arguments: cases)
    func chunkingIndependent(name: String) throws {
        let (model, tokens) = try text(name)
        let readings = [1, 7, 256].map { ProgressiveReading(model, tokens: tokens, chunk: $0) }
        for r in readings { r.readAll() }
        for position in 1...tokens.count - 1 {
            let f = readings.map { $0.figures(at: position) }
            #expect(f[0] == f[1] && f[1] == f[2], "position \(position)")
            #expect(readings[0].candidates(at: position) == readings[2].candidates(at: position))
        }
        // Only the order of the per-chunk sums differs.
        let nats = readings.map { $0.summary!.natsPerCharacter }
        #expect(nats.allSatisfy { abs($0 / nats[0] - 1) < 1e-12 })
    }

    @Test("a distribution recomputed from its chunk's snapshot equals the stored figures exactly", arguments: cases)
    func recomputedEqualsStored(name: String) throws {
        let (model, tokens) = try text(name)
        let reading = ProgressiveReading(model, tokens: tokens, top: 5, chunk: 16)
        reading.readAll()
        for position in 1...reading.readCount {
            let d = reading.distribution(at: position)
            #expect(d.figures == reading.figures(at: position), "position \(position)")
            #expect(d.probabilities[Int(tokens[position])] == d.figures.probability)
            let best = d.top.prefix(5).map { ReadCandidate(token: Int32($0.token), probability: $0.probability) }
            #expect(best == reading.candidates(at: position))
            #expect(abs(d.probabilities.reduce(0, +) - 1) < 1e-5)
        }
        // Backwards and jumping about: from the snapshots, not the last state recomputed.
        for position in stride(from: reading.readCount, through: 1, by: -5) {
            #expect(reading.distribution(at: position).figures == reading.figures(at: position))
        }
    }

    @Test("figures are available chunk by chunk while the rest is read; dropping the reading stops it")
    func partialAndCancelled() throws {
        let (model, tokens) = try text("tiny-gru")
        let long = Array((0..<200).map { _ in tokens }.joined())  // 60,000 characters
        var reading: ProgressiveReading? = ProgressiveReading(model, tokens: long, chunk: 64)
        reading!.readInBackground()
        for _ in 0..<3000 where reading!.readCount == 0 { usleep(1000) }
        let read = reading!.readCount
        #expect(read > 0)
        #expect(read % 64 == 0 || read == long.count - 1)
        #expect(reading!.distribution(at: read).figures == reading!.figures(at: read))
        #expect(try #require(reading!.summary).characters >= read)
        reading = nil  // joins the reader thread: no crash, no hang
    }

    @Test("a generation primed from a reading's state starts where priming with the same text does")
    func primeFromReading() throws {
        let (model, tokens) = try text("tiny-lstm")
        let reading = ProgressiveReading(model, tokens: tokens, chunk: 32)
        reading.readAll()
        let position = 77
        let prime = String(
            String.UnicodeScalarView(tokens[..<position].map { model.vocabulary.scalar(of: Int($0))! }))
        let fromReading = try GenerationSession(model: model, compute: .streaming(split: false))
        try fromReading.addStream(settings: .greedy, seed: 1)
        fromReading.prime(with: prime, state: reading.state(before: position), tokens: Array(tokens[..<position]))
        let primed = try GenerationSession(model: model, compute: .streaming(split: false))
        try primed.addStream(settings: .greedy, seed: 1)
        primed.prime(with: prime)
        #expect(fromReading.streams[0].hiddenValues == primed.streams[0].hiddenValues)
        #expect(
            Array(fromReading.nextDistribution(stream: 0).before) == Array(primed.nextDistribution(stream: 0).before))
        #expect(fromReading.primeReport.tokenCount == position)
        var a = ""
        var b = ""
        for _ in 0..<20 {
            a.unicodeScalars.append(fromReading.step(stream: 0).character)
            b.unicodeScalars.append(primed.step(stream: 0).character)
        }
        #expect(a == b)
    }
}
