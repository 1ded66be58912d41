import CharRNN
import Foundation
import Testing

/// What one run of the built `charrnn` binary did.
private struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `charrnn` executable of this build: $CHARRNN_BINARY when set, else the one beside the
/// test bundle (both live in .build/<triple>/debug), else .build/debug under the package root.
private func charrnnBinary() throws -> String {
    var candidates: [String] = []
    if let explicit = ProcessInfo.processInfo.environment["CHARRNN_BINARY"] { candidates.append(explicit) }
    let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    candidates.append(testExecutable.deletingLastPathComponent().appendingPathComponent("charrnn").path)
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        candidates.append(
            URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("charrnn").path)
    }
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while folder.path != "/" {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            candidates.append(folder.appendingPathComponent(".build/debug/charrnn").path)
            break
        }
        folder = folder.deletingLastPathComponent()
    }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw CharRNNError("no charrnn binary among \(candidates): run `swift build` first")
    }
    return found
}

/// Runs `charrnn` with `arguments`; output goes through files, so no pipe can fill and stall it.
private func charrnn(_ arguments: [String]) throws -> Run {
    let folder = try temporaryFolder()
    let outPath = folder + "/stdout"
    let errPath = folder + "/stderr"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try charrnnBinary())
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Run(
        status: process.terminationStatus,
        stdout: try String(contentsOfFile: outPath, encoding: .utf8),
        stderr: try String(contentsOfFile: errPath, encoding: .utf8))
}

private func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

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

/// One line on stderr saying `charrnn: ...`, exit 1, nothing on stdout, no crash or usage dump.
private func expectOneLineFailure(
    _ run: Run, mentioning problem: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(run.status == 1, sourceLocation: sourceLocation)
    #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
    let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[1].isEmpty, "exactly one line: \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.hasPrefix("charrnn: "), "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(problem), "\(run.stderr)", sourceLocation: sourceLocation)
    for crash in ["Fatal error", "Usage:", "Stack dump", "Error:"] {
        #expect(!run.stderr.contains(crash), sourceLocation: sourceLocation)
    }
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
        expectOneLineFailure(try charrnn(["info", path]), mentioning: "\(path): absurd header length")
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
