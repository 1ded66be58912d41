import Foundation
import Testing

/// `charrnn generate --sampler beam`, `--compare STREAMS` and `--versus CKPT`, run as the binary.
@Suite("charrnn generate: beam, stream lists, two checkpoints")
struct GenerateSteerTests {
    static let gru = CharRNNBinary.fixture("tiny-gru.safetensors")
    static let lstm = CharRNNBinary.fixture("tiny-lstm.safetensors")

    static func generate(_ arguments: [String]) throws -> Run { try charrnn(["generate"] + arguments) }

    static func beamCases(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: CharRNNBinary.fixture("\(name).beam.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["cases"] as? [[String: Any]])
    }

    @Test("--sampler beam prints PyTorch's best beam", arguments: ["tiny-gru", "tiny-lstm"])
    func beamGolden(name: String) throws {
        for c in try Self.beamCases(name) {
            let prime = try #require(c["prime"] as? String), width = try #require(c["width"] as? Int)
            let length = try #require(c["length"] as? Int)
            let run = try Self.generate([
                "--checkpoint", CharRNNBinary.fixture("\(name).safetensors"), "--prime", prime, "--length", "\(length)",
                "--sampler", "beam", "--beam-width", "\(width)",
            ])
            #expect(run.status == 0 && run.stderr.isEmpty)
            #expect(run.stdout == c["text"] as? String, "\(prime) width \(width)")
        }
    }

    @Test("a beam width beyond the vocabulary is capped, with one note on stderr")
    func beamCapped() throws {
        let base = ["--checkpoint", Self.gru, "--prime", "The ", "--length", "4", "--sampler", "beam"]
        let capped = try Self.generate(base + ["--beam-width", "1000"])
        #expect(capped.status == 0)
        #expect(
            capped.stderr == "charrnn: beam width 1000 is more than the 50 characters in the vocabulary: using 50\n")
        #expect(capped.stdout == (try Self.generate(base + ["--beam-width", "50"])).stdout)
    }

    @Test("--compare with a list prints each stream as it prints alone, labelled")
    func compareList() throws {
        let base = ["--checkpoint", Self.gru, "--prime", "Thy ", "--length", "50", "--seed", "7"]
        let run = try Self.generate(base + ["--compare", "greedy,beam:5,t0.5,t1.0"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        let greedy = try Self.generate(base + ["--sampler", "greedy"]).stdout
        let beam = try Self.generate(base + ["--sampler", "beam", "--beam-width", "5"]).stdout
        let cool = try Self.generate(base + ["--temperature", "0.5"]).stdout
        let warm = try Self.generate(base + ["--temperature", "1.0"]).stdout
        let sections = run.stdout.components(separatedBy: "=== ").dropFirst()
        #expect(sections.count == 4)
        let expected = [
            ("greedy ===\n", greedy), ("beam 5, log-probability ", beam),
            ("multinomial T=0.5, seed 7 ===\n", cool), ("multinomial T=1.0, seed 7 ===\n", warm),
        ]
        for (section, (title, text)) in zip(sections, expected) {
            #expect(section.hasPrefix(title), "\(section)")
            #expect(section.hasSuffix("\n" + text + "\n"), "\(section)")
        }
        let lines = try Self.generate(base + ["--compare", "beam:3,sampled", "--json", "--length", "6"]).stdout
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 12)
        #expect(lines.prefix(6).allSatisfy { $0?["stream"] as? String == "beam:3" && $0?["log_probability"] is Double })
        #expect(lines.suffix(6).allSatisfy { $0?["stream"] as? String == "sampled" && $0?["top"] != nil })
    }

    @Test("--versus prints both models' continuations, each what its checkpoint writes alone")
    func versusText() throws {
        let base = ["--prime", "When ", "--length", "60", "--seed", "4", "--temperature", "0.8"]
        let run = try Self.generate(["--checkpoint", Self.gru, "--versus", Self.lstm] + base)
        #expect(run.status == 0 && run.stderr.isEmpty)
        let first = try Self.generate(["--checkpoint", Self.gru] + base).stdout
        let second = try Self.generate(["--checkpoint", Self.lstm] + base).stdout
        #expect(
            run.stdout == "=== tiny-gru.safetensors: multinomial T=0.8, seed 4 ===\n\(first)\n"
                + "=== tiny-lstm.safetensors: multinomial T=0.8, seed 4 ===\n\(second)\n")
    }

    @Test("--versus --json: per step both models' reports and their KL, 0 for a model against itself")
    func versusJSON() throws {
        func lines(_ versus: String) throws -> [[String: Any]] {
            let run = try Self.generate([
                "--checkpoint", Self.gru, "--versus", versus, "--prime", "When ", "--length", "30", "--seed", "1",
                "--json",
            ])
            #expect(run.status == 0)
            return try run.stdout.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        let other = try lines(Self.lstm)
        #expect(other.count == 30)
        var text = "When "
        for (i, line) in other.enumerated() {
            #expect(line["step"] as? Int == i)
            let kl = try #require(line["kl_bits"] as? Double)
            #expect(kl > 0 && kl.isFinite)
            let first = try #require(line["first"] as? [String: Any])
            #expect((line["second"] as? [String: Any])?["top"] is [[String: Any]])
            text += try #require(first["character"] as? String)
        }
        let alone = try Self.generate(["--checkpoint", Self.gru, "--prime", "When ", "--length", "30", "--seed", "1"])
        #expect(text == alone.stdout)
        #expect(try lines(Self.gru).allSatisfy { $0["kl_bits"] as? Double == 0 })
    }

    @Test(
        "bad beam, stream and versus flags exit 1 with one line",
        arguments: [
            (["--sampler", "beam", "--beam-width", "0"], "beam width must be at least 1"),
            (["--beam-width", "3"], "--beam-width needs --sampler beam"),
            (["--compare", "fast"], "unknown stream \"fast\""),
            (["--compare", "t"], "stream \"t\""),
            (["--compare", "beam:0"], "stream \"beam:0\""),
            (["--compare", "greedy,,t1"], "unknown stream \"\""),
            (["--compare", "t1,t1,t1,t1,t1"], "1 to 4 streams, got 5"),
            (["greedy"], "need --compare"),
            (["--versus", "/nonexistent/model.safetensors"], "/nonexistent/model.safetensors"),
            (["--versus", lstm, "--compare"], "cannot be combined"),
            (["--versus", lstm, "--sampler", "beam"], "not --sampler beam"),
        ])
    func badFlags(flags: [String], problem: String) throws {
        expectOneLineFailure(
            try Self.generate(["--checkpoint", Self.gru, "--prime", "a", "--length", "5"] + flags), mentioning: problem)
    }

    @Test("play refuses --sampler beam with one line, for now")
    func playRefusesBeam() throws {
        expectOneLineFailure(
            try charrnn(["play", "--checkpoint", Self.gru, "--sampler", "beam", "--length", "3"]),
            mentioning: "play does not run beam search yet")
    }
}
