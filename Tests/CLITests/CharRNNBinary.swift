import CharRNN
import Foundation

/// The built `charrnn` executable and the repository's test fixtures, for tests that run the
/// binary: $CHARRNN_BINARY when set, else the one beside the test bundle, else .build/debug.
enum CharRNNBinary {
    static func path() throws -> String {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["CHARRNN_BINARY"] { candidates.append(explicit) }
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(testExecutable.deletingLastPathComponent().appendingPathComponent("charrnn").path)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(
                URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("charrnn")
                    .path)
        }
        candidates.append(packageRoot + "/.build/debug/charrnn")
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CharRNNError("no charrnn binary among \(candidates): run `swift build` first")
        }
        return found
    }

    /// The folder holding Package.swift.
    static var packageRoot: String {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return "."
    }

    /// A file of Tests/CharRNNTests/Fixtures.
    static func fixture(_ name: String) -> String {
        packageRoot + "/Tests/CharRNNTests/Fixtures/" + name
    }

    static func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("charrnn-play-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `charrnn` (or `executable`) in `folder` with stdin from /dev/null and output to files
    /// (so neither is a terminal, and no pipe can fill and stall it).
    static func run(_ arguments: [String], in folder: String? = nil, executable: String? = nil) throws -> Run {
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout"
        let errPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? path())
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
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
}
