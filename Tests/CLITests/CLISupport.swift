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

