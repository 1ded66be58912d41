import ArgumentParser
import CharRNN

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every subcommand shares: engine errors become one line on stderr and exit status 1.
enum CLI {
    static func printToStandardError(_ text: String, terminator: String = "\n") {
        let bytes = Array((text + terminator).utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func reportingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CharRNNError {
            printToStandardError("charrnn: \(error.message)")
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

}

/// Ctrl-C during training: the handler only sets a flag; the trainer saves and stops between batches.
nonisolated(unsafe) private var interruptCount: Int32 = 0

enum Interrupt {
    static func install() {
        // A parent may have blocked these (test runners do); the mask survives exec.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            interruptCount += 1
            if interruptCount > 2 { _exit(130) }  // a third Ctrl-C leaves without saving
        }
        signal(SIGTERM) { _ in interruptCount += 1 }
    }

    static var requested: Bool { interruptCount > 0 }
}

extension Cell: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}

/// The architecture flags, shared by `train` and `bench`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Recurrent cell: gru or lstm.") var cell: Cell = .gru
    @Option(help: "Embedding size E.") var embedding = 256
    @Option(help: "Hidden units H per layer.") var hidden = 512
    @Option(help: "Stacked recurrent layers L.") var layers = 1
    @Option(parsing: .unconditional, help: "Dropout between layers and before the output layer (training only).")
    var dropout: Float = 0

    func config(vocabularySize: Int) -> ModelConfig {
        ModelConfig(
            cell: cell, vocabularySize: vocabularySize, embeddingSize: embedding, hiddenSize: hidden,
            layers: layers, dropout: dropout)
    }

    func validate() throws {
        do { try config(vocabularySize: 1).validate() } catch let e as CharRNNError {
            throw ValidationError(e.message)
        }
    }
}
