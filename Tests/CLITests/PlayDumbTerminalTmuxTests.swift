import Foundation
import Testing

/// `charrnn play` on a terminal curses cannot draw on streams plain text, as without a terminal.
@Suite("charrnn play in tmux: terminals curses cannot drive", .serialized)
struct PlayDumbTerminalTmuxTests {
    @Test(
        "TERM=dumb or an unknown TERM prints the prime and the greedy continuation, exit 0",
        arguments: ["dumb", "no-such-terminal"])
    func plainFallback(term: String) throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let binary = try CharRNNBinary.path()
        let expected = try CharRNNBinary.run([
            "generate", "--checkpoint", folder + "/a.safetensors", "--prime", "The", "--length", "30", "--sampler",
            "greedy",
        ]).stdout
        let tmux = try TmuxSession(
            command:
                "TERM=\(term) '\(binary)' play --checkpoint a.safetensors --prime The --length 30 --sampler greedy;"
                + " echo EXIT=$?; cat",
            width: 100, height: 10, folder: folder)
        defer { tmux.kill() }
        let screen = try tmux.wait("the plain text and the exit status") { $0.contains { $0.contains("EXIT=") } }
        #expect(screen.contains("EXIT=0"), "\(screen)")
        #expect(
            screen.first == expected.trimmingCharacters(in: .whitespacesAndNewlines),
            "tmux trims trailing spaces: \(screen)")
        #expect(try tmux.variable("alternate_on") == "0")
    }
}
