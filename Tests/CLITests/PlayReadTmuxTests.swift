import Foundation
import Testing

/// The bars rows (ending in a percentage) of a screen, right of the separator.
private func barRows(_ screen: [String]) -> [String] {
    screen.filter { $0.range(of: #"\d+\.\d% *$"#, options: .regularExpression) != nil }
        .map { $0.split(separator: "│").last.map(String.init) ?? "" }
}

private func bottomRow(_ screen: [String]) -> String { screen.last { !$0.isEmpty } ?? "" }

@Suite("charrnn play --read in tmux", .serialized)
struct PlayReadTmuxTests {
    @Test(
        "read mode: coloured text, bars that follow the cursor, read --json's nats/char, F3, continue from here, F10",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func readMode() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(
            atPath: CharRNNBinary.fixture("tiny-gru.eval.txt"), toPath: folder + "/sonnet.txt")
        let json = try CharRNNBinary.run(
            ["read", "--checkpoint", "a.safetensors", "--text", "sonnet.txt", "--json"], in: folder)
        #expect(json.status == 0, "\(json.stderr)")
        let summaryLine = try #require(json.stdout.split(separator: "\n").last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(summaryLine.utf8)) as? [String: Any])
        let nats = String(format: "%.4f", try #require(summary["nats_per_char"] as? Double))

        let tmux = try TmuxSession.play(
            "--checkpoint a.safetensors --read sonnet.txt --seed 3",
            width: 100, height: 24, folder: folder)
        defer { tmux.kill() }

        // The whole text read: its nats/char is read --json's, rounded as read prints it.
        // (Waiting for the bottom row too: a capture can catch a frame half drawn.)
        var screen = try tmux.wait("the reading's figures", seconds: 30) { s in
            s[0].contains("nats/char") && !s[0].contains("read ") && bottomRow(s).contains("11+")
        }
        #expect(screen[0].contains("\(nats) nats/char"), "\(screen[0]) vs \(nats)")
        #expect(screen[2].hasPrefix("Thy youth's proud livery"))
        #expect(bottomRow(screen).hasPrefix("F1Help  F3Write  F10Quit"))
        #expect(bottomRow(screen).contains("rank 1 2-3 4-10 11+"))

        // Coloured by rank: green (first choice) and at least one other bucket's colour in the text.
        let coloured = try tmux.screenWithAttributes()[1...9].joined()
        #expect(coloured.contains("\u{1B}[32m"), "green for rank 1")
        #expect(
            coloured.contains("\u{1B}[33m") || coloured.contains("\u{1B}[38;5;208m") || coloured.contains("\u{1B}[31m"))

        // The cursor keys change the bars: the first character has none, the next ones do.
        #expect(screen.joined().contains("first character"))
        try tmux.keys("Right")
        screen = try tmux.wait("bars at the cursor") { barRows($0).count == 10 }
        let first = barRows(screen)
        #expect(screen.contains { $0.contains("rank ") && $0.contains(" bits") })
        try tmux.keys("Down", "Right")
        try tmux.wait("other bars") { barRows($0).count == 10 && barRows($0) != first }

        // F3: writing, with the prime line; F3 again: the same reading.
        try tmux.keys("F3")
        try tmux.wait("write mode") { bottomRow($0).hasPrefix("prime›") && bottomRow($0).contains("F3Read") }
        try tmux.keys("F3")
        try tmux.wait("read mode again") { bottomRow($0).hasPrefix("F1Help  F3Write") }

        // Continue from here: the text before the cursor is the prime, and new text streams after it.
        try tmux.keys("End", "c")
        screen = try tmux.wait("generation from the cursor") { s in
            bottomRow(s).hasPrefix("prime›") && s[0].contains("seed 3")
        }
        let streamed = screen
        try tmux.wait("more text") { $0[1...20] != streamed[1...20] }

        // F10 quits with the terminal restored.
        try tmux.keys("F10")
        screen = try tmux.wait("exit") { s in s.contains("EXIT=0") && s.contains { $0.contains("icanon") } }
        try expectRestored(tmux, screen)
    }

    @Test(
        "d in read mode: the dynamic nats/char (read --dynamic --json's) beside the static one; d again drops it",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func dynamicReading() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(
            atPath: CharRNNBinary.fixture("tiny-gru.eval.txt"), toPath: folder + "/sonnet.txt")
        let json = try CharRNNBinary.run(
            ["read", "--checkpoint", "a.safetensors", "--text", "sonnet.txt", "--json", "--dynamic"], in: folder)
        #expect(json.status == 0, "\(json.stderr)")
        let summaryLine = try #require(json.stdout.split(separator: "\n").last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(summaryLine.utf8)) as? [String: Any])
        let dynamic = String(format: "%.3f", try #require(summary["nats_per_char"] as? Double))
        let settings = try #require(summary["dynamic"] as? [String: Any])
        let statics = String(format: "%.3f", try #require(settings["static_nats_per_char"] as? Double))

        let binary = try CharRNNBinary.path()
        let tmux = try TmuxSession(
            command: "'\(binary)' play --checkpoint a.safetensors --read sonnet.txt; sleep 120",
            width: 100, height: 24, folder: folder)
        defer { tmux.kill() }
        try tmux.wait("the reading's figures", seconds: 30) { s in
            s[0].contains("nats/char") && !s[0].contains("read ")
        }
        try tmux.keys("d")
        let screen = try tmux.wait("the dynamic figure, read to the end", seconds: 30) { s in
            s[0].contains("(static ") && s[0].range(of: #"\(static [0-9.]+\) \d+%"#, options: .regularExpression) == nil
        }
        #expect(screen[0].contains("dynamic \(dynamic) (static \(statics))"), "\(screen[0]) vs \(dynamic), \(statics)")
        try tmux.keys("d")
        try tmux.wait("the static reading again") { s in s[0].contains("nats/char") && !s[0].contains("dynamic") }
    }

    @Test("play --read with a missing, empty or invalid file: one line on stderr, non-zero exit")
    func badFiles() throws {
        let folder = try CharRNNBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data().write(to: URL(fileURLWithPath: folder + "/empty.txt"))
        try Data([0x61, 0x62, 0xFF, 0x63]).write(to: URL(fileURLWithPath: folder + "/latin1.txt"))
        let checkpoint = CharRNNBinary.fixture("tiny-gru.safetensors")
        let cases = [
            ("missing.txt", "missing.txt"), ("latin1.txt", "invalid UTF-8 at byte offset 2"),
            ("empty.txt", "needs at least 2 characters"),
        ]
        for (file, message) in cases {
            let run = try CharRNNBinary.run(["play", "--checkpoint", checkpoint, "--read", file], in: folder)
            #expect(run.status != 0)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(message), "\(run.stderr)")
        }
    }
}
