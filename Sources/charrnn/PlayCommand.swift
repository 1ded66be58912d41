import ArgumentParser
import CharRNN
import CharRNNPlay

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `charrnn play` (also plain `charrnn`): the full-screen terminal UI; plain streaming
/// generation when stdin or stdout is not a terminal, or one curses cannot drive (TERM=dumb or
/// unknown).
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Watch a checkpoint write, character by character, with its next-character odds.",
        discussion: """
            Type a prime (text for the model to continue) and press Enter. Keys: Up/Down \
            temperature ± 0.05 (0 = greedy), Left/Right fewer/more bars, PgUp/PgDn faster/slower, Tab/Shift-Tab next/previous \
            checkpoint, Ctrl-R reset, Ctrl-G greedy | sampled side by side, Ctrl-P pause \
            (Ctrl-N one character while paused), Ctrl-T tint by surprisal, F1 help, \
            F3 read mode, Esc, F10 or Ctrl-C quit. Read mode (--read FILE, or F3 and a path) shows \
            a text as the model reads it: each character tinted by the rank the model gave it \
            (1, 2-3, 4-10, 11+; t: by surprisal), arrows/PgUp/PgDn/Home/End move the cursor, the \
            bars show the distribution that predicted the character under it, / searches, c \
            continues writing from the cursor, Tab re-reads with the next checkpoint. F2 steer mode \
            pauses the sampled stream: 1-9 put the numbered candidate after the cursor, Space samples \
            one, Left/Right/Home/End move the cursor back (rewinding) and on, a different character \
            before the end starts a branch, Up/Down switch branches, b shows the branch tree, w/W save \
            this branch/all branches, Enter streams on from the cursor, F2/Esc go back. Ctrl-L cycles \
            side-by-side layouts of up to four streams (greedy | beam 5 | T=0.5 | T=1.0, …); a beam \
            stream shows its best beam so far, redrawn each step, with its log-probability. --versus CKPT \
            (or Ctrl-V: the folder's next checkpoint) runs a second model beside the first on the same \
            prime, each with its bars, and the KL divergence of their distributions per step. When \
            standard input or output is not a terminal, or TERM names one \
            that cannot move the cursor (dumb, unknown), prints what \
            `charrnn generate` prints for the same flags (the prime, then --length generated \
            characters), and a newline. Defaults that differ from generate's: --temperature \
            \(PlayState.defaultTemperature) (generate: \(GenerateCommand.defaultTemperature)), --length \
            \(defaultLength) (generate: \(GenerateCommand.defaultLength)); both use the same default \
            checkpoint.
            """)

    static let defaultLength = 500

    @Option(help: ArgumentHelp("A charrnn-v1 checkpoint.", discussion: ShippedCheckpoints.helpText))
    var checkpoint: String?

    @Option(
        help: """
            Folder whose .safetensors files Tab cycles through, besides the starting checkpoint (default: the \
            checkpoint's folder).
            """)
    var checkpoints: String?

    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var precisionOptions: PrecisionOptions
    @Option(help: "Text the model reads before it writes; the UI starts generating at once.") var prime: String?
    @Option(
        parsing: .unconditional,
        help: """
            Characters to generate when standard output is not a terminal, ≥ 0 (generate's default: \
            \(GenerateCommand.defaultLength)).
            """)
    var length = PlayCommand.defaultLength
    @Option(
        help: """
            Open in read mode on this UTF-8 text: each character tinted by how the model expected it \
            (characters outside the vocabulary are left out and counted).
            """)
    var read: String?
    @Option(
        help: """
            A second checkpoint beside the first on the same prime and settings, each with its bars, the KL \
            divergence of their next-character distributions per step (Ctrl-V: the folder's next).
            """)
    var versus: String?

    func validate() throws {
        try CLI.reportingErrors {
            try CLI.checkLength(length)
            if let checkpoints { try Self.checkFolder(checkpoints) }
        }
    }

    /// --checkpoints must name a folder that exists.
    static func checkFolder(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw CharRNNError("--checkpoints: no such folder: \(path)")
        }
    }

    func run() throws {
        let exit = try CLI.reportingErrors { () throws -> PlayExit in
            let path = try ShippedCheckpoints.resolve(checkpoint)
            let settings = sampling.settings(defaultTemperature: PlayState.defaultTemperature)
            // A bad file is a one-line error before anything else, on a terminal or not.
            let text = try read.map { try UTF8Text.read(path: $0) }
            if let read, let text, text.count < 2 {
                throw CharRNNError("\(read): a text to read needs at least 2 characters, has \(text.count)")
            }
            let second = try versus.map { try ShippedCheckpoints.resolve($0) }
            guard isatty(0) == 1, CLI.standardOutputIsTerminal else {
                try streamPlainly(checkpoint: path, settings: settings)
                return .quit
            }
            let session = try EngineSession(checkpoint: path, compute: precisionOptions.compute)
            var state = PlayState(primeLine: prime ?? "", sampler: settings)
            if let second {
                try session.loadVersus(checkpoint: second)
                state.versus = true
            }
            let controller = PlayController(
                session: session, state: state, checkpoint: path, checkpointFolder: checkpoints,
                randomSeed: sampling.seed, clock: PlayLoop.monotonicSeconds)
            // Before the screen opens, so a text the model cannot read is a one-line error; the
            // reading goes on in the background while the screen starts.
            if let read, let text { try controller.open(text, path: read) }
            do {
                return try CursesTerminal.withScreen { terminal in
                    // The loop primes, so Ctrl-C can stop it.
                    if prime != nil { controller.perform(.start, deferring: true) }
                    return PlayLoop.run(controller, on: terminal, clock: PlayLoop.monotonicSeconds)
                }
            } catch is TerminalUnusable {
                try streamPlainly(checkpoint: path, settings: settings)
                return .quit
            }
        }
        if case .signal(let s) = exit {
            // The terminal is restored: die of the signal, as if it had not been caught.
            signal(s, SIG_DFL)
            raise(s)
        }
    }

    /// Not a terminal: what `generate` prints for the same flags, and a newline.
    private func streamPlainly(checkpoint: String, settings: SamplerSettings) throws {
        if versus != nil { throw CharRNNError("play --versus needs a terminal: use charrnn generate --versus") }
        if settings.method == .beam {
            throw CharRNNError(
                "play does not run beam search yet without a terminal: use charrnn generate --sampler beam")
        }
        let model = try CharRNNModel.load(path: checkpoint)
        let seed = sampling.randomSeed(announce: !settings.isDeterministic)
        let session = try CLI.primedSession(
            model, prime: prime ?? "", streams: [settings], seed: seed, topCount: 1, compute: precisionOptions.compute)
        PlainTextWriter.writeText(of: session, stream: 0, length: length)
        PlainTextWriter.write("\n")
    }
}
