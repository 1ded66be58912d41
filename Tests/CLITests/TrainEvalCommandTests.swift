import CharRNN
import Foundation
import Testing

/// A small corpus file: `repeats` copies of a sentence.
private func corpusFile(in folder: String, repeats: Int = 30) throws -> String {
    let path = folder + "/corpus.txt"
    try String(repeating: "To be, or not to be: that is the question.\n", count: repeats)
        .write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

let smallModel = [
    "--embedding", "8", "--hidden", "16", "--batch-size", "4", "--seq-length", "16", "--seed", "1",
]

@Suite("charrnn train and eval")
struct TrainEvalCommandTests {
    @Test("train writes the best checkpoint, its state and metrics; eval --json scores it; resume continues")
    func trainEvalResume() throws {
        let folder = try temporaryFolder()
        let corpus = try corpusFile(in: folder)
        let out = folder + "/m.safetensors"
        let first = try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "2"] + smallModel)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("epoch 2/2"))
        for file in [out, folder + "/m.state", folder + "/m.metrics.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
        }
        let eval = try charrnn(["eval", "--checkpoint", out, "--text", corpus, "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Double]
        #expect(json["chars"] == Double(43 * 30 - 1))
        let nats = try #require(json["nats_per_char"])
        #expect(nats > 0 && nats < 4)
        #expect(abs(json["perplexity"]! - exp(nats)) < 1e-6 * exp(nats))
        #expect(abs(json["bits_per_char"]! - nats / log(2)) < 1e-9)

        // Starting afresh over an existing run is refused; --resume continues to epoch 3.
        let again = try charrnn(["train", "--corpus", corpus, "--out", out] + smallModel)
        expectOneLineFailure(again, mentioning: "--resume")
        let resumed = try charrnn(["train", "--corpus", corpus, "--out", out, "--resume", "--epochs", "3"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("epoch 3/3") && !resumed.stderr.contains("epoch 2/3"))
        let plot = try charrnn(["plot", out, "--svg", folder + "/curve.svg"])
        #expect(plot.status == 0 && plot.stdout.contains("best validation"), "\(plot.stderr)")
        #expect(try String(contentsOfFile: folder + "/curve.svg", encoding: .utf8).hasPrefix("<svg"))
    }

    @Test("Bad corpora are refused with one line naming the problem")
    func badCorpora() throws {
        let folder = try temporaryFolder()
        let out = folder + "/m.safetensors"
        func train(_ corpus: String, _ extra: [String] = []) throws -> Run {
            try charrnn(["train", "--corpus", corpus, "--out", out] + smallModel + extra)
        }
        expectOneLineFailure(try train(folder + "/missing.txt"), mentioning: "cannot open")
        _ = FileManager.default.createFile(atPath: folder + "/empty.txt", contents: Data())
        expectOneLineFailure(try train(folder + "/empty.txt"), mentioning: "empty")
        _ = FileManager.default.createFile(atPath: folder + "/bad.txt", contents: Data([0x61, 0x62, 0xFF, 0x63]))
        expectOneLineFailure(try train(folder + "/bad.txt"), mentioning: "invalid UTF-8 at byte offset 2")
        let short = try corpusFile(in: folder, repeats: 1)
        expectOneLineFailure(try train(short), mentioning: "fewer than one batch")
        expectOneLineFailure(try train(folder), mentioning: "not a regular file")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("Bad flags are refused before any work, without a crash")
    func badFlags() throws {
        let folder = try temporaryFolder()
        let corpus = try corpusFile(in: folder)
        for flags in [["--hidden", "0"], ["--lr", "-1"], ["--val-fraction", "1.5"], ["--cell", "rnn"], ["--dropout", "1"]] {
            let run = try charrnn(["train", "--corpus", corpus, "--out", folder + "/m.safetensors"] + flags)
            #expect(run.status != 0, "\(flags)")
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.isEmpty, "\(flags): \(run.stderr)")
        }
        // The engine's TrainingSettings and ModelConfig word the refusals; negative numbers reach them.
        for (flags, message) in [
            (["--epochs", "0"], "epochs must be positive, got 0"),
            (["--batch-size", "-2"], "batch size must be positive, got -2"),
            (["--seq-length", "0"], "sequence length must be positive, got 0"),
            (["--lr", "-1"], "learning rate must be positive, got -1.0"), (["--lr", "inf"], "learning rate"),
            (["--clip", "-0.5"], "clip must be ≥ 0, got -0.5"),
            (["--val-fraction", "1.5"], "validation fraction must be in (0, 1), got 1.5"),
            (["--hidden", "0"], "hidden size must be positive, got 0"), (["--dropout", "1"], "dropout must be in [0, 1)"),
        ] {
            expectOneLineFailure(
                try charrnn(["train", "--corpus", corpus, "--out", folder + "/m.safetensors"] + flags),
                mentioning: message)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/m.safetensors"))
        let resume = try charrnn(["train", "--corpus", corpus, "--out", folder + "/none.safetensors", "--resume"])
        expectOneLineFailure(resume, mentioning: "no training state")
    }

    @Test("eval --held-out on the corpus scores the tail train held out: the same figure as its validation")
    func evalHeldOutTailEqualsValidation() throws {
        let folder = try temporaryFolder()
        let corpus = try corpusFile(in: folder)
        let out = folder + "/m.safetensors"
        let train = try charrnn(
            ["train", "--corpus", corpus, "--out", out, "--epochs", "1", "--val-fraction", "0.2"] + smallModel)
        #expect(train.status == 0, "\(train.stderr)")
        let metadata = try Checkpoint.load(path: out).metadata
        let eval = try charrnn(["eval", "--checkpoint", out, "--text", corpus, "--held-out", "0.2", "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Double]
        let n = 43 * 30
        #expect(json["chars"] == Double(n - Int(0.8 * Double(n)) - 1))
        #expect(json["chars"] == Double(try #require(metadata["val_characters"].flatMap(Int.init))))
        let validation = try #require(metadata["val_nats_per_char"].flatMap(Double.init))
        #expect(abs(json["nats_per_char"]! - validation) < 1e-5)
        for bad in ["0", "1", "-0.5", "nan"] {
            let run = try charrnn(["eval", "--checkpoint", out, "--text", corpus, "--held-out=\(bad)"])
            #expect(run.status != 0 && run.stderr.contains("held-out"), "\(bad): \(run.stderr)")
        }
    }

    @Test("eval refuses unknown characters when the vocabulary has no [UNK]")
    func evalUnknownCharacters() throws {
        let folder = try temporaryFolder()
        let corpus = try corpusFile(in: folder)
        let out = folder + "/m.safetensors"
        #expect(try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1"] + smallModel).status == 0)
        let text = folder + "/other.txt"
        try "Zebra ☃".write(toFile: text, atomically: true, encoding: .utf8)
        expectOneLineFailure(try charrnn(["eval", "--checkpoint", out, "--text", text]), mentioning: "outside the vocabulary")
        expectOneLineFailure(try charrnn(["eval", "--checkpoint", corpus, "--text", corpus]), mentioning: corpus)
    }
}

@Suite("charrnn train, interrupted")
struct TrainInterruptTests {
    @Test("Ctrl-C saves the training state and exits 130; --resume picks it up")
    func interruptSavesState() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder)
        let out = folder + "/m.safetensors"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try charrnnBinary())
        process.arguments = ["train", "--corpus", corpus, "--out", out, "--epochs", "100000"] + smallModel
        let errPath = folder + "/stderr"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait (at most 60 s) for the first epoch to finish, then interrupt mid-run.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: out) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.interrupt()
        process.waitUntilExit()
        let stderr = try String(contentsOfFile: errPath, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted: state saved"))
        #expect(!stderr.contains("Fatal error"))
        let resumed = try charrnn(["train", "--corpus", corpus, "--out", out, "--resume", "--epochs", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming"))
        #expect(try Checkpoint.load(path: out).metadata["epoch"] != nil)
    }
}
