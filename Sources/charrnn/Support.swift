import ArgumentParser
import CharRNN

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every subcommand shares: engine errors become one line on stderr (control characters
/// escaped, so a file name cannot inject terminal sequences or break the line) and exit status 1.
enum CLI {
    static func printToStandardError(_ text: String, terminator: String = "\n") {
        FileIO.writeAll(fd: 2, bytes: Array((text + terminator).utf8))
    }

    static func reportingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CharRNNError {
            printToStandardError("charrnn: \(PrintableText.escaped(error.message))")
            throw ExitCode(1)
        }
    }

    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
    static var standardOutputIsTerminal: Bool { isatty(1) == 1 }

    /// A corpus file as token ids over its own vocabulary (sorted distinct scalars).
    static func readCorpus(_ path: String) throws -> (vocabulary: Vocabulary, tokens: [Int32]) {
        let scalars = try UTF8Text.read(path: path)
        guard !scalars.isEmpty else { throw CharRNNError("\(path): the corpus is empty") }
        let vocabulary = Vocabulary(corpus: scalars)
        return (vocabulary, try vocabulary.encodeAll(scalars, what: path))
    }

    /// `generate --length` and `play --length`: any count from 0 up.
    static func checkLength(_ length: Int) throws {
        guard length >= 0 else { throw CharRNNError("--length must be at least 0, got \(length)") }
    }

    /// A session on `model` with one stream per settings, each seeded with `seed`, primed with
    /// `prime`, computing under `compute`; characters not fed as written are noted on stderr.
    static func primedSession(
        _ model: CharRNNModel, prime: String, streams: [SamplerSettings], seed: UInt64, topCount: Int,
        compute: ComputePolicy
    ) throws -> GenerationSession {
        let session = try GenerationSession(model: model, topCount: topCount, compute: compute)
        for settings in streams { try session.addStream(settings: settings, seed: seed) }
        if let warning = session.prime(with: prime).warning { printToStandardError("charrnn: \(warning)") }
        return session
    }
}

/// Ctrl-C, SIGTERM and SIGHUP (the terminal closed) during training: the handler only sets a
/// flag; the trainer saves and stops between batches.
nonisolated(unsafe) private var interruptCount: Int32 = 0

enum Interrupt {
    static func install() {
        // A parent may have blocked these (test runners do); the mask survives exec.
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            interruptCount += 1
            if interruptCount > 2 { _exit(130) }  // a third Ctrl-C leaves without saving
        }
        signal(SIGTERM) { _ in interruptCount += 1 }
        // Under nohup SIGHUP stays ignored: the run is meant to outlive its terminal.
        let previous = signal(SIGHUP) { _ in interruptCount += 1 }
        if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { signal(SIGHUP, SIG_IGN) }
    }

    static var requested: Bool { interruptCount > 0 }
}
