import CharRNN

/// Standard output without a buffer: each piece goes out at once, so text streams as it is
/// sampled. Writes `generate`'s output, and `play`'s when standard output is not a terminal.
struct PlainTextWriter {
    private var bytes: [UInt8] = []

    mutating func write(_ text: String) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: text.utf8)
        flush()
    }

    mutating func write(_ scalar: Unicode.Scalar) {
        bytes.removeAll(keepingCapacity: true)
        UTF8.encode(scalar) { bytes.append($0) }
        flush()
    }

    /// A stream's prime, then `length` generated characters, each written as soon as it is sampled.
    mutating func writeText(of session: GenerationSession, stream: Int, length: Int) {
        write(session.streams[stream].primeText)
        for _ in 0..<length { write(session.step(stream: stream).character) }
    }

    /// Stdout closed: nothing more to do with this piece.
    private func flush() { FileIO.writeAll(fd: 1, bytes: bytes) }
}
