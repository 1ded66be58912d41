import CharRNN
import Foundation
import Testing

/// Sizes, durations and numbers from flags and files are bounded: each out-of-range one is a
/// one-line refusal, never a trap, an enormous allocation or a run that never ends.
@Suite("Bounds on flags and files")
struct BoundsCommandTests {
    let tinyBench = ["bench", "--embedding", "4", "--hidden", "4", "--batch-size", "1", "--seq-length", "2", "--json"]

    @Test("bench refuses threads, seconds and sizes out of range in one line")
    func benchBounds() throws {
        for (flags, message) in [
            (["--threads", "2147483648"], "--threads must be in 1…1024, got 2147483648"),
            (["--stream-threads", "0"], "--stream-threads must be in 1…1024, got 0"),
            (["--seconds", "inf"], "--seconds must be in (0, 3600], got inf"),
            (["--seconds", "1e308"], "--seconds must be in (0, 3600]"),
            (["--seconds", "nan"], "--seconds must be in (0, 3600]"),
            (["--vocab", "65537"], "vocabulary size must be at most 65,536, got 65,537"),
            (["--batch-size", "\(Int.max)"], "batch size must be at most 65,536"),
            (["--hidden", "1000000"], "hidden size must be at most 16,384, got 1,000,000"),
        ] {
            expectOneLineFailure(try charrnn(tinyBench + ["--seconds", "0.01"] + flags), mentioning: message)
        }
    }

    @Test("bench builds a vocabulary past the surrogate range", arguments: [55_296, 65_536])
    func benchLargeVocabulary(vocab: Int) throws {
        let run = try charrnn(tinyBench + ["--vocab", "\(vocab)", "--seconds", "0.01", "--train-only"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"vocab\": \(vocab)"), "\(run.stdout)")
    }

    @Test("plot skips non-finite losses with a warning and bounds its size")
    func plotBounds() throws {
        let folder = try temporaryFolder()
        let metrics = folder + "/run.metrics.jsonl"
        try """
        {"step": 10, "train_loss": 2.5}
        {"step": 20, "train_loss": 1e999}
        {"step": 30, "train_loss": -1e999}
        {"step": 40, "val_loss": 1.5}

        """.write(toFile: metrics, atomically: true, encoding: .utf8)
        let run = try charrnn(["plot", metrics, "--svg", folder + "/curve.svg"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "charrnn: \(metrics): skipped 2 points whose loss is not finite\n")
        #expect(run.stdout.contains("best validation 1.5000"))
        for flags in [
            ["--width", "2147483648"], ["--height", "\(Int.max)"], ["--width", "1001"], ["--height", "501"],
        ] {
            let refused = try charrnn(["plot", metrics] + flags)
            #expect(refused.status != 0 && refused.stderr.contains("--width must be in 20…1000 and --height in 5…500"))
            #expect(!refused.stderr.contains("Fatal error"))
        }
        try #"{"step": 20, "train_loss": 1e999}"#.write(toFile: metrics, atomically: true, encoding: .utf8)
        let nothing = try charrnn(["plot", metrics])
        #expect(nothing.status == 1 && nothing.stderr.contains("no finite losses to plot"), "\(nothing.stderr)")
    }

    @Test("a checkpoint whose outputs overflow is refused in one line by eval, generate and info; no nan in JSON")
    func overflowingCheckpoint() throws {
        let folder = try temporaryFolder()
        var file = try SafetensorsFile.read(path: CharRNNBinary.fixture("tiny-gru.safetensors"))
        let n = file.tensors["fc.weight"]!.values.count
        file.tensors["fc.weight"]!.values = (0..<n).map { $0 % 2 == 0 ? 3e38 : -3e38 }
        let checkpoint = folder + "/huge.safetensors"
        try file.write(path: checkpoint)
        let text = folder + "/text.txt"
        try "To be, or not to be".write(toFile: text, atomically: true, encoding: .utf8)
        for arguments in [
            ["eval", "--checkpoint", checkpoint, "--text", text, "--json"], ["generate", "--checkpoint", checkpoint],
            ["info", checkpoint],
        ] {
            let run = try charrnn(arguments)
            expectOneLineFailure(run, mentioning: "tensor fc.weight can make the outputs non-finite")
            #expect(!run.stdout.contains("nan") && !run.stdout.contains("inf"))
        }
    }

    @Test("a zero-element tensor with an enormous H is refused by info and eval, not trapped")
    func enormousHidden() throws {
        let folder = try temporaryFolder()
        var file = try SafetensorsFile.read(path: CharRNNBinary.fixture("tiny-gru.safetensors"))
        file.tensors["rnn.weight_hh_l0"] = Tensor(shape: [0, 4_611_686_018_427_387_904], values: [])
        let checkpoint = folder + "/huge.safetensors"
        try file.write(path: checkpoint)
        expectOneLineFailure(
            try charrnn(["info", checkpoint]), mentioning: "rnn.weight_hh_l0 has shape [0, 4611686018427387904]")
        expectOneLineFailure(
            try charrnn(["eval", "--checkpoint", checkpoint, "--text", checkpoint]),
            mentioning: "rnn.weight_hh_l0 has shape")
    }

    @Test("train says what it needs, and refuses sizes past the bounds or the memory in one line")
    func trainMemory() throws {
        let folder = try temporaryFolder()
        let corpus = folder + "/corpus.txt"
        try String(repeating: "To be, or not to be: that is the question.\n", count: 30)
            .write(toFile: corpus, atomically: true, encoding: .utf8)
        let out = folder + "/m.safetensors"
        let ok = try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1"] + smallModel)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.split(separator: "\n").first?.hasSuffix("needs about 0.00 GiB") == true, "\(ok.stderr)")
        let resumed = try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "2", "--resume"])
        #expect(
            resumed.stderr.split(separator: "\n").first?.hasSuffix("needs about 0.00 GiB") == true, "\(resumed.stderr)")
        for (flags, message) in [
            (["--hidden", "1000000"], "hidden size must be at most 16,384, got 1,000,000"),
            (["--embedding", "2147483648"], "embedding size must be at most 16,384, got 2,147,483,648"),
            (["--layers", "1000000"], "layers must be at most 64, got 1,000,000"),
            (["--hidden", "\(Int.max)"], "hidden size must be at most 16,384"),
            (["--seq-length", "\(Int.max)"], "sequence length must be at most 65,536"),
            (["--epochs", "\(Int.max)"], "epochs must be at most 1,000,000"),
            (["--hidden", "16384", "--layers", "64"], "GiB available: lower --hidden"),
            (["--max-memory", "0.0001"], "more than --max-memory 0.0001 GiB"),
            (["--max-memory", "nan"], "--max-memory must be in (0, 1048576] GiB, got nan"),
        ] {
            expectOneLineFailure(
                try charrnn(["train", "--corpus", corpus, "--out", folder + "/n.safetensors"] + smallModel + flags),
                mentioning: message)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/n.safetensors"))
        let refusedResume = try charrnn([
            "train", "--corpus", corpus, "--out", out, "--resume", "--epochs", "3", "--max-memory", "0.0001",
        ])
        expectOneLineFailure(refusedResume, mentioning: "more than --max-memory 0.0001 GiB")
    }
}
