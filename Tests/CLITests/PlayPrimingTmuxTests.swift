import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C while play reads a long prime: it stops the priming instead of waiting for it.
@Suite("charrnn play in tmux: Ctrl-C during a long prime", .serialized)
struct PlayPrimingTmuxTests {
    @Test(
        "Ctrl-C a moment into a 4,000-character prime on the LSTM 2×512 quits within a second",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)))
    func interruptPriming() throws {
        let folder = try CharRNNBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Priming reads all of it before the first frame: seconds on this model (about 5 s in a debug build).
        let prime = String(repeating: "the king and queen of france did sail to england ", count: 80)
        try prime.write(toFile: folder + "/prime.txt", atomically: true, encoding: .utf8)
        let checkpoint = CharRNNBinary.packageRoot + "/checkpoints/shakespeare-lstm2x512.safetensors"
        let binary = try CharRNNBinary.path()
        let tmux = try TmuxSession(
            command: "'\(binary)' play --checkpoint '\(checkpoint)' --prime \"$(cat prime.txt)\" --seed 1; "
                + "echo EXIT=$?; stty -a; cat",
            width: 100, height: 30, folder: folder)
        defer { tmux.kill() }
        // Curses is up (raw keys) before priming starts; then give priming a moment.
        let deadline = Date().addingTimeInterval(10)
        while try tmux.variable("alternate_on") != "1", Date() < deadline { usleep(20_000) }
        usleep(300_000)
        try tmux.keys("C-c")
        let sent = Date()
        let screen = try tmux.wait("the exit", seconds: 10) { $0.contains { $0.hasPrefix("EXIT=") } }
        let seconds = Date().timeIntervalSince(sent)
        #expect(seconds < 1, "took \(seconds) s after Ctrl-C")
        #expect(screen.contains("EXIT=0"))
        try expectRestored(tmux, screen)
    }
}
