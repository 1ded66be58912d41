import CharRNN
import Foundation
import Testing

/// `train --resume`, `--init-from`, `--val-fraction 0`, `--sample-every`, and what `info`,
/// `eval` and a checkpoint's metadata say about a run.
@Suite("charrnn train: resume, init-from, samples, metadata")
struct TrainRunTests {
    /// A one-epoch run in `folder`, named by relative paths from it.
    func trainedRun(_ extra: [String] = []) throws -> (folder: String, corpus: String, out: String) {
        let folder = try temporaryFolder()
        let corpus = try trainingCorpus(in: folder)
        let run = try charrnn(
            ["train", "--corpus", corpus, "--out", folder + "/m.safetensors", "--epochs", "1"] + smallModel + extra)
        #expect(run.status == 0, "\(run.stderr)")
        return (folder, corpus, folder + "/m.safetensors")
    }

    @Test("--resume needs no --corpus and no architecture flags; --epochs and --lr may change, said in the log")
    func resumeFromSavedRun() throws {
        let (folder, _, out) = try trainedRun()
        let resumed = try charrnn(
            ["train", "--out", out, "--resume", "--epochs", "2", "--lr", "0.001"], workingDirectory: "/")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(
            resumed.stderr.contains("resuming GRU 1×16") && resumed.stderr.contains("epoch 2/2"), "\(resumed.stderr)")
        #expect(resumed.stderr.contains("learning rate 0.001 from here on (the saved run's was 0.002)"))
        let state = try SafetensorsFile.read(path: folder + "/m.state")
        #expect(state.metadata["train.lr"] == "0.001")
    }

    @Test(
        "--resume refuses, by name, a flag it cannot honour",
        arguments: [
            (["--hidden", "32"], "--hidden 32 differs from the saved run's 16: a resumed run keeps its architecture"),
            (["--cell", "lstm"], "--cell lstm differs from the saved run's gru"),
            (["--embedding", "4"], "--embedding 4 differs from the saved run's 8"),
            (["--layers", "2"], "--layers 2 differs from the saved run's 1"),
            (
                ["--seq-length", "8"],
                "--seq-length 8 differs from the saved run's 16: a resumed run keeps its settings"
            ),
            (["--batch-size", "2"], "--batch-size 2 differs from the saved run's 4"),
            (["--optimizer", "rmsprop"], "--optimizer rmsprop differs from the saved run's adam"),
            (["--stateful"], "--stateful statefulStreams differs from the saved run's shuffledWindows"),
            (["--lr-schedule", "cosine"], "--lr-schedule cosine to 0.0 differs from the saved run's constant"),
            (["--dropout", "0.5"], "--dropout 0.5 differs from the saved run's 0.0"),
        ])
    func resumeRefusesChanges(flags: [String], message: String) throws {
        let (_, _, out) = try trainedRun()
        expectOneLineFailure(try charrnn(["train", "--out", out, "--resume"] + flags), mentioning: message)
    }

    @Test("Flags equal to the saved run's are accepted on resume; a changed corpus is refused")
    func resumeSameFlagsAndChangedCorpus() throws {
        let (_, corpus, out) = try trainedRun()
        let same = try charrnn(["train", "--corpus", corpus, "--out", out, "--resume", "--epochs", "2"] + smallModel)
        #expect(same.status == 0, "\(same.stderr)")
        try String(repeating: "To be, or not to be: that is the questino.\n", count: 30)
            .write(toFile: corpus, atomically: true, encoding: .utf8)
        expectOneLineFailure(
            try charrnn(["train", "--out", out, "--resume", "--epochs", "3"]),
            mentioning: "the corpus differs from the one this run was trained on")
    }

    @Test("--init-from starts a new run from a checkpoint's weights on a new text")
    func initFrom() throws {
        let (folder, _, out) = try trainedRun()
        let text = folder + "/new.txt"
        try String(repeating: "That is the question: to be or not.\n", count: 30).write(
            toFile: text, atomically: true, encoding: .utf8)
        let fine = folder + "/fine.safetensors"
        let run = try charrnn([
            "train", "--corpus", text, "--out", fine, "--init-from", out, "--epochs", "1", "--batch-size", "4",
            "--seq-length", "16",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stderr.contains("training GRU 1×16, embedding 8") && run.stderr.contains("from \(out)"), "\(run.stderr)"
        )
        let metadata = try Checkpoint.load(path: fine).metadata
        #expect(metadata["init_from"] == "m.safetensors")
        // Differing architecture flags and characters outside the vocabulary are refused.
        expectOneLineFailure(
            try charrnn(["train", "--corpus", text, "--out", fine, "--force", "--init-from", out, "--hidden", "64"]),
            mentioning: "--hidden 64 differs from \(out)'s 16: --init-from keeps its architecture")
        let other = folder + "/other.txt"
        try String(repeating: "Zebra ☃ is here. ", count: 40).write(toFile: other, atomically: true, encoding: .utf8)
        expectOneLineFailure(
            try charrnn(["train", "--corpus", other, "--out", fine, "--force", "--init-from", out]),
            mentioning: "has 2 character(s) outside \(out)'s vocabulary: Z ☃")
        expectOneLineFailure(
            try charrnn(["train", "--corpus", other, "--out", fine, "--resume", "--init-from", out]),
            mentioning: "--init-from starts a new run")
    }

    @Test("--val-fraction 0 trains on everything and keeps the last model")
    func noValidation() throws {
        let folder = try temporaryFolder()
        let corpus = try trainingCorpus(in: folder)
        let out = folder + "/m.safetensors"
        let run = try charrnn(
            ["train", "--corpus", corpus, "--out", out, "--epochs", "2", "--val-fraction", "0"] + smallModel)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("no validation (--val-fraction 0): the latest model is saved"))
        #expect(run.stderr.contains("on 1,290 characters (validation 0)"), "\(run.stderr)")
        #expect(run.stderr.contains("epoch 2/2") && !run.stderr.contains("val "), "\(run.stderr)")
        #expect(run.stderr.contains("done: the last model (no validation) in"))
        #expect(try Checkpoint.load(path: out).metadata["epoch"] == "2")
        let plot = try charrnn(["plot", out])
        #expect(plot.status == 0, "\(plot.stderr)")
    }

