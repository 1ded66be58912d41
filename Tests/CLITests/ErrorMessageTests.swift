import CharRNN
import Foundation
import Testing

/// Errors a new user meets: they name the file and the fix, never an internal detail.
@Suite("error messages")
struct ErrorMessageTests {
    @Test("a file that is not a checkpoint says so, in every command; a damaged one keeps the precise reason")
    func notACheckpoint() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = folder + "/corpus.txt"
        try "ROMEO: what is this? It is not a model at all.\n".write(toFile: text, atomically: true, encoding: .utf8)
        let png = folder + "/picture.png"
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]).write(
            to: URL(fileURLWithPath: png))
        for file in [text, png] {
            let problem = "\(file): not a charrnn checkpoint (safetensors header missing)"
            expectOneLineFailure(try charrnn(["info", file]), mentioning: problem)
            expectOneLineFailure(try charrnn(["generate", "--checkpoint", file]), mentioning: problem)
            expectOneLineFailure(try charrnn(["eval", "--checkpoint", file, "--text", text]), mentioning: problem)
            expectOneLineFailure(try charrnn(["play", "--checkpoint", file]), mentioning: problem)
        }

        let good = try FileIO.readAll(path: CharRNNBinary.fixture("tiny-gru.safetensors"))
        let truncated = folder + "/truncated.safetensors"
        try Data(good.prefix(100)).write(to: URL(fileURLWithPath: truncated))
        expectOneLineFailure(try charrnn(["info", truncated]), mentioning: "past the end")
        var hugeLength = good
        hugeLength[6] = 0x7F
        let damaged = folder + "/damaged.safetensors"
        try Data(hugeLength).write(to: URL(fileURLWithPath: damaged))
        expectOneLineFailure(try charrnn(["info", damaged]), mentioning: "absurd header length")
    }

    @Test("corpus errors say how to fix them")
    func corpusErrors() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let short = folder + "/short.txt"
        try "To be, or not to be.\n".write(toFile: short, atomically: true, encoding: .utf8)
        let out = folder + "/m.safetensors"
        expectOneLineFailure(
            try charrnn(["train", "--corpus", short, "--out", out, "--batch-size", "4", "--seq-length", "16"]),
            mentioning: "use a smaller --batch-size or --seq-length")
        let latin1 = folder + "/latin1.txt"
        try Data([0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: latin1))  // "café" in Latin-1
        expectOneLineFailure(
            try charrnn(["train", "--corpus", latin1, "--out", out]), mentioning: "iconv -f LATIN1 -t UTF-8")
    }
}
