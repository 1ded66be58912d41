import Foundation
import Testing

/// Runs `charrnn arguments` under `script`, so its stdout and stderr are a terminal; returns
/// what the terminal received (both streams, newlines as \r\n).
func charrnnOnTerminal(_ arguments: [String]) throws -> Run {
    let script = "/usr/bin/script"
    try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux's script is needed")
    let quoted = try ([charrnnBinary()] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    return try CharRNNBinary.run(["-qec", quoted.joined(separator: " "), "/dev/null"], executable: script)
}

@Suite("what charrnn prints on a terminal and through a pipe")
struct TerminalOutputTests {
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")

    @Test("--version prints the version and nothing else")
    func version() throws {
        let run = try charrnn(["--version"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.wholeMatch(of: /\d+\.\d+\.\d+\n/) != nil, "\(run.stdout)")
    }

    @Test("generate ends with a newline on a terminal, and with the last generated character when piped")
    func generateFinalNewline() throws {
        let arguments = ["generate", "--checkpoint", tinyGRU, "--prime", "The ", "--length", "60", "--seed", "4"]
        let piped = try charrnn(arguments)
        #expect(piped.status == 0)
        #expect(piped.stdout.unicodeScalars.count == 4 + 60)
        let terminal = try charrnnOnTerminal(arguments)
        #expect(terminal.status == 0)
        #expect(terminal.stdout.replacingOccurrences(of: "\r\n", with: "\n") == piped.stdout + "\n")
    }

    @Test("eval shows a progress line on a terminal for long texts, redrawn in place and cleared; none when piped")
    func evalProgress() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = folder + "/long.txt"
        let sample = try String(contentsOfFile: CharRNNBinary.fixture("tiny-gru.eval.txt"), encoding: .utf8)
        try String(repeating: sample, count: 100_000 / sample.count + 1).write(
            toFile: text, atomically: true, encoding: .utf8)
        let arguments = ["eval", "--checkpoint", tinyGRU, "--text", text]
        let piped = try charrnn(arguments)
        #expect(piped.status == 0 && piped.stderr.isEmpty)
        let terminal = try charrnnOnTerminal(arguments)
        #expect(terminal.status == 0)
        let clear = "\r\u{1B}[2K"
        #expect(terminal.stdout.contains(clear + "scoring: 1% of "))
        #expect(terminal.stdout.contains(clear + "scoring: 100% of "))
        let afterProgress = try #require(terminal.stdout.components(separatedBy: clear).last)
        #expect(afterProgress.replacingOccurrences(of: "\r\n", with: "\n") == piped.stdout)

        let short = try charrnnOnTerminal(
            ["eval", "--checkpoint", tinyGRU, "--text", CharRNNBinary.fixture("tiny-gru.eval.txt")])
        #expect(short.status == 0 && !short.stdout.contains("scoring"))
    }

    @Test(
        "units and read --dynamic show their progress line on a terminal for long texts and clear it",
        arguments: [
            (["units"], "ranking units"), (["read", "--dynamic", "--dynamic-chunk", "2000"], "learning while reading"),
        ])
    func longPassProgress(command: [String], verb: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = folder + "/long.txt"
        let sample = try String(contentsOfFile: CharRNNBinary.fixture("tiny-gru.eval.txt"), encoding: .utf8)
        try String(repeating: sample, count: 100_000 / sample.count + 1).write(
            toFile: text, atomically: true, encoding: .utf8)
        let arguments = command + ["--checkpoint", tinyGRU, "--text", text, "--json"]
        let piped = try charrnn(arguments)
        #expect(piped.status == 0 && !piped.stderr.contains(verb))
        let terminal = try charrnnOnTerminal(arguments)
        #expect(terminal.status == 0)
        let clear = "\r\u{1B}[2K"
        #expect(terminal.stdout.contains(clear + verb + ": 100% of "))
        let afterProgress = try #require(terminal.stdout.components(separatedBy: clear).last)
        #expect(afterProgress.replacingOccurrences(of: "\r\n", with: "\n") == piped.stdout)
    }

    @Test("generate --json gives entropy and surprisal in bits, named so")
    func jsonBits() throws {
        let run = try charrnn(
            ["generate", "--checkpoint", tinyGRU, "--prime", "The ", "--length", "30", "--temperature", "0", "--json"])
        #expect(run.status == 0)
        for line in run.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["entropy"] == nil && object["surprisal"] == nil && object["surprisal_t1"] == nil)
            let top = try #require(object["top"] as? [[String: Any]])
            let p = try #require(top.first?["p"] as? Double)  // greedy draws the most likely character
            let surprisal = try #require(object["surprisal_t1_bits"] as? Double)
            #expect(abs(surprisal - -log2(p)) < 1e-4, "\(line)")
            #expect(object["surprisal_bits"] as? Double == 0)
            let entropy = try #require(object["entropy_bits"] as? Double)
            #expect(entropy >= 0 && entropy <= log2(50) + 1e-4)
        }
    }
}
