import Foundation
import Testing

/// `charrnn read`: one JSON line per predicted character and a summary that is `eval`'s.
@Suite("charrnn read")
struct ReadCommandTests {
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")
    let evalText = CharRNNBinary.fixture("tiny-gru.eval.txt")

    func objects(_ run: Run) throws -> [[String: Any]] {
        try run.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("--json: a line per character with its figures, then eval's summary and a rank histogram")
    func json() throws {
        let read = try charrnn(["read", "--checkpoint", tinyGRU, "--text", evalText, "--json"])
        #expect(read.status == 0 && read.stderr.isEmpty)
        let lines = try objects(read)
        let text = Array(try String(contentsOfFile: evalText, encoding: .utf8).unicodeScalars)
        #expect(lines.count == text.count)  // text.count − 1 characters, then the summary
        for (offset, line) in lines.dropLast().enumerated() {
            #expect(line["index"] as? Int == offset + 1)
            #expect(line["char"] as? String == String(text[offset + 1]))
            let p = try #require(line["prob"] as? Double)
            let bits = try #require(line["bits"] as? Double)
            #expect(p > 0 && p <= 1 && abs(bits + log2(p)) < 1e-3)
            #expect((line["rank"] as? Int ?? 0) >= 1 && (line["entropy_bits"] as? Double ?? -1) >= 0)
            let top = try #require(line["top"] as? [[Any]])
            #expect(top.count == 5)
            let probabilities = top.map { $0[1] as? Double ?? -1 }
            #expect(probabilities == probabilities.sorted(by: >))
            #expect(
                (line["rank"] as? Int == 1)
                    == (top[0][0] as? String == line["char"] as? String && p == probabilities[0]))
        }

        let summary = try #require(lines.last)
        let eval = try objects(try charrnn(["eval", "--checkpoint", tinyGRU, "--text", evalText, "--json"]))[0]
        for key in ["chars", "nats_per_char", "bits_per_char", "perplexity"] {
            #expect(summary[key] as? Double == eval[key] as? Double, "\(key)")
        }
        let histogram = try #require(summary["rank_histogram"] as? [String: Int])
        #expect(Set(histogram.keys) == ["1", "2-3", "4-10", "11+"])
        #expect(histogram.values.reduce(0, +) == text.count - 1)
        let ranks = lines.dropLast().map { $0["rank"] as! Int }
        #expect(histogram["1"] == ranks.filter { $0 == 1 }.count)
        #expect(histogram["11+"] == ranks.filter { $0 > 10 }.count)
    }

    @Test("--top takes 1…16 candidates")
    func topBounds() throws {
        for n in [1, 16] {
            let read = try charrnn(["read", "--checkpoint", tinyGRU, "--text", evalText, "--json", "--top", "\(n)"])
            #expect(read.status == 0)
            #expect((try objects(read)[0]["top"] as? [Any])?.count == n)
        }
        for n in ["0", "17", "-1"] {
            expectOneLineFailure(
                try charrnn(["read", "--checkpoint", tinyGRU, "--text", evalText, "--top", n]), mentioning: "--top")
        }
    }

    @Test("Off a terminal, only the summary lines")
    func plainSummary() throws {
        let read = try charrnn(["read", "--checkpoint", tinyGRU, "--text", evalText])
        #expect(read.status == 0)
        let lines = read.stdout.split(separator: "\n")
        #expect(lines.count == 3 && !read.stdout.contains("\u{1B}"))
        #expect(lines[0].hasSuffix("299 characters read") && lines[1].contains("0.7364 nats/char"))
        #expect(lines[2].hasPrefix("  rank 1: "))
    }

    @Test("On a terminal, the text coloured by rank bucket and a legend, then the summary")
    func colouredOnTerminal() throws {
        let read = try charrnnOnTerminal(["read", "--checkpoint", tinyGRU, "--text", evalText])
        #expect(read.status == 0)
        let green = "\u{1B}[32m", reset = "\u{1B}[0m"
        #expect(read.stdout.hasPrefix("e\u{1B}[1;31ml\(reset)"))  // "e" is not predicted; "l" is rank 14
        #expect(read.stdout.contains(green + "T" + reset))
        #expect(read.stdout.contains("rank: \(green)1\(reset) \u{1B}[33m2-3\(reset)"))
        #expect(read.stdout.contains("299 characters read") && read.stdout.contains("0.7364 nats/char"))
    }

    @Test("Bad input: one line and a non-zero exit")
    func badInput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cases: [(String, [UInt8], String)] = [
            ("empty.txt", [], "at least 2 characters, has 0"),
            ("one.txt", Array("a".utf8), "at least 2 characters, has 1"),
            ("latin1.txt", Array("the ".utf8) + [0xE9, 0x20], "invalid UTF-8 at byte offset 4"),
            ("unknown.txt", Array("the ✓ and".utf8), "outside the vocabulary"),
        ]
        for (name, bytes, problem) in cases {
            let path = folder + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            expectOneLineFailure(
                try charrnn(["read", "--checkpoint", tinyGRU, "--text", path, "--json"]), mentioning: problem)
        }
        let skipped = try charrnn(
            ["read", "--checkpoint", tinyGRU, "--text", folder + "/unknown.txt", "--json", "--skip-unknown"])
        #expect(skipped.status == 0 && skipped.stderr.contains("skipped 1 character"))
        #expect(try objects(skipped).last?["skipped"] as? Int == 1)
    }
}
