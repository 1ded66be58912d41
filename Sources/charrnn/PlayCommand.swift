import ArgumentParser
import CharRNN
import CharRNNPlay

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `charrnn play` (also plain `charrnn`): the full-screen terminal UI; plain streaming
/// generation when stdin or stdout is not a terminal.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Watch a checkpoint write, character by character, with its next-character odds.",
        discussion: """
            Type a seed and press Enter. Keys: Up/Down temperature ± 0.05 (0 = greedy), \
            Left/Right fewer/more bars, PgUp/PgDn faster/slower, Tab/Shift-Tab next/previous \
            checkpoint, Ctrl-R reset, Ctrl-G greedy | sampled side by side, Ctrl-P pause \
            (Ctrl-N one character while paused), Ctrl-T tint by surprisal, F1 help, \
            Esc or Ctrl-C quit. When standard output is not a terminal, prints the prime and \
            --length generated characters instead.
            """)

    static let defaultCheckpoint = "checkpoints/shakespeare-gru512.safetensors"

    @Option(
        help: ArgumentHelp(
            "A charrnn-v1 checkpoint.",
            discussion: "Default: \(defaultCheckpoint), else the first .safetensors file in checkpoints/."))
    var checkpoint: String?

    @Option(help: "Folder whose .safetensors files Tab cycles through (default: the checkpoint's folder).")
    var checkpoints: String?

    @Option(parsing: .unconditional, help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0.8
    @Option(
        name: .customLong("top-k"), parsing: .unconditional, help: "Sample only among the k most likely characters.")
    var topK: Int?
    @Option(
        name: .customLong("top-p"), parsing: .unconditional,
        help: "Sample only among the most likely characters that make up p.")
    var topP: Float?
    @Option(help: "Random seed (default: a new one at every start, shown in the status line).") var seed: UInt64?
    @Option(help: "Seed text; the UI starts generating from it at once.") var prime: String?
    @Option(help: "Characters to generate when standard output is not a terminal.") var length = 500

    func validate() throws {
        do {
            try SamplerSettings(temperature: temperature, topK: topK, topP: topP).validate()
        } catch let e as CharRNNError {
            throw ValidationError(e.message)
        }
        guard length >= 0 else { throw ValidationError("--length must be at least 0, got \(length)") }
    }

    func run() throws {
        let exit = try CLI.reportingErrors { () throws -> PlayExit in
            let path = try resolvedCheckpoint()
            let session = try EngineSession(checkpoint: path, compute: .streamingFromEnvironment())
            guard isatty(0) == 1, CLI.standardOutputIsTerminal else {
                try streamPlainly(session)
                return .quit
            }
            return try CursesTerminal.withScreen { terminal in
                var state = PlayState(seedLine: prime ?? "", temperature: temperature, topK: topK, topP: topP)
                state.barCount = min(state.barCount, EngineSession.maximumBars)
                let controller = PlayController(
                    session: session, state: state, checkpoint: path, checkpointFolder: checkpoints,
                    randomSeed: seed, clock: PlayLoop.monotonicSeconds)
                if prime != nil { controller.perform(.start) }
                return PlayLoop.run(controller, on: terminal, clock: PlayLoop.monotonicSeconds)
            }
        }
        if case .signal(let s) = exit {
            // The terminal is restored: die of the signal, as if it had not been caught.
            signal(s, SIG_DFL)
            raise(s)
        }
    }

    /// --checkpoint, else the shipped model, else the first checkpoint in checkpoints/.
    private func resolvedCheckpoint() throws -> String {
        if let checkpoint { return checkpoint }
        if access(PlayCommand.defaultCheckpoint, R_OK) == 0 { return PlayCommand.defaultCheckpoint }
        if let first = CheckpointCycle.list(folder: "checkpoints").first { return first }
        throw CharRNNError(
            "no checkpoint: \(PlayCommand.defaultCheckpoint) is missing and checkpoints/ has no .safetensors file; pass --checkpoint FILE"
        )
    }

    /// Not a terminal: the prime, then `length` characters, as they come.
    private func streamPlainly(_ session: EngineSession) throws {
        let text = prime ?? ""
        let sampler = PlaySampler(temperature: temperature, topK: topK, topP: topP)
        if let note = try session.start(
            seed: text, samplers: [sampler], randomSeed: seed ?? UInt64.random(in: 0...999_999))
        {
            CLI.printToStandardError("charrnn: \(note)")
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.unicodeScalars)
        for i in 0..<length {
            out.append(try session.step(stream: 0).symbol ?? Glyphs.unknown)
            if i % 1024 == 1023 {
                print(String(out), terminator: "")
                out.removeAll(keepingCapacity: true)
            }
        }
        print(String(out))
    }
}
