import Foundation
import Testing

private func bottomRow(_ screen: [String]) -> String { screen.last { !$0.isEmpty } ?? "" }

/// The numbered bars of steer mode (right of the separator, at 100 columns): bar n is on row
/// 1 + n, its number, then its glyph.
private func barGlyph(_ screen: [String], _ n: Int) -> Character? {
    guard let part = screen[1 + n].split(separator: "│").last, part.first == Character("\(n)") else { return nil }
    return Array(part)[1]
}

/// "at 12/40" in the status line: the cursor and the branch's length.
private func position(_ screen: [String]) -> (cursor: Int, length: Int)? {
    guard let match = screen[0].firstMatch(of: /at (\d+)\/(\d+)/) else { return nil }
    return (Int(match.1)!, Int(match.2)!)
}

@Suite("charrnn play steer mode in tmux", .serialized)
struct PlaySteerTmuxTests {
    @Test(
        "F2 pauses, a digit appends its candidate, Left then a digit branches, b lists both, Enter resumes, Ctrl-C",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func steering() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try TmuxSession.play(
            "--checkpoint a.safetensors --prime 'The ' --seed 5",
            width: 100, height: 30, folder: folder)
        defer { tmux.kill() }
        try tmux.wait("streaming", seconds: 30) { firstStreamRow($0).trimmingCharacters(in: .whitespaces).count > 24 }

        // F2: steer mode, and nothing streams any more.
        try tmux.keys("F2")
        var screen = try tmux.wait("steer mode") { s in
            s[0].contains("STEER") && bottomRow(s).hasPrefix("F1Help  F2Write  F10Quit") && barGlyph(s, 9) != nil
        }
        usleep(500_000)
        #expect(try tmux.screen()[1...20] == screen[1...20], "streaming paused")
        let start = try #require(position(screen))
        #expect(start.cursor == start.length && start.cursor > 0)

        // A digit appends its candidate just before the cursor.
        let n = try #require((1...9).first { barGlyph(screen, $0)?.isLetter == true })
        let glyph = try #require(barGlyph(screen, n))
        try tmux.keys("\(n)")
        screen = try tmux.wait("the pick") { position($0)?.cursor == start.cursor + 1 }
        #expect(position(screen)?.length == start.length + 1)
        var x = try #require(Int(try tmux.variable("cursor_x")))
        var y = try #require(Int(try tmux.variable("cursor_y")))
        if x > 0 { #expect(Array(screen[y])[x - 1] == glyph) }

        // Left, then a candidate other than the character there: a second branch.
        try tmux.keys("Left")
        screen = try tmux.wait("the rewind") { position($0)?.cursor == start.cursor }
        x = try #require(Int(try tmux.variable("cursor_x")))
        y = try #require(Int(try tmux.variable("cursor_y")))
        let there = Array(screen[y])[x]
        let other = try #require((1...9).first { barGlyph(screen, $0).map { $0 != there && $0.isLetter } == true })
        try tmux.keys("\(other)")
        screen = try tmux.wait("a second branch") { $0[0].contains("branch 2/2") }

        // b: the tree lists both branches, the second split off where the cursor was.
        try tmux.keys("b")
        screen = try tmux.wait("the branch tree") { s in s.contains { $0.contains("branches") } }
        let text = screen.joined(separator: "\n")
        #expect(text.contains("1 · \(start.length + 1) ch"))
        #expect(text.contains("▶ └ 2 from 1 at \(start.cursor) · \(start.cursor + 1) ch"))

        // Enter: streaming again from the cursor.
        try tmux.keys("Enter")
        screen = try tmux.wait("write mode") { s in bottomRow(s).hasPrefix("prime›") && !s[0].contains("STEER") }
        let resumed = screen
        try tmux.wait("more text") { $0[1...20] != resumed[1...20] }

        try tmux.keys("C-c")
        screen = try tmux.wait("exit") { s in s.contains("EXIT=0") && s.contains { $0.contains("icanon") } }
        try expectRestored(tmux, screen)
    }

    @Test(
        "Ctrl-L twice: four streams at 120×36, labelled, with a beam's score, all streaming; Ctrl-C restores",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func fourStreams() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try TmuxSession.play(
            "--checkpoint a.safetensors --prime 'The ' --seed 5",
            width: 120, height: 36, folder: folder)
        defer { tmux.kill() }
        try tmux.wait("streaming", seconds: 30) { firstStreamRow($0).count > 8 }
        try tmux.keys("C-l", "C-l")
        let screen = try tmux.wait("four streams") { s in
            s[1].contains("greedy") && s[1].contains("beam 5 · ln p -") && s[1].contains("T=0.50")
                && s[1].contains("T=1.00") && s[2].split(separator: "│").count == 4
        }
        // Every column has text after the prime, and its bars (or the beam's note).
        let columns = screen[2].split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(columns.allSatisfy { $0.hasPrefix("The ") })
        #expect(screen.joined().contains("best beam so far"))
        try tmux.wait("more text") { s in
            s[2].split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }.allSatisfy { $0.count > 8 }
        }
        try tmux.keys("C-c")
        let end = try tmux.wait("exit") { s in s.contains("EXIT=0") && s.contains { $0.contains("icanon") } }
        try expectRestored(tmux, end)
    }

    @Test(
        "play --versus: both models side by side with the KL per step",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func versus() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(
            atPath: CharRNNBinary.fixture("tiny-lstm.safetensors"), toPath: folder + "/lstm.safetensors")
        let tmux = try TmuxSession.play(
            "--checkpoint a.safetensors --versus lstm.safetensors --prime 'The ' --seed 5",
            width: 100, height: 30, folder: folder)
        defer { tmux.kill() }
        try tmux.wait("both models", seconds: 30) { s in
            s[1].contains(" a ") && s[1].contains(" lstm · KL ") && s[2].split(separator: "│").count == 2
        }
        try tmux.keys("C-c")
        let end = try tmux.wait("exit") { s in s.contains("EXIT=0") && s.contains { $0.contains("icanon") } }
        try expectRestored(tmux, end)
    }

    @Test(
        "play --versus with a broken checkpoint, or without a terminal: one line, non-zero exit",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)))
    func badVersus() throws {
        let gru = CharRNNBinary.fixture("tiny-gru.safetensors")
        let run = try charrnn(["play", "--checkpoint", gru, "--prime", "a", "--length", "3", "--versus", gru])
        #expect(run.status != 0)
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("play --versus needs a terminal"))

        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let binary = try CharRNNBinary.path()
        let tmux = try TmuxSession(
            command:
                "'\(binary)' play --checkpoint a.safetensors --versus c-broken.safetensors; echo EXIT=$?; sleep 60",
            width: 100, height: 30, folder: folder)
        defer { tmux.kill() }
        let screen = try tmux.wait("the error", seconds: 30) { $0.contains("EXIT=1") }
        #expect(screen.filter { $0.hasPrefix("charrnn: ") }.count == 1)
        #expect(screen.contains { $0.hasPrefix("charrnn: ") && $0.contains("c-broken.safetensors") })
    }
}
