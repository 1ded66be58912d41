import CharRNN
import Foundation
import Testing

/// What one run of the built `charrnn` binary did.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `charrnn` executable of this build: $CHARRNN_BINARY when set, else the one beside the
/// test bundle (both live in .build/<triple>/debug), else .build/debug under the package root.
func charrnnBinary() throws -> String {
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

/// Runs `charrnn` with `arguments` (and optional standard input text); output goes through files, so no pipe can fill and stall it.
func charrnn(_ arguments: [String], workingDirectory: String? = nil) throws -> Run {
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
    if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
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

func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// One line on stderr saying `charrnn: ...`, exit 1, nothing on stdout, no crash or usage dump.
func expectOneLineFailure(
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

