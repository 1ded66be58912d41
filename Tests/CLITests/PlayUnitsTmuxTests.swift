import Foundation
import Testing

/// A 256-colour background (`DivergingTint.xterm256`) somewhere in these rows.
private func tinted(_ rows: ArraySlice<String>) -> Bool { rows.joined().contains("48;5;") }

@Suite("charrnn play: the unit tint in tmux", .serialized)
struct PlayUnitsTmuxTests {
    @Test(
        "F4 tints the text by a hidden unit, F5–F8 change the unit shown, F4 again removes it; read mode; F10",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func unitTint() throws {
        let folder = try playCheckpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(
            atPath: CharRNNBinary.fixture("tiny-gru.eval.txt"), toPath: folder + "/sonnet.txt")
        let tmux = try TmuxSession.play(
            "--checkpoint a.safetensors --seed 5",
            width: 100, height: 30, folder: folder)
        defer { tmux.kill() }

        try tmux.wait("the prime prompt", seconds: 30) { $0.last { !$0.isEmpty }?.hasPrefix("prime›") == true }
        try tmux.type("The ")
        try tmux.keys("Enter")
        let streamed = try tmux.wait("text to stream") { s in
            firstStreamRow(s).hasPrefix("The ") && firstStreamRow(s).trimmingCharacters(in: .whitespaces).count > 20
        }
        try tmux.wait("more text") { firstStreamRow($0) != firstStreamRow(streamed) }
        try tmux.keys("C-p")
        try tmux.wait("paused") { $0[0].contains("PAUSED") }
        #expect(!tinted(try tmux.screenWithAttributes()[1...20]), "no unit tint before F4")

        // F4: the unit in the status and the generated text on 256-colour backgrounds.
        try tmux.keys("F4")
        var screen = try tmux.wait("the unit in the status") { $0[0].contains("L0 h 0") }
        #expect(screen[0].range(of: "L0 h 0 [▁▂▃▄▅▆▇█]{8}", options: .regularExpression) != nil, "\(screen[0])")
        let attributed = try tmux.screenWithAttributes()
        #expect(tinted(attributed[1...20]), "tinted text: \(attributed.joined(separator: "\n"))")
        // Typing still edits the prime while the tint is on.
        try tmux.type("xy")
        try tmux.wait("the prime edited") { $0.last { !$0.isEmpty }?.hasPrefix("prime› The xy") == true }

        // The unit keys: next, previous (wrapping: 32 units), next layer (one: stays), c refused on a GRU.
        try tmux.keys("F6")
        try tmux.wait("unit 1") { $0[0].contains("L0 h 1 ") }
        try tmux.keys("F5", "F5")
        try tmux.wait("unit 31") { $0[0].contains("L0 h 31 ") }
        try tmux.keys("F8")
        screen = try tmux.wait("h/c refused") { $0.joined().contains("no cell state c") }
        #expect(screen[0].contains("L0 h 31"))

        // F4 again: no tint, no unit.
        try tmux.keys("F4")
        screen = try tmux.wait("the unit gone") { !$0[0].contains("L0 h") }
        #expect(!tinted(try tmux.screenWithAttributes()[1...20]), "the tint is gone")

        // Read mode: the text tinted by the same unit.
        try tmux.keys("F3")
        try tmux.wait("the file prompt") { $0[0].contains("read file›") }
        try tmux.type("sonnet.txt")
        try tmux.keys("Enter")
        try tmux.wait("read mode") { $0.last { !$0.isEmpty }?.hasPrefix("F1Help  F3Write") == true }
        try tmux.keys("F4")
        try tmux.wait("the unit in read mode") { $0[0].contains("L0 h 31") }
        #expect(tinted(try tmux.screenWithAttributes()[1...10]), "read mode's text tinted")

        try tmux.keys("F10")
        screen = try tmux.wait("exit") { s in s.contains("EXIT=0") && s.contains { $0.contains("icanon") } }
        try expectRestored(tmux, screen)
    }
}