    @Test("--sample-every prints samples at T=0.5 and 1.0 and records them; plot ignores the records")
    func samples() throws {
        let (folder, _, out) = try trainedRun(["--sample-every", "1"])
        let metrics = try String(contentsOfFile: folder + "/m.metrics.jsonl", encoding: .utf8)
        let record = try #require(metrics.split(separator: "\n").last)
        let json = try JSONSerialization.jsonObject(with: Data(record.utf8)) as! [String: Any]
        #expect(json["step"] as? Int == 18 && json["epoch"] as? Int == 1)
        #expect((json["sample_t0.5"] as? String)?.unicodeScalars.count == 200)
        #expect((json["sample_t1.0"] as? String)?.unicodeScalars.count == 200)
        let plot = try charrnn(["plot", out])
        #expect(plot.status == 0 && plot.stderr.isEmpty, "\(plot.stderr)")
        // Off by default when stderr is not a terminal.
        let (quietFolder, _, _) = try trainedRun()
        #expect(!(try String(contentsOfFile: quietFolder + "/m.metrics.jsonl", encoding: .utf8)).contains("sample_t"))
    }

    @Test("info on a .state says what run it holds; eval on it points at the .safetensors")
    func stateFiles() throws {
        let (folder, _, _) = try trainedRun()
        let info = try charrnn(["info", folder + "/m.state"])
        #expect(info.status == 0, "\(info.stderr)")
        for line in [
            "format:       charrnn-train-state-v1 (a training state: continue it with train --resume)",
            "run:          1 of 1 epochs done, 0 batches into the next, step 18",
            "settings:     batch 4 × 16 characters, adam, lr 0.002 (constant), clip 5.0, val-fraction 0.1, seed 1, shuffledWindows",
            "corpus:       \(folder)/corpus.txt, 1,290 characters",
        ] {
            #expect(info.stdout.contains(line), "\(info.stdout)")
        }
        expectOneLineFailure(
            try charrnn(["eval", "--checkpoint", folder + "/m.state", "--text", folder + "/corpus.txt"]),
            mentioning:
                "m.state: a training state (for train --resume), not a model: use \(folder)/m.safetensors beside it")
    }

    @Test("The checkpoint records the command without the machine's folders; resumes are listed after it")
    func commandMetadata() throws {
        let folder = try temporaryFolder()
        _ = try trainingCorpus(in: folder)
        let first = try charrnn(
            ["train", "--corpus", folder + "/corpus.txt", "--out=" + folder + "/m.safetensors", "--epochs", "1"]
                + smallModel,
            workingDirectory: folder)
        #expect(first.status == 0, "\(first.stderr)")
        // From elsewhere, a path outside the current folder is shown by its file name.
        let again = try charrnn(
            ["train", "--out", folder + "/m.safetensors", "--resume", "--epochs", "2"],
            workingDirectory: try temporaryFolder())
        #expect(again.status == 0, "\(again.stderr)")
        let metadata = try Checkpoint.load(path: folder + "/m.safetensors").metadata
        #expect(
            metadata["command"]
                == "charrnn train --corpus corpus.txt --out=m.safetensors --epochs 1 "
                + smallModel.joined(separator: " "))
        #expect(metadata["corpus"] == "corpus.txt")
        #expect(metadata["resumed"] == #"["charrnn train --out m.safetensors --resume --epochs 2"]"#)
        #expect(!metadata.values.contains { $0.contains(folder) })
    }

    @Test("Step decay and cosine from the command line: the metrics record each epoch's rate")
    func schedules() throws {
        let (folder, _, _) = try trainedRun(["--epochs", "3", "--lr-decay", "0.5", "--force"])
        let metrics = try String(contentsOfFile: folder + "/m.metrics.jsonl", encoding: .utf8)
        let rates = metrics.split(separator: "\n").filter { $0.contains("val_loss") }.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["lr"] as? Double
        }
        #expect(rates == [0.002, 0.001, 0.0005])
        let corpus = folder + "/corpus.txt"
        let out = folder + "/bad.safetensors"
        for (flags, message) in [
            (["--lr-schedule", "step"], "--lr-schedule step needs --lr-decay FACTOR"),
            (["--lr-decay", "0.5", "--lr-min", "0.001"], "--lr-decay and --lr-decay-every go with step decay"),
            (["--lr-schedule", "linear"], "--lr-schedule must be constant, step or cosine, got linear"),
            (["--lr-decay", "2"], "lr decay must be in (0, 1], got 2.0"),
            (["--lr-schedule", "cosine", "--lr-min", "0.01"], "lr min must be ≥ 0 and below the learning rate"),
            (["--sample-every", "-1"], "--sample-every must be ≥ 0, got -1"),
        ] {
            expectOneLineFailure(try charrnn(["train", "--corpus", corpus, "--out", out] + flags), mentioning: message)
        }
    }
}
