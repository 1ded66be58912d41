import Foundation
import Testing

@testable import CharRNN

private struct BeamCase: Decodable {
    let prime: String
    let width: Int
    let length: Int
    let text: String
    let log_probability: Double
}

private func cases(_ name: String) throws -> [BeamCase] {
    struct File: Decodable { let cases: [BeamCase] }
    let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath("\(name).beam.json")))
    return try JSONDecoder().decode(File.self, from: data).cases
}

private func primed(_ m: CharRNNModel, _ prime: String) throws -> GenerationSession {
    let session = try GenerationSession(model: m, compute: .streaming())
    session.prime(with: prime)
    return session
}

@Suite("Beam search")
struct BeamSearchTests {
    @Test("the best beam is PyTorch's reference: same text, same score", arguments: ["tiny-gru", "tiny-lstm"])
    func matchesReference(name: String) throws {
        let m = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
        let all = try cases(name)
        #expect(Set(all.map(\.width)) == [1, 3, 5])
        for c in all {
            let search = try BeamSearch(session: try primed(m, c.prime), width: c.width)
            let best = search.run(length: c.length)
            #expect(c.prime + best.text == c.text, "\(c.prime) width \(c.width)")
            #expect(abs(best.logProbability - c.log_probability) <= 1e-4 * abs(c.log_probability))
            #expect(search.beams.count == c.width && best.tokens.count == c.length)
        }
    }

    @Test("width 1 is greedy decoding; a search is reproducible; beams are best first", arguments: Cell.allCases)
    func greedyAndReproducible(cell: Cell) throws {
        let m = try CharRNNModel.load(path: fixturePath("tiny-\(cell).safetensors"))
        let session = try primed(m, "Thy ")
        try session.addStream(settings: .greedy, seed: 0)
        let greedy = String(String.UnicodeScalarView((0..<80).map { _ in session.step(stream: 0).character }))
        let one = try BeamSearch(session: session, width: 1)
        #expect(one.run(length: 80).text == greedy)
        let a = try BeamSearch(session: session, width: 4), b = try BeamSearch(session: session, width: 4)
        var previousBest = 0.0
        for step in 1...40 {
            let best = a.step()
            #expect(best == b.step())
            #expect(a.length == step)
            #expect(a.beams.map(\.logProbability) == a.beams.map(\.logProbability).sorted(by: >))
            #expect(best.logProbability <= previousBest)
            previousBest = best.logProbability
        }
    }

    @Test("width below 1 throws; beyond the vocabulary it is capped")
    func widths() throws {
        let m = try CharRNNModel.load(path: fixturePath("tiny-gru.safetensors"))
        let session = try primed(m, "The ")
        #expect(throws: CharRNNError.self) { try BeamSearch(session: session, width: 0) }
        let wide = try BeamSearch(session: session, width: 1000)
        #expect(wide.width == m.vocabulary.count && wide.requestedWidth == 1000)
        wide.run(length: 3)
        #expect(wide.beams.count == m.vocabulary.count)
        #expect(throws: CharRNNError.self) {
            try Sampler(settings: .init(method: .beam, beamWidth: 3), vocabularySize: 5, seed: 0)
        }
        #expect(throws: CharRNNError.self) { try SamplerSettings(method: .beam, beamWidth: 0).validate() }
    }
}
