import Foundation
import Testing

@testable import CharRNN

/// Reading a text: per-character figures against PyTorch's (tiny-*.read.json from
/// scripts/make_fixtures.py), and a summary that is `eval`'s figure exactly.
@Suite("Reading a text")
struct TextReadingTests {
    static let cases = ["tiny-gru", "tiny-lstm"]

    func reading(_ name: String, top: Int = 3, chunk: Int = 1000) throws -> (CharRNNModel, [Int32], TextReading) {
        let model = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
        let text = try UTF8Text.read(path: fixturePath("\(name).eval.txt"))
        let tokens = try model.vocabulary.encodeAll(text, what: "fixture")
        return (model, tokens, try TextReading.read(model, tokens: tokens, top: top, chunk: chunk, compute: .training))
    }

    @Test("Probabilities, ranks and top 3 equal PyTorch's", arguments: cases)
    func parity(name: String) throws {
        let (model, _, reading) = try reading(name)
        let fixture =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: fixturePath("\(name).read.json")))) as! [String: Any]
        let positions = fixture["positions"] as! [[String: Any]]
        #expect(positions.count == 40)
        for expected in positions {
            let i = expected["index"] as! Int
            let ours = reading.characters[i - 1]
            #expect(model.vocabulary.symbols[Int(ours.token)] == expected["char"] as! String)
            let p = expected["prob"] as! Double
            #expect(abs(Double(ours.probability) - p) <= 1e-4 * p, "probability at \(i)")
            #expect(Int(ours.rank) == expected["rank"] as! Int, "rank at \(i)")
            #expect(abs(Double(ours.surprisalBits) + Foundation.log2(p)) < 1e-3, "bits at \(i)")
            let top = expected["top"] as! [[Any]]
            let candidates = reading.candidates(at: i)
            #expect(candidates.map { model.vocabulary.symbols[Int($0.token)] } == top.map { $0[0] as! String })
            for (c, e) in zip(candidates, top) {
                let q = e[1] as! Double
                #expect(abs(Double(c.probability) - q) <= 1e-4 * q, "candidate probability at \(i)")
            }
        }
    }

    @Test("The summary equals eval's nats/char exactly, whatever the chunks", arguments: cases)
    func summaryEqualsEvaluation(name: String) throws {
        let (model, tokens, reading) = try reading(name)
        let evaluation = try Evaluation.evaluate(model, tokens: tokens, compute: .training)
        #expect(reading.summary == evaluation)
        #expect(reading.characters.count == tokens.count - 1)
        let chunked = try TextReading.read(model, tokens: tokens, top: 3, chunk: 7, compute: .training)
        // Other chunk sizes change the matrix products' shapes, so the last bits may differ.
        let close = zip(chunked.characters, reading.characters).allSatisfy {
            $0.token == $1.token && $0.rank == $1.rank && abs($0.probability - $1.probability) < 1e-5
        }
        #expect(close && chunked.characters.count == reading.characters.count)
        #expect(abs(chunked.summary.natsPerCharacter - reading.summary.natsPerCharacter) < 1e-6)
        #expect(reading.rankHistogram.reduce(0, +) == reading.characters.count)
        let bits = reading.characters.reduce(0.0) { $0 + Double($1.surprisalBits) } / Double(reading.characters.count)
        #expect(abs(bits - reading.summary.bitsPerCharacter) < 1e-4)
    }

    @Test("Ties share the better rank")
    func tiesShareTheBetterRank() {
        let logits: [Float] = [2, 5, 5, 1, 5, 2]
        var probabilities = [Float](repeating: 0, count: logits.count)
        func rank(_ target: Int32) -> Int32 {
            probabilities.withUnsafeMutableBufferPointer { p in
                CharacterReading(logits: logits, count: logits.count, target: target, probabilities: p.baseAddress!)
                    .rank
            }
        }
        #expect([1, 2, 4].map { rank($0) } == [1, 1, 1])
        #expect(rank(0) == 4 && rank(5) == 4)
        #expect(rank(3) == 6)
    }

    @Test("Rank buckets: 1, 2-3, 4-10, 11+")
    func buckets() {
        #expect(
            [1, 2, 3, 4, 10, 11, 500].map { RankBucket(rank: $0).label } == [
                "1", "2-3", "2-3", "4-10", "4-10", "11+", "11+",
            ])
    }
}
