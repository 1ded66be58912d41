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
        let stray = try CharRNNBinary.strayCopy(in: empty)  // outside the package: no shipped checkpoints
        let none = try CharRNNBinary.run(["play", "--length", "5"], in: empty, executable: stray)
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

    /// `charrnn generate` with the same checkpoint, prime and length.
    func generated(_ flags: [String], prime: String = "The ", length: Int = 120) throws -> Run {
        try CharRNNBinary.run(
            ["generate", "--checkpoint", tinyGRU, "--prime", prime, "--length", String(length)] + flags)
    }

    func played(_ flags: [String], prime: String = "The ", length: Int = 120) throws -> Run {
        try CharRNNBinary.run(["play", "--checkpoint", tinyGRU, "--prime", prime, "--length", String(length)] + flags)
    }

    @Test("--sampler greedy prints what generate prints, and a newline")
    func greedySampler() throws {
        let play = try played(["--sampler", "greedy"])
        let generate = try generated(["--sampler", "greedy"])
        #expect(play.status == 0 && generate.status == 0, "\(play.stderr)")
        #expect(play.stdout == generate.stdout + "\n")
        #expect(play.stderr.isEmpty)
    }

    @Test(
        "the same seed and settings give generate's text: one writer, one seed policy",
        arguments: [
            ["--seed", "7"], ["--seed", "7", "--min-p", "0.2"], ["--seed", "9", "--top-k", "5", "--top-p", "0.9"],
            ["--seed", "3", "--sampler", "gumbel", "--temperature", "1.3", "--min-p", "0.05"],
        ])
    func sameTextAsGenerate(flags: [String]) throws {
        let play = try played(flags)
        // play's default temperature is 0.8, generate's 1: pass play's to generate when unset.
        let temperature = flags.contains("--temperature") ? [] : ["--temperature", "0.8"]
        let generate = try generated(flags + temperature)
        #expect(play.status == 0 && generate.status == 0, "\(play.stderr)")
        #expect(play.stdout == generate.stdout + "\n")
        #expect(play.stdout.unicodeScalars.count == 4 + 120 + 1)
    }

    @Test("--min-p changes what is drawn")
    func minP() throws {
        let plain = try played(["--seed", "7", "--temperature", "1.5"])
        let filtered = try played(["--seed", "7", "--temperature", "1.5", "--min-p", "0.5"])
        #expect(plain.status == 0 && filtered.status == 0)
        #expect(plain.stdout != filtered.stdout)
    }

    @Test("without --seed the drawn seed is printed to stderr, as generate does, and repeats the run")
    func randomSeedIsAnnounced() throws {
        let run = try played([])
        #expect(run.status == 0)
        let line = try #require(run.stderr.split(separator: "\n").first)
        #expect(line.hasPrefix("charrnn: --seed ") && run.stderr.split(separator: "\n").count == 1)
        let seed = String(line.dropFirst("charrnn: --seed ".count))
        #expect(try played(["--seed", seed]).stdout == run.stdout)
        #expect(try played(["--sampler", "greedy"]).stderr.isEmpty)
    }

    @Test(
        "bad sampling flags get the engine's words, one line, exit 1",
        arguments: [
            (["--min-p", "1"], "min-p must be in [0, 1), got 1.0"), (["--min-p", "-0.1"], "min-p must be in [0, 1)"),
            (["--top-k", "-3"], "top-k must be at least 1, got -3"), (["--temperature", "-1"], "temperature must be"),
            (["--length", "-1"], "--length must be at least 0, got -1"),
        ])
    func badSamplingFlags(flags: [String], message: String) throws {
        expectOneLineFailure(try played(flags), mentioning: message)
        expectOneLineFailure(try generated(flags), mentioning: message)
    }

    @Test("--repeat-penalty works in play as in generate, and is checked by the engine")
    func repeatPenalty() throws {
        let flags = ["--sampler", "greedy", "--repeat-penalty", "1.5"]
        let run = try played(flags)
        #expect(run.status == 0)
        #expect(run.stdout == (try generated(flags)).stdout + "\n")
        #expect(run.stdout != (try played(["--sampler", "greedy"])).stdout)
        expectOneLineFailure(try played(["--repeat-penalty", "0"]), mentioning: "repeat-penalty must be a finite number > 0")
        expectOneLineFailure(try played(["--repeat-last-n", "-1"]), mentioning: "repeat-last-n must be ≥ 0")
    }

    @Test("a --checkpoints folder that does not exist is refused: one line, exit 1")
    func missingCheckpointFolder() throws {
        let folder = try CharRNNBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for missing in [folder + "/nowhere", tinyGRU] {
            expectOneLineFailure(
                try played(["--checkpoints", missing]), mentioning: "--checkpoints: no such folder: \(missing)")
        }
        #expect(try played(["--checkpoints", folder]).status == 0)
    }

    @Test("--sampler takes the engine's methods only")
    func unknownSampler() throws {
        #expect(try played(["--sampler", "nucleus"]).status == 64)
    }

    @Test("seed characters the vocabulary lacks are reported on stderr, and generation goes on")
    func outOfVocabularyPrime() throws {
        let run = try CharRNNBinary.run(["play", "--checkpoint", tinyGRU, "--prime", "The 漢", "--length", "10"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("漢"))
        #expect(run.stdout.hasPrefix("The 漢"))
    }
}
