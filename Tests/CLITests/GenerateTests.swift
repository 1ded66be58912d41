import Foundation
import Testing

/// Runs the built `charrnn generate` and checks what it prints and how it exits.
@Suite("charrnn generate")
struct GenerateTests {
    struct Run {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }
    }

    static func fixture(_ name: String) -> String { CharRNNBinary.fixture(name) }

    static func generate(_ arguments: [String]) throws -> Run {
        let run = try CharRNNBinary.run(["generate"] + arguments)
        return Run(status: run.status, stdout: Data(run.stdout.utf8), stderr: run.stderr)
    }

    static func golden(_ name: String) throws -> (prime: String, length: Int, text: String) {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("\(name).greedy.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (try #require(json["prime"] as? String), try #require(json["length"] as? Int), try #require(json["text"] as? String))
    }

    @Test("greedy output on the tiny checkpoints is PyTorch's text, byte for byte", arguments: ["tiny-gru", "tiny-lstm"])
    func greedyGolden(name: String) throws {
        let g = try Self.golden(name)
        for flags in [
            ["--sampler", "greedy"], ["--temperature", "0"], ["--sampler", "gumbel", "--temperature", "0"],
            ["--temperature", "1e-40"], ["--temperature", "0.0009"],
        ] {
            let run = try Self.generate(
                ["--checkpoint", Self.fixture("\(name).safetensors"), "--prime", g.prime, "--length", "\(g.length)"] + flags)
            #expect(run.status == 0)
            #expect(run.stdout == Data(g.text.utf8), "\(flags)")
            #expect(run.stderr.isEmpty)
        }
    }

    @Test("sampled output is the prime then exactly length characters, no trailing newline; a seed repeats it")
    func sampledOutput() throws {
        let args = ["--checkpoint", Self.fixture("tiny-gru.safetensors"), "--prime", "Thy ", "--length", "300",
                    "--temperature", "0.9", "--top-p", "0.95", "--seed", "12"]
        let a = try Self.generate(args), b = try Self.generate(args)
        #expect(a.status == 0 && a.stderr.isEmpty)
        #expect(a.text.hasPrefix("Thy "))
        #expect(a.text.unicodeScalars.count == 4 + 300)
        #expect(a.stdout == b.stdout)
        let other = try Self.generate(Array(args.dropLast()) + ["13"])
        #expect(other.stdout != a.stdout)
        let empty = try Self.generate(Array(args[0..<4]) + ["--length", "0"])
        #expect(empty.stdout == Data("Thy ".utf8))
    }

    @Test("without --seed the drawn seed is printed to stderr and repeats the run")
    func randomSeedIsAnnounced() throws {
        let args = ["--checkpoint", Self.fixture("tiny-gru.safetensors"), "--prime", "O", "--length", "80"]
        let run = try Self.generate(args)
        #expect(run.status == 0)
        let line = try #require(run.stderrLines.first)
        #expect(run.stderrLines.count == 1)
        #expect(line.hasPrefix("charrnn: --seed "))
        let seed = String(line.dropFirst("charrnn: --seed ".count))
        #expect(try Self.generate(args + ["--seed", seed]).stdout == run.stdout)
    }

    @Test("--compare prints the greedy and the sampled continuation, labelled")
    func compare() throws {
        let g = try Self.golden("tiny-gru")
        let base = ["--checkpoint", Self.fixture("tiny-gru.safetensors"), "--prime", g.prime, "--length", "\(g.length)",
                    "--temperature", "1.1", "--seed", "5"]
        let run = try Self.generate(base + ["--compare"])
        let plain = try Self.generate(base)
        #expect(run.status == 0 && run.stderr.isEmpty)
        let expected = "=== greedy ===\n\(g.text)\n=== multinomial T=1.1, seed 5 ===\n\(plain.text)\n"
        #expect(run.text == expected)
    }

    @Test("--json prints one parseable object per generated character")
    func json() throws {
        let base = ["--checkpoint", Self.fixture("tiny-lstm.safetensors"), "--prime", "When ", "--length", "40",
                    "--top-k", "8", "--seed", "3"]
        let run = try Self.generate(base + ["--json"])
        let plain = try Self.generate(base)
        #expect(run.status == 0)
        let lines = run.text.split(separator: "\n")
        #expect(lines.count == 40)
        var characters = "When "
        for (i, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["step"] as? Int == i)
            characters += try #require(object["character"] as? String)
            let entropy = try #require(object["entropy_bits"] as? Double)
            let surprisal = try #require(object["surprisal_bits"] as? Double)
            #expect(entropy >= 0 && surprisal >= 0 && object["surprisal_t1_bits"] is Double)
            let top = try #require(object["top"] as? [[String: Any]])
            #expect(top.count == 5)
            let ps = top.compactMap { $0["p"] as? Double }
            #expect(ps == ps.sorted(by: >))
        }
        #expect(characters == plain.text)
    }

    @Test("an empty prime or characters outside the vocabulary still generate")
    func awkwardPrimes() throws {
        let ckpt = Self.fixture("tiny-gru.safetensors")
        let empty = try Self.generate(["--checkpoint", ckpt, "--prime", "", "--length", "20", "--seed", "1"])
        #expect(empty.status == 0 && empty.text.unicodeScalars.count == 20)
        let odd = try Self.generate(["--checkpoint", ckpt, "--prime", "Thé ✓", "--length", "20", "--sampler", "greedy"])
        #expect(odd.status == 0)
        #expect(odd.text.hasPrefix("Thé ✓") && odd.text.unicodeScalars.count == 5 + 20)
        #expect(odd.stderrLines.count == 1)
        #expect(odd.stderr.hasPrefix("charrnn: prime: skipped 2 character(s)"))
    }

    @Test(
        "bad input exits 1 with one line on stderr",
        arguments: [
            ["--length=-1"], ["--temperature=-0.5"], ["--temperature", "nan"], ["--temperature", "inf"],
            ["--top-k", "0"], ["--top-p", "1.5"], ["--top-p", "0"], ["--min-p", "1"], ["--min-p=-0.1"],
            // Negative numbers after a space reach the checks too (not "missing value").
            ["--temperature", "-0.5"], ["--length", "-1"], ["--top-k", "-3"], ["--min-p", "-0.1"],
        ])
    func badValues(flags: [String]) throws {
        let run = try Self.generate(["--checkpoint", Self.fixture("tiny-gru.safetensors"), "--prime", "a"] + flags)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("charrnn: "))
    }

    @Test("a missing or unreadable checkpoint exits 1 with one line")
    func badCheckpoint() throws {
        for path in ["/nonexistent/model.safetensors", Self.fixture("tiny-gru.greedy.json")] {
            let run = try Self.generate(["--checkpoint", path, "--prime", "a"])
            #expect(run.status == 1)
            #expect(run.stderrLines.count == 1 && run.stderr.hasPrefix("charrnn: "))
        }
    }

    @Test("malformed flags are usage errors, not crashes", arguments: [
        ["--sampler", "nucleus"], ["--length", "many"], ["--top-k", "2.5"], ["--bogus"], ["--length"],
    ])
    func usageErrors(flags: [String]) throws {
        let args = ["--checkpoint", Self.fixture("tiny-gru.safetensors")] + flags
        let run = try Self.generate(args)
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
    }

    @Test("--help explains the sampling pipeline in order")
    func help() throws {
        let run = try Self.generate(["--help"])
        #expect(run.status == 0)
        let help = run.text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
        let stages = ["divided by the temperature", "top-k keeps", "top-p keeps", "min-p keeps", "renormalised"]
        let positions = try stages.map { try #require(help.range(of: $0), "\($0)").lowerBound }
        #expect(positions == positions.sorted())
    }
}

