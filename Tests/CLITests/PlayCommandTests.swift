import Foundation
import Testing

/// `charrnn play` and bare `charrnn` when standard output is not a terminal: plain generation.
@Suite("charrnn play without a terminal")
struct PlayCommandTests {
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")

    /// PyTorch's greedy continuation of the tiny GRU fixture.
    func greedyFixture() throws -> (prime: String, length: Int, text: String) {
        let data = try Data(contentsOf: URL(fileURLWithPath: CharRNNBinary.fixture("tiny-gru.greedy.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (
            try #require(json["prime"] as? String), try #require(json["length"] as? Int),
            try #require(json["text"] as? String)
        )
    }

    @Test("prints the prime and the generated characters; greedy matches PyTorch's continuation")
    func greedy() throws {
        let expected = try greedyFixture()
        let run = try CharRNNBinary.run([
            "play", "--checkpoint", tinyGRU, "--prime", expected.prime, "--length", String(expected.length),
            "--temperature", "0",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == expected.text + "\n")
    }

    @Test("bare charrnn plays too; the same seed repeats the same text, another seed does not")
    func bareAndSeeded() throws {
        func generate(_ seed: Int) throws -> String {
            let run = try CharRNNBinary.run([
                "--checkpoint", tinyGRU, "--prime", "The ", "--length", "200", "--seed", String(seed),
            ])
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout
        }
        let first = try generate(1)
        #expect(first.hasPrefix("The "))
        #expect(first.unicodeScalars.count == 4 + 200 + 1)
        #expect(try generate(1) == first)
        #expect(try generate(2) != first)
    }

    @Test("without --checkpoint it uses the first checkpoint in ./checkpoints")
    func defaultCheckpoint() throws {
        let folder = try CharRNNBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/checkpoints", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tinyGRU, toPath: folder + "/checkpoints/mine.safetensors")
        let run = try CharRNNBinary.run(
            ["play", "--prime", "The ", "--length", "20", "--temperature", "0"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("The and thy beauty"))
    }

    @Test("bad input is one line on stderr and a non-zero exit, never a crash")
    func errors() throws {
        let empty = try CharRNNBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let none = try CharRNNBinary.run(["play", "--length", "5"], in: empty)
        #expect(none.status == 1)
        #expect(none.stderr.hasPrefix("charrnn: no checkpoint"))
        #expect(none.stderr.split(separator: "\n").count == 1)

        let missing = try CharRNNBinary.run(["play", "--checkpoint", empty + "/nope.safetensors"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.safetensors"))
        #expect(missing.stderr.split(separator: "\n").count == 1)

        let topP = try CharRNNBinary.run(["play", "--checkpoint", tinyGRU, "--top-p", "1.5"])
        #expect(topP.status != 0)
        #expect(topP.stderr.contains("top-p must be in (0, 1], got 1.5"))
        let temperature = try CharRNNBinary.run(["play", "--checkpoint", tinyGRU, "--temperature", "-1"])
        #expect(temperature.status != 0)
        #expect(temperature.stderr.contains("temperature"))
        for run in [none, missing, topP, temperature] {
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"))
        }
    }

    @Test("seed characters the vocabulary lacks are reported on stderr, and generation goes on")
    func outOfVocabularyPrime() throws {
        let run = try CharRNNBinary.run(["play", "--checkpoint", tinyGRU, "--prime", "The 漢", "--length", "10"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("漢"))
        #expect(run.stdout.hasPrefix("The 漢"))
    }
}
