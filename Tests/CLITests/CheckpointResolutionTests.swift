import Foundation
import Testing

extension CharRNNBinary {
    /// A copy of the binary at `<folder>/bin/charrnn`, outside any package: it finds checkpoints
    /// only in ./checkpoints and in `<folder>/share/charrnn/checkpoints`.
    static func strayCopy(in folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try path(), toPath: folder + "/bin/charrnn")
        return folder + "/bin/charrnn"
    }
}

/// `generate` and `play` without --checkpoint: the same shipped model, found from any folder.
@Suite("default checkpoint")
struct CheckpointResolutionTests {
    let shipped = CharRNNBinary.packageRoot + "/checkpoints/shakespeare-gru512.safetensors"
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")
    let greedy = ["--prime", "ROMEO:", "--length", "40", "--temperature", "0"]

    @Test("from another folder, generate and play both use the shipped model beside the binary's package")
    func shippedModelFromAnotherFolder() throws {
        let elsewhere = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let explicit = try charrnn(["generate", "--checkpoint", shipped] + greedy)
        #expect(explicit.status == 0, "\(explicit.stderr)")
        let generate = try charrnn(["generate"] + greedy, workingDirectory: elsewhere)
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect(generate.stdout == explicit.stdout)
        let play = try charrnn(["play"] + greedy, workingDirectory: elsewhere)
        #expect(play.status == 0, "\(play.stderr)")
        #expect(play.stdout == explicit.stdout + "\n")
    }

    @Test("./checkpoints comes first")
    func currentFolderFirst() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/checkpoints", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tinyGRU, toPath: folder + "/checkpoints/mine.safetensors")
        let explicit = try charrnn(["generate", "--checkpoint", tinyGRU] + greedy)
        let generate = try charrnn(["generate"] + greedy, workingDirectory: folder)
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect(generate.stdout == explicit.stdout)
    }

    @Test("an installed binary uses PREFIX/share/charrnn/checkpoints")
    func installedLayout() throws {
        let prefix = try temporaryFolder()
        let elsewhere = try temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: prefix)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        let binary = try CharRNNBinary.strayCopy(in: prefix)
        let share = prefix + "/share/charrnn/checkpoints"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tinyGRU, toPath: share + "/tiny.safetensors")
        let explicit = try charrnn(["generate", "--checkpoint", tinyGRU] + greedy)
        let installed = try CharRNNBinary.run(["generate"] + greedy, in: elsewhere, executable: binary)
        #expect(installed.status == 0, "\(installed.stderr)")
        #expect(installed.stdout == explicit.stdout)
    }

    @Test("with no checkpoint anywhere, one line says how to point at one")
    func nothingFound() throws {
        let prefix = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let binary = try CharRNNBinary.strayCopy(in: prefix)
        let hint =
            "no checkpoint found: pass --checkpoint FILE (the shipped ones are in \(CharRNNBinary.packageRoot)/checkpoints)"
        for command in ["generate", "play"] {
            expectOneLineFailure(
                try CharRNNBinary.run([command, "--length", "5"], in: prefix, executable: binary), mentioning: hint)
        }
    }

    @Test("--help of generate and play states the shared default checkpoint and the defaults that differ")
    func helpStatesDefaults() throws {
        func help(_ command: String) throws -> String {
            try charrnn([command, "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        for command in ["generate", "play"] {
            let text = try help(command)
            #expect(text.contains("Default: shakespeare-gru512.safetensors (else the first .safetensors file) in ./checkpoints"))
            #expect(text.contains("PREFIX/share/charrnn/checkpoints"))
            #expect(text.contains("both use the same default checkpoint"))
        }
        #expect(try help("generate").contains("--temperature 1.0 (play: 0.8), --length 200 (play: 500)"))
        #expect(try help("play").contains("--temperature 0.8 (generate: 1.0), --length 500 (generate: 200)"))
    }
}