@Suite("generate and play share their sampling flags")
struct SharedSamplingFlagsTests {
    /// `--help` text on one line, spaces collapsed.
    static func help(_ command: String) throws -> String {
        let run = try CharRNNBinary.run([command, "--help"])
        #expect(run.status == 0)
        var text = run.stdout.replacingOccurrences(of: "\n", with: " ")
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        return text
    }

    @Test("both --help texts list the same sampling flags and state the defaults that differ")
    func help() throws {
        for command in ["generate", "play"] {
            let help = try Self.help(command)
            for flag in ["--sampler", "--temperature", "--top-k", "--top-p", "--min-p", "--seed", "--length"] {
                #expect(help.contains(flag), "\(command) \(flag)")
            }
            #expect(help.contains("default: 1.0 for generate, 0.8 for play"), "\(command)")
        }
        #expect(try Self.help("generate").contains("(play's default: 500). (default: 200)"))
        #expect(try Self.help("play").contains("(generate's default: 200). (default: 500)"))
    }
}

@Suite("charrnn generate --repeat-penalty")
struct GenerateRepeatPenaltyTests {
    /// The last `n` characters are one short cycle repeated (period ≤ 12).
    static func endsInLoop(_ text: String, last n: Int = 36) -> Bool {
        let tail = Array(text.unicodeScalars.suffix(n))
        return (1...12).contains { p in (p..<tail.count).allSatisfy { tail[$0] == tail[$0 - p] } }
    }

    @Test("a greedy loop on the tiny model repeats without the penalty and not with it")
    func breaksGreedyLoop() throws {
        let base = ["--checkpoint", GenerateTests.fixture("tiny-gru.safetensors"), "--sampler", "greedy",
                    "--prime", "ab", "--length", "120"]
        let plain = try GenerateTests.generate(base)
        #expect(plain.status == 0)
        #expect(Self.endsInLoop(plain.text), "\(plain.text)")
        let penalized = try GenerateTests.generate(base + ["--repeat-penalty", "1.5"])
        #expect(penalized.status == 0)
        #expect(!Self.endsInLoop(penalized.text), "\(penalized.text)")
        let off = try GenerateTests.generate(base + ["--repeat-penalty", "1"])
        #expect(off.text == plain.text)
    }

    @Test("a penalty ≤ 0 or not finite, or a negative window, is one line and exit 1",
          arguments: [["--repeat-penalty", "0"], ["--repeat-penalty", "-1"], ["--repeat-penalty", "nan"],
                      ["--repeat-penalty", "inf"], ["--repeat-last-n", "-2"]])
    func refused(flags: [String]) throws {
        let run = try charrnn(["generate", "--checkpoint", GenerateTests.fixture("tiny-gru.safetensors")] + flags)
        expectOneLineFailure(run, mentioning: flags[0].dropFirst(2).description)
    }
}
