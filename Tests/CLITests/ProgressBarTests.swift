import CharRNN
import Foundation
import Testing

@testable import charrnn

/// The training line fits the terminal: never wider than the width it is given, the most useful
/// fields kept longest, and the ETA covers the whole run.
@Suite("Training progress line")
struct ProgressBarTests {
    /// Epoch 3 of 10, batch 120 of 345, at 10,000 chars/s with 6,400 characters a batch.
    let progress = StepProgress(
        epoch: 3, epochs: 10, batch: 120, batchesPerEpoch: 345, step: 810, loss: 1.23456,
        charactersPerBatch: 6_400, charactersPerSecond: 10_000)

    func line(_ width: Int) -> String { ProgressBar.line(progress, charactersPerSecond: 10_000, width: width) }

    @Test("The line never exceeds the width", arguments: [10, 20, 40, 60, 79, 80, 120])
    func fits(width: Int) {
        #expect(line(width).count <= width, "\(line(width))")
        #expect(!line(width).contains("\n"))
    }

    @Test("At 120 columns every field shows, with a 24-cell bar")
    func wide() {
        let l = line(120)
        for field in ["epoch 3/10", "120/345", "step 810", "loss 1.2346", "10,000 chars/s", "ETA"] {
            #expect(l.contains(field), "\(l)")
        }
        #expect(l.filter { $0 == "█" || $0 == "·" }.count == 24)
    }

    @Test("At 80 and 60 columns the bar shrinks and chars/s goes before the loss and ETA")
    func narrow() {
        for width in [79, 59] {
            let l = line(width)
            #expect(l.contains("epoch 3/10") && l.contains("loss 1.2346") && l.contains("ETA"), "\(l)")
        }
        #expect(!line(59).contains("chars/s"))
    }

    @Test("At 40 columns: epoch, loss and ETA")
    func tiny() {
        #expect(line(40) == "epoch 3/10  loss 1.2346  ETA 28m9s")
    }

    @Test("The ETA covers the remaining epochs, not only this one")
    func wholeRunETA() {
        // (7 epochs × 345 + 225 batches) × 6,400 characters at 10,000 chars/s: 1,689.6 s.
        let steps = 7 * 345 + 225
        let seconds = Double(steps * 6_400) / 10_000
        #expect(line(120).hasSuffix("ETA \(NumberText.duration(seconds: seconds))"), "\(line(120))")
    }
}
