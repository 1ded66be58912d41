import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The prime line (the last row that is not empty).
private func primeRow(_ screen: [String]) -> String { screen.last { !$0.isEmpty } ?? "" }

/// A small seeded generator, so the storm is the same on every run.
private struct SplitMix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

@Suite("charrnn play in tmux: pastes, key storms, signals", .serialized)
struct PlayPasteTmuxTests {
    /// Runs play on the tiny fixture `a`; after it exits the shell prints its status and `stty
    /// -a`, then `cat -v` shows whether a paste still comes bracketed (`^[[200~`).
    func play(_ folder: String, width: Int = 100, height: Int = 30) throws -> TmuxSession {
        let binary = try CharRNNBinary.path()
        let tmux = try TmuxSession(
            command: "'\(binary)' play --checkpoint a.safetensors --seed 5; echo EXIT=$?; stty -a; cat -v",
            width: width, height: height, folder: folder)
        try tmux.wait("the prime prompt", seconds: 30) { primeRow($0).hasPrefix("prime›") }
        return tmux
    }

    /// After the exit: a paste reaches the shell's `cat` without the paste markers.
    func expectPasteModeOff(_ tmux: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try tmux.paste("after-exit\n")
        let screen = try tmux.wait("the paste echoed by cat", sourceLocation: sourceLocation) { s in
            s.filter { $0.contains("after-exit") }.count >= 2
        }
        #expect(!screen.contains { $0.contains("[200~") }, sourceLocation: sourceLocation)
    }

