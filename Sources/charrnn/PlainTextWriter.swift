import CharRNN

/// Standard output without a buffer: each piece goes out at once, so text streams as it is
/// sampled. Writes `generate`'s output, and `play`'s when standard output is not a terminal.
/// A closed standard output is not an error: what follows is simply not shown.
enum PlainTextWriter {
    static func write(_ text: String) { FileIO.writeAll(fd: 1, bytes: Array(text.utf8)) }

    /// A stream's prime, then `length` generated characters, each written as soon as it is sampled.
    static func writeText(of session: GenerationSession, stream: Int, length: Int) {
        write(session.streams[stream].primeText)
        for _ in 0..<length { write(String(session.step(stream: stream).character)) }
    }
}
