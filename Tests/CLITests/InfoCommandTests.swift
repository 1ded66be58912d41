import CharRNN
import Foundation
import Testing

/// A small GRU checkpoint: V=10, E=16, H=32, L=1 — 5,290 parameters.
private func savedCheckpoint(in folder: String) throws -> String {
    let vocabulary = try Vocabulary(symbols: ["\n", " ", "\t", "\"", "a", "é", "😀", "\u{301}", "\u{200B}", "[UNK]"])
    let config = ModelConfig(cell: .gru, vocabularySize: 10, embeddingSize: 16, hiddenSize: 32, layers: 1, dropout: 0.1)
    let parameters = ParameterSet(shapes: config.parameterShapes)
    for entry in parameters.entries {
        parameters.set(entry.name, (0..<entry.count).map { Float($0 % 7) / 10 })
    }
    let path = folder + "/tiny.safetensors"
    try Checkpoint(
        config: config, vocabulary: vocabulary, parameters: parameters,
        metadata: ["epoch": "12", "corpus": "tiny.txt", "command": "charrnn train\n--epochs 12"]
    ).save(path: path)
    return path
}

@Suite("charrnn info")
struct InfoCommandTests {
    @Test("describes a good checkpoint: format, architecture, parameters, vocabulary, sorted metadata")
    func goodCheckpoint() throws {
        let path = try savedCheckpoint(in: try temporaryFolder())
        let run = try charrnn(["info", path])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("file:         \(path)"))
        #expect(lines.contains("format:       charrnn-v1"))
        #expect(lines.contains("architecture: GRU 1×32, embedding 16, V=10"))
        #expect(lines.contains("dropout:      0.1"))
        #expect(lines.contains("parameters:   5,290"))
        #expect(lines.contains("vocabulary:   10 symbols"))
        #expect(lines.contains("  ⏎ ␣ ⇥ \" a é 😀 ◌\u{301} U+200B [UNK]"), "\(run.stdout)")
        let metadata = lines.drop { $0 != "metadata:" }.dropFirst()
        #expect(Array(metadata) == ["  command: charrnn train\\n--epochs 12", "  corpus: tiny.txt", "  epoch: 12"])
    }

    @Test("a garbage file is one line on stderr and exit code 1")
    func garbageFile() throws {
        let path = try temporaryFolder() + "/garbage.safetensors"
        try Data("this is not a checkpoint, it is plain text that goes on for a while".utf8).write(
            to: URL(fileURLWithPath: path))
        expectOneLineFailure(
            try charrnn(["info", path]), mentioning: "\(path): not a charrnn checkpoint (safetensors header missing)")
    }

    @Test("a missing file and a checkpoint without its output layer fail the same way")
    func otherFailures() throws {
        let folder = try temporaryFolder()
        expectOneLineFailure(try charrnn(["info", folder + "/nowhere.safetensors"]), mentioning: "cannot open")

        let path = try savedCheckpoint(in: folder)
        var file = try SafetensorsFile.read(path: path)
        file.tensors["fc.weight"] = nil
        try file.write(path: path)
        expectOneLineFailure(try charrnn(["info", path]), mentioning: "missing tensor: fc.weight")
    }
}