    @Test(
        "a bracketed paste is prime text, newlines and tab too: nothing starts, the checkpoint stays; Enter starts",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)))
    func bracketedPaste() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try play(folder)
        defer { tmux.kill() }
        try tmux.type("The ")
        try tmux.paste("cat.\nA\tdog\n")
        var screen = try tmux.wait("the pasted prime") { primeRow($0).hasPrefix("prime› The cat.⏎A⇥dog⏎") }
        usleep(300_000)
        screen = try tmux.screen()
        #expect(screen.contains { $0.contains("Type a prime and press Enter") }, "started: \(screen)")
        #expect(checkpointName(screen) == "a" && !screen[0].contains("seed 5"))
        try tmux.keys("Enter")
        screen = try tmux.wait("streaming from the pasted prime") { s in
            !s.contains { $0.contains("Type a prime") } && firstStreamRow(s).hasPrefix("The cat.")
        }
        #expect(checkpointName(screen) == "a")
        try tmux.keys("C-c")
        screen = try tmux.wait("exit") { $0.contains("EXIT=0") }
        try expectRestored(tmux, screen)
        try expectPasteModeOff(tmux)
    }

    @Test(
        "paste markers split from their text across reads still mark it; a lost end marker ends after a second",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)))
    func splitAndUnterminatedPaste() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try play(folder)
        defer { tmux.kill() }
        try tmux.type("\u{1B}[200~ab\r")
        usleep(100_000)
        try tmux.type("cd\r")
        usleep(100_000)
        try tmux.type("\u{1B}[201~")
        try tmux.wait("the split paste") { primeRow($0).hasPrefix("prime› ab⏎cd⏎ ") }
        try tmux.type("\u{1B}[200~ef\r")  // no end marker
        try tmux.wait("the unterminated paste") { primeRow($0).hasPrefix("prime› ab⏎cd⏎ef⏎ ") }
        #expect(try tmux.screen().contains { $0.contains("Type a prime and press Enter") })
        usleep(1_300_000)
        try tmux.keys("Enter")
        try tmux.wait("streaming") { s in
            !s.contains { $0.contains("Type a prime") } && firstStreamRow(s).hasPrefix("ab")
        }
        try tmux.keys("C-c")
        try tmux.wait("exit") { $0.contains("EXIT=0") }
    }

    @Test(
        "Alt-Enter puts a newline in the prime, shown as ⏎; Ctrl-J is Enter",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)))
    func literalNewline() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try play(folder)
        defer { tmux.kill() }
        try tmux.type("ROMEO.")
        try tmux.keys("M-Enter")
        try tmux.type("But")
        try tmux.wait("the newline glyph") { primeRow($0).hasPrefix("prime› ROMEO.⏎But ") }
        try tmux.keys("C-j")
        try tmux.wait("streaming after Ctrl-J") { s in
            !s.contains { $0.contains("Type a prime") } && firstStreamRow(s).hasPrefix("ROMEO.")
        }
        try tmux.keys("C-c")
        try tmux.wait("exit") { $0.contains("EXIT=0") }
    }

    @Test(
        "after a seeded storm of 3,000 keys, a 20,000-character paste and resizes, Ctrl-C exits 0 at once",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func storm() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try play(folder)
        defer { tmux.kill() }
        // Every key but the ones that quit (Esc, Ctrl-C): text, Enter, Tab, arrows, pages,
        // function keys, Ctrl-keys, Alt-keys.
        let named = [
            "Enter", "Tab", "BTab", "Up", "Down", "Left", "Right", "PPage", "NPage", "Home", "End", "BSpace", "Space",
            "F1", "F2", "F5", "F12", "C-r", "C-g", "C-p", "C-n", "C-t", "C-u", "C-a", "C-z", "C-j", "M-x", "M-Enter",
        ]
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,:!?'-0123456789".map(String.init)
        var random = SplitMix(state: 14)
        var lines: [String] = []
        while lines.joined().count < 20_000 {
            lines.append(
                (0..<(3 + random.next(8))).map { _ in letters[random.next(26)] + letters[random.next(26)] }
                    .joined(separator: " ") + "\n")
        }
        let pasted = String(lines.joined().prefix(20_000))
        for round in 0..<15 {
            let keys = (0..<200).map { _ in
                random.next(3) == 0 ? named[random.next(named.count)] : letters[random.next(letters.count)]
            }
            try tmux.keys(keys)
            if round == 7 { try tmux.paste(pasted, bracketed: false) }
            if round % 5 == 4 {
                try tmux.tmux([
                    "resize-window", "-t", tmux.target, "-x", String(40 + random.next(80)), "-y",
                    String(8 + random.next(30)),
                ])
            }
        }
        // Back to a size where the shell's lines after the exit fit on the screen.
        try tmux.tmux(["resize-window", "-t", tmux.target, "-x", "100", "-y", "40"])
        let sent = Date()
        try tmux.keys(["C-c"])
        let screen = try tmux.wait("exit") { s in s.contains { $0.hasPrefix("EXIT=") } }
        let latency = Date().timeIntervalSince(sent)
        #expect(screen.contains("EXIT=0"))
        #expect(latency < 2, "Ctrl-C took \(latency) s")
        print("play storm: Ctrl-C exited after \(String(format: "%.3f", latency)) s")
    }

    @Test(
        "SIGQUIT and SIGHUP end the UI with the terminal restored, no backtrace, and the signal's status",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)),
        arguments: [SIGQUIT, SIGHUP])
    func stopSignal(_ signal: Int32) throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tmux = try play(folder, width: 80, height: 24)
        defer { tmux.kill() }
        try tmux.type("The ")
        try tmux.keys("Enter")
        try tmux.wait("streaming") { firstStreamRow($0).hasPrefix("The ") }
        #expect(kill(try tmux.programPID(), signal) == 0)
        let screen = try tmux.wait("exit") { s in
            s.contains { $0.hasPrefix("EXIT=") } && s.contains { $0.contains("icanon") }
        }
        #expect(screen.contains("EXIT=\(128 + signal)"))
        #expect(!screen.contains { $0.localizedCaseInsensitiveContains("backtrace") || $0.contains("Thread 0") })
        try expectRestored(tmux, screen)
        try expectPasteModeOff(tmux)
    }
}
