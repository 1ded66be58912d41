import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Rows ending in a percentage: the bars.
private func percentRows(_ screen: [String]) -> Int {
    screen.filter { $0.range(of: #"\d+\.\d% *$"#, options: .regularExpression) != nil }.count
}

@Suite("charrnn play in tmux", .serialized)
struct PlayTmuxTests {
    @Test(
        "types a prime, streams, changes temperature, bars, side by side, pause, checkpoints, resize, help, Ctrl-C",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func interactiveSession() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try TmuxSession.play(
            "--checkpoint a.safetensors --seed 5",
            width: 100, height: 30, folder: folder)
        defer { tmux.kill() }

        // Ready, waiting for a prime.
        var screen = try tmux.wait("the prime prompt", seconds: 30) {
            $0.last { !$0.isEmpty }?.hasPrefix("prime›") == true
        }
        #expect(checkpointName(screen) == "a")
        #expect(screen[0].contains("GRU 1×32") && screen[0].contains("T=0.80"))

        // A prime, Enter: text streams after the prime.
        try tmux.type("The ")
        try tmux.keys("Enter")
        screen = try tmux.wait("text to stream") { s in
            firstStreamRow(s).hasPrefix("The ") && firstStreamRow(s).trimmingCharacters(in: .whitespaces).count > 12
        }
        let earlier = firstStreamRow(screen)
        screen = try tmux.wait("more text") { firstStreamRow($0) != earlier }
        #expect(screen[0].contains("seed 5") && screen[0].contains("ch/s"))

        // Bars with percentages and the entropy.
        let bars = screen.filter { $0.range(of: #"[█▏▎▍▌▋▊▉]+ +\d+\.\d%"#, options: .regularExpression) != nil }
        #expect(bars.count >= 3, "no bars: \(screen.joined(separator: "\n"))")
        #expect(screen.contains { $0.range(of: #"H=\d+\.\d\d bits"#, options: .regularExpression) != nil })
        #expect(percentRows(screen) == 10)
        try tmux.keys("Left", "Left", "Left")
        try tmux.wait("fewer bars") { percentRows($0) == 7 }
        try tmux.keys("Right")
        try tmux.wait("one more bar") { percentRows($0) == 8 }

        // Speed.
        try tmux.keys("PPage")
        try tmux.wait("speed 60/s") { $0[0].contains("speed 60/s") }
        try tmux.keys("NPage", "NPage")
        try tmux.wait("speed 20/s") { $0[0].contains("speed 20/s") }
        try tmux.keys("PPage")

        // Temperature.
        try tmux.keys("Up")
        try tmux.wait("T=0.85") { $0[0].contains("T=0.85") }
        try tmux.keys("Down", "Down")
        try tmux.wait("T=0.75") { $0[0].contains("T=0.75") }

        // Side by side.
        try tmux.keys("C-g")
        screen = try tmux.wait("greedy and sampled streams") { s in
            s.contains { $0.contains("greedy") && $0.contains("sampled T=0.75") }
        }
        let streamRow = try #require(screen.firstIndex { $0.contains("greedy") }) + 1
        #expect(screen[streamRow].ranges(of: "The").count == 2, "\(screen[streamRow])")

        // Pause: nothing moves; Ctrl-N moves one character; Ctrl-P resumes.
        try tmux.keys("C-p")
        screen = try tmux.wait("PAUSED") { $0[0].contains("PAUSED") }
        usleep(300_000)
        let paused = try tmux.screen()
        usleep(500_000)
        #expect(try tmux.screen() == paused)
        try tmux.keys("C-n")
        try tmux.wait("one step") { $0 != paused }
        try tmux.keys("C-p")
        try tmux.wait("resumed") { !$0[0].contains("PAUSED") }
        try tmux.keys("C-g")

        // Checkpoints: Tab loads b; the next Tab meets a broken file, shows why and keeps b.
        try tmux.keys("Tab")
        try tmux.wait("checkpoint b") { checkpointName($0) == "b" }
        try tmux.keys("Tab")
        screen = try tmux.wait("the load error") { $0[0].contains("⚠") }
        #expect(checkpointName(screen) == "b")
        #expect(screen[0].contains("c-broken"))
        screen = try tmux.wait("streaming on b") { firstStreamRow($0).hasPrefix("The ") }

        // Resizing re-lays the screen out; too small shows a message; back to normal after.
        try tmux.tmux(["resize-window", "-t", tmux.target, "-x", "60", "-y", "16"])
        screen = try tmux.wait("a 60×16 layout") { s in
            s.count >= 16 && s[0].hasPrefix(" b │") && s[15].hasPrefix("prime›")
        }
        try tmux.tmux(["resize-window", "-t", tmux.target, "-x", "20", "-y", "5"])
        try tmux.wait("the too-small message") { $0.contains { $0.contains("too small") } }
        try tmux.tmux(["resize-window", "-t", tmux.target, "-x", "100", "-y", "30"])
        try tmux.wait("the full layout again") { s in
            s.count >= 30 && s[0].hasPrefix(" b │") && s[29].hasPrefix("prime›")
        }

        // Ctrl-R forgets the text; Enter starts again from the prime line.
        try tmux.keys("C-r")
        try tmux.wait("the reset") { $0.contains { $0.contains("Type a prime and press Enter") } }
        try tmux.keys("Enter")
        try tmux.wait("streaming again") { firstStreamRow($0).hasPrefix("The ") }

        // Alt-keys and escape sequences curses does not know are ignored: only a lone Esc quits.
        try tmux.keys("M-x")
        try tmux.type("\u{1B}[1;9Z")
        usleep(300_000)
        #expect(try tmux.screen().last { !$0.isEmpty }?.hasPrefix("prime›") == true)

        // Help overlay, closed by Esc.
        try tmux.keys("F1")
        try tmux.wait("the help") { s in s.contains { $0.contains("┌─ keys") } && s.contains { $0.contains("Ctrl-G") } }
        try tmux.keys("Escape")
        try tmux.wait("the help to close") { s in !s.contains { $0.contains("┌─ keys") } }

        // Ctrl-C: exit status 0 and a restored terminal.
        try tmux.keys("C-c")
        screen = try tmux.wait("exit") { s in s.contains("EXIT=0") && s.contains { $0.contains("icanon") } }
        try expectRestored(tmux, screen)
    }

    @Test(
        "SIGTERM ends the UI with the terminal restored and the signal's status (no locale set: still UTF-8 bars)",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)))
    func terminated() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let binary = try CharRNNBinary.path()
        let tmux = try TmuxSession(
            command: "'\(binary)' play --checkpoint a.safetensors --prime 'The '; echo EXIT=$?; stty -a; sleep 60",
            width: 80, height: 24, folder: folder, locale: false)
        defer { tmux.kill() }
        try tmux.wait("streaming", seconds: 30) { firstStreamRow($0).hasPrefix("The ") }
        try tmux.wait("bars") { $0.contains { $0.contains("█") && $0.hasSuffix("%") } }
        let shell = try #require(Int32(try tmux.variable("pane_pid")))
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let pid = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        #expect(kill(pid, SIGTERM) == 0)
        let screen = try tmux.wait("exit") { s in
            s.contains { $0.hasPrefix("EXIT=") } && s.contains { $0.contains("icanon") }
        }
        #expect(screen.contains("EXIT=143"))
        try expectRestored(tmux, screen)
    }
}
