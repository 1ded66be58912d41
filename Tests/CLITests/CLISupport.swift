import CharRNN
import Foundation
import Testing

typealias Run = CharRNNBinary.Run

func charrnnBinary() throws -> String { try CharRNNBinary.path() }

/// Runs `charrnn` with `arguments`, stdin from /dev/null, output through files.
func charrnn(_ arguments: [String], workingDirectory: String? = nil) throws -> Run {
    try CharRNNBinary.run(arguments, in: workingDirectory)
}

func temporaryFolder() throws -> String { try CharRNNBinary.temporaryFolder() }

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

/// A corpus of `lines` lines: 400 make an epoch of about 380 small-model batches.
func longCorpus(in folder: String, lines: Int = 400) throws -> String {
    let path = folder + "/corpus.txt"
    try String(repeating: "All the world's a stage, and all the men and women merely players.\n", count: lines)
        .write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// `charrnn` started in the background, stderr to a file.
final class Background {
    let process = Process()
    let errPath: String

    init(_ arguments: [String], folder: String, executable: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: try executable ?? charrnnBinary())
        process.arguments = arguments
        errPath = folder + "/stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits (at most `seconds`) until `file` exists or the process ends.
    func wait(for file: String, seconds: Double = 60) {
        let deadline = Date().addingTimeInterval(seconds)
        while !FileManager.default.fileExists(atPath: file) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Waits (at most `seconds`) for the process to end; kills it if it does not. False on a kill.
    func finish(seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        return true
    }

    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
}
