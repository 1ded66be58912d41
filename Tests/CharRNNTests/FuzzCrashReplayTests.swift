import Foundation
import Testing

@testable import CharRNN

/// Every input that crashed a fuzzer (Fuzz/, `make fuzz`) is kept under Fixtures/fuzz-crashes/<target>/
/// and replayed here through the same path as its fuzz target: it must now be refused in one line.
@Suite("Fuzz crash replay")
struct FuzzCrashReplayTests {
    /// The inputs of one target, by file name.
    static func crashes(_ target: String) -> [String] {
        guard let folder = Bundle.module.url(forResource: "Fixtures/fuzz-crashes/\(target)", withExtension: nil)?.path,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else { return [] }
        return names.sorted().map { "\(folder)/\($0)" }
    }

    /// Runs `body` on the input at `path`; passes when it throws a one-line `CharRNNError`.
    func expectRefusal(_ path: String, _ body: ([UInt8]) throws -> Void) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        do {
            try body(bytes)
            Issue.record("\(path): accepted")
        } catch let error as CharRNNError {
            #expect(!error.message.contains("\n"), "\(path)")
        } catch let error as JSON.TooLarge {
            #expect(!error.message.contains("\n"), "\(path)")
        }
    }

    @Test("checkpoint inputs: bytes → checkpoint → model → evaluation", arguments: crashes("checkpoint"))
    func checkpoint(_ path: String) throws {
        try expectRefusal(path) { bytes in
            let model = CharRNNModel(
                checkpoint: try Checkpoint.decode(try SafetensorsFile.parse(bytes, name: "crash"), name: "crash"))
            _ = try Evaluation.evaluate(
                model, tokens: (0..<8).map { Int32($0 % model.vocabulary.count) }, compute: .streaming(split: false))
        }
    }

    /// Includes tampered states (Int.max in state.step, state.batch_index, train.seq_length) that
    /// trapped in Optimizer.update, Trainer.run and BatchPlan.init before resume checked every field.
    @Test("training-state inputs: resume on Fuzz/state-corpus.txt, then one step", arguments: crashes("state"))
    func trainingState(_ path: String) throws {
        let corpusPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/state-corpus.txt").path
        let corpus = try UTF8Text.read(path: corpusPath)
        try expectRefusal(path) { bytes in
            let paths = TrainingPaths(checkpoint: temporaryDirectory() + "/crash.safetensors")
            try Data(bytes).write(to: URL(fileURLWithPath: paths.state))
            let trainer = try Trainer.resume(paths: paths, corpus: { try $0.encodeAll(corpus, what: "corpus") })
            var batches = 0
            _ = try trainer.run(shouldStop: {
                batches += 1
                return batches > 1
            })
        }
    }

    @Test("JSON inputs", arguments: crashes("json"))
    func json(_ path: String) throws {
        try expectRefusal(path) { _ = try JSON.parse(ArraySlice($0)) }
    }
}
