import CharRNN
import Foundation
import Testing

/// A small corpus file for the training-flag tests.
func trainingCorpus(in folder: String, repeats: Int = 30, line: String = "To be, or not to be: that is the question.\n")
    throws -> String
{
    let path = folder + "/corpus.txt"
    try String(repeating: line, count: repeats).write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("charrnn train progress in a log")
struct TrainProgressTests {
    @Test("When stderr is not a terminal, a plain progress line comes every --progress-every seconds")
    func periodicLines() throws {
        let folder = try temporaryFolder()
        let corpus = try trainingCorpus(in: folder)
        let out = folder + "/m.safetensors"
        let run = try charrnn(
            ["train", "--corpus", corpus, "--out", out, "--epochs", "1", "--progress-every", "0"] + smallModel)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("\r") && !run.stderr.contains("\u{1B}"))
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch 1/1  ") && $0.contains("ETA") }
        // 30 × 43 characters, 10% held out, 64 characters a batch: 18 steps, a line each.
        #expect(lines.count == 18, "\(run.stderr)")
        #expect(lines.first?.contains("1/18  step 1  loss ") == true, "\(lines.first ?? "")")
        // The default (30 s) prints none in a run this short.
        let quiet = try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1", "--force"] + smallModel)
        #expect(!quiet.stderr.contains("ETA"), "\(quiet.stderr)")
    }
}
