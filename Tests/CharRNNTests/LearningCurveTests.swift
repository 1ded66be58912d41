import CharRNN
import Foundation
import Testing

@Suite("Learning curve")
struct LearningCurveTests {
    @Test("lines that are not records (a half line, a number too large) are skipped and named; the rest is read")
    func skipsCorruptLines() throws {
        let path = temporaryDirectory() + "/m.metrics.jsonl"
        try """
            {"step": 50, "epoch": 1, "train_loss": 2.5, "chars_per_s": 1000}
            {"step": 100, "epoch": 1, "train_lo
            {"step": 1e999, "train_loss": 2.0}
            {"step": 120, "epoch": 1, "train_loss": 2.25, "val_loss": 2.4}
            {"step": 150, "epoch": 2, "train_loss": 2.0, "chars_per_s": 1100}
            """.write(toFile: path, atomically: false, encoding: .utf8)
        let curve = try LearningCurve.read(path: path)
        #expect(curve.skippedLines == [2, 3])
        #expect(curve.train.map(\.step) == [50, 150])
        #expect(curve.validation.map(\.step) == [120])
        try "{\"step\": 1, \"train_lo".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: CharRNNError("\(path): no metrics recorded yet")) { try LearningCurve.read(path: path) }
    }
}
