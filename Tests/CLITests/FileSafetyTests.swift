import CharRNN
import Foundation
import Testing

private func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

private func isSymbolicLink(_ path: String) -> Bool {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
}

@Suite("charrnn and unsafe files")
struct FileSafetyTests {
    @Test("a FIFO as --corpus, --text or --checkpoint is refused at once: info, eval, generate, play, train")
    func fifos() throws {
        let folder = try temporaryFolder()
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let checkpoint = CharRNNBinary.fixture("tiny-gru.safetensors")
        let corpus = try longCorpus(in: folder, lines: 2)
        for arguments in [
            ["info", fifo], ["eval", "--checkpoint", fifo, "--text", corpus],
            ["eval", "--checkpoint", checkpoint, "--text", fifo],
            ["generate", "--checkpoint", fifo], ["play", "--checkpoint", fifo],
            ["train", "--corpus", fifo, "--out", folder + "/m.safetensors"],
        ] {
            let run = try Background(arguments, folder: folder)
            #expect(run.finish(seconds: 10), "\(arguments) blocked on a FIFO")
            #expect(run.process.terminationStatus == 1, "\(arguments)")
            #expect(run.stderr == "charrnn: \(fifo): not a regular file\n", "\(arguments)")
        }
    }

    @Test("planted links are replaced or removed, never written through: metrics, temporaries, --out, --svg")
    func links() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder, lines: 30)
        let out = folder + "/m.safetensors"
        let victim = folder + "/victim"
        try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
        let dead = try deadPID()
        let plantedByAlive = out + ".tmp-1", plantedByDead = out + ".tmp-\(dead)"
        for link in [folder + "/m.metrics.jsonl", plantedByAlive, plantedByDead, folder + "/m.state.tmp-\(dead)"] {
            #expect(symlink(victim, link) == 0)
        }
        let first = try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1"] + smallModel)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try contents(victim) == "precious\n")
        for file in [out, folder + "/m.state", folder + "/m.metrics.jsonl"] {
            #expect(!isSymbolicLink(file) && FileManager.default.fileExists(atPath: file), "\(file)")
        }
        #expect(isSymbolicLink(plantedByAlive), "a live writer's name is left alone")
        #expect(!isSymbolicLink(plantedByDead) && !isSymbolicLink(folder + "/m.state.tmp-\(dead)"))

        // --out itself a link to the victim: --force replaces the link, not the victim.
        let linked = folder + "/linked.safetensors"
        #expect(symlink(victim, linked) == 0)
        let forced = try charrnn(
            ["train", "--corpus", corpus, "--out", linked, "--epochs", "1", "--force"] + smallModel)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try contents(victim) == "precious\n")
        #expect(!isSymbolicLink(linked))
        #expect(try Checkpoint.load(path: linked).config.hiddenSize == 16)

        let svg = folder + "/curve.svg"
        #expect(symlink(victim, svg) == 0)
        let plot = try charrnn(["plot", out, "--svg", svg])
        #expect(plot.status == 0, "\(plot.stderr)")
        #expect(try contents(victim) == "precious\n")
        #expect(try !isSymbolicLink(svg) && contents(svg).hasPrefix("<svg"))
    }

    @Test("stale temporaries of killed writers are removed by the next training run")
    func staleTemporaries() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder, lines: 30)
        let out = folder + "/m.safetensors"
        let dead = try deadPID()
        let stale = [out + ".tmp-\(dead)", folder + "/m.state.tmp-\(dead)-0123456789abcdef"]
        for path in stale {
            _ = FileManager.default.createFile(atPath: path, contents: Data(count: 200_000))
        }
        let run = try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1"] + smallModel)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder))
                == ["corpus.txt", "m.safetensors", "m.state", "m.metrics.jsonl"])
    }

    @Test("a second trainer on the same --out is refused naming the first; SIGHUP saves the first, which resumes")
    func lockAndHangUp() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder)
        let out = folder + "/m.safetensors"
        let first = try Background(
            ["train", "--corpus", corpus, "--out", out, "--epochs", "100000"] + smallModel, folder: folder)
        first.wait(for: out)
        let second = try charrnn(["train", "--corpus", corpus, "--out", out, "--force"] + smallModel)
        let holder = first.process.processIdentifier
        expectOneLineFailure(second, mentioning: "\(out) is being trained by process \(holder)")
        let resumeWhileRunning = try charrnn(["train", "--corpus", corpus, "--out", out, "--resume"])
        expectOneLineFailure(resumeWhileRunning, mentioning: "is being trained by process")

        #expect(kill(first.process.processIdentifier, SIGHUP) == 0)
        #expect(first.finish())
        #expect(first.process.terminationStatus == 130, "\(first.stderr)")
        #expect(first.stderr.contains("interrupted: state saved"), "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/m.lock"))
        let resumed = try charrnn(["train", "--corpus", corpus, "--out", out, "--resume", "--epochs", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming"))
    }

    @Test("under nohup (SIGHUP ignored) training goes on after a hang-up; SIGTERM still saves")
    func nohupKeepsRunning() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder)
        let out = folder + "/m.safetensors"
        let run = try Background(
            ["-c", "trap '' HUP && exec \"$0\" \"$@\"", try charrnnBinary(), "train", "--corpus", corpus, "--out", out,
             "--epochs", "100000"] + smallModel, folder: folder, executable: "/bin/sh")
        run.wait(for: out)
        #expect(kill(run.process.processIdentifier, SIGHUP) == 0)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(run.process.isRunning, "\(run.stderr)")
        #expect(kill(run.process.processIdentifier, SIGTERM) == 0)
        #expect(run.finish())
        #expect(run.process.terminationStatus == 130, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted: state saved"))
    }

    @Test("resume drops a half line and the records past the saved step; plot skips a corrupt line with a warning")
    func metricsRepaired() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder, lines: 30)
        let out = folder + "/m.safetensors", metrics = folder + "/m.metrics.jsonl"
        #expect(try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1"] + smallModel).status == 0)
        let saved = try #require(Int(try Checkpoint.load(path: out).metadata["step"] ?? ""))
        let handle = try #require(FileHandle(forWritingAtPath: metrics))
        handle.seekToEndOfFile()
        let pastAndHalf = "{\"step\": \(saved + 7), \"epoch\": 2, \"train_loss\": 99.0}\n{\"step\": \(saved + 9), \"ep"
        handle.write(Data(pastAndHalf.utf8))
        try handle.close()

        let plot = try charrnn(["plot", out])
        #expect(plot.status == 0 && plot.stdout.contains("best validation"), "\(plot.stderr)")
        let lineCount = try contents(metrics).split(separator: "\n").count
        #expect(plot.stderr == "charrnn: warning: \(metrics): skipped line \(lineCount): not a metrics record\n")

        let resumed = try charrnn(["train", "--corpus", corpus, "--out", out, "--resume", "--epochs", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let text = try contents(metrics)
        #expect(text.hasSuffix("\n") && !text.contains("99.0"))
        let steps = try text.split(separator: "\n").map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["step"] as? Int)
        }
        #expect(steps == steps.sorted() && steps.filter { $0 == saved }.count == 1, "\(steps)")
        let replot = try charrnn(["plot", out])
        #expect(replot.status == 0 && replot.stderr.isEmpty, "\(replot.stderr)")
    }

    @Test("a full disk during a metrics write leaves only whole lines (a file-size limit stands in for the disk)")
    func fullDiskWholeLines() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder, lines: 1_500)
        let out = folder + "/m.safetensors", metrics = folder + "/m.metrics.jsonl"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // 1 block (512 or 1,024 bytes): the metrics reach it in the first epoch, before any checkpoint.
        process.arguments = [
            "-c", "ulimit -f 1 && trap '' XFSZ && exec \"$0\" \"$@\" 2>\"$OUT_ERR\"", try charrnnBinary(), "train",
            "--corpus", corpus, "--out", out,
        ] + smallModel
        process.environment = ["OUT_ERR": folder + "/stderr"]
        try process.run()
        process.waitUntilExit()
        let stderr = try contents(folder + "/stderr")
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr.hasSuffix("\ncharrnn: \(metrics): cannot append (File too large)\n"), "\(stderr)")
        let text = try contents(metrics)
        #expect(text.count > 400 && text.hasSuffix("\n"))
        for line in text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)")
        }
    }

    @Test("bad outputs are refused before the first step, in one line: train --out and plot --svg")
    func outputsCheckedFirst() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder, lines: 30)
        let before = try contents(corpus)
        func train(_ out: String, corpus: String = corpus) throws -> Run {
            try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1"] + smallModel)
        }
        expectOneLineFailure(
            try train(folder + "/missing/m.safetensors"), mentioning: "the folder \(folder)/missing does not exist")
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        expectOneLineFailure(try train(folder + "/sub"), mentioning: "\(folder)/sub: is a folder, not a file")
        expectOneLineFailure(try train(folder + "/new/"), mentioning: "is a folder, not a file")
        expectOneLineFailure(
            try train(folder + "/" + String(repeating: "m", count: 240) + ".safetensors"),
            mentioning: "cannot create a file in its folder (File name too long)")
        #expect(link(corpus, folder + "/hard.safetensors") == 0)
        #expect(symlink(corpus, folder + "/soft.safetensors") == 0)
        for out in [corpus, folder + "/./corpus.txt", folder + "/hard.safetensors", folder + "/soft.safetensors"] {
            expectOneLineFailure(try train(out, corpus: folder + "/corpus.txt"), mentioning: "is the corpus")
        }
        // The run's other files count too: a corpus named like the state beside --out.
        try before.write(toFile: folder + "/m.state", atomically: false, encoding: .utf8)
        expectOneLineFailure(
            try train(folder + "/m.safetensors", corpus: folder + "/m.state"),
            mentioning: "\(folder)/m.state is the corpus \(folder)/m.state")
        #expect(try contents(corpus) == before)

        // An unwritable folder: a read-only mode, or for root (who ignores modes) the immutable attribute.
        let locked = folder + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        let immutable = getuid() == 0 && Self.shell("chattr +i '\(locked)' 2>/dev/null")
        if getuid() != 0 { chmod(locked, 0o555) }
        if getuid() != 0 || immutable {
            let run = try train(locked + "/m.safetensors")
            expectOneLineFailure(run, mentioning: "\(locked)/m.safetensors: cannot create a file in its folder")
        }
        if immutable { _ = Self.shell("chattr -i '\(locked)'") }

        let out = folder + "/m.safetensors"
        try FileManager.default.removeItem(atPath: folder + "/m.state")
        #expect(try train(out).status == 0)
        let metrics = folder + "/m.metrics.jsonl"
        let recorded = try contents(metrics)
        for (svg, problem) in [
            (folder + "/missing/c.svg", "the folder \(folder)/missing does not exist"),
            (folder + "/sub", "is a folder, not a file"), (metrics, "is the metrics file"),
        ] {
            expectOneLineFailure(try charrnn(["plot", out, "--svg", svg]), mentioning: problem)
        }
        #expect(try contents(metrics) == recorded)
    }

    @Test("control characters in paths are escaped in errors and messages: no raw escape sequence, one line")
    func escapedPaths() throws {
        let folder = try temporaryFolder()
        let hostile = folder + "/\u{1B}[31mred\nline.safetensors"
        let escaped = folder + "/\\u{1B}[31mred\\nline."
        for arguments in [["info", hostile], ["eval", "--checkpoint", hostile, "--text", hostile], ["plot", hostile]] {
            let run = try charrnn(arguments)
            expectOneLineFailure(run, mentioning: escaped)
            #expect(!run.stderr.contains("\u{1B}"), "\(arguments)")
        }
        let corpus = try longCorpus(in: folder, lines: 30)
        let run = try charrnn(["train", "--corpus", corpus, "--out", folder + "/\u{1B}[31mnew\n/m.safetensors"])
        expectOneLineFailure(run, mentioning: "the folder \(folder)/\\u{1B}[31mnew\\n does not exist")
    }

    private static func shell(_ command: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// A pid that no process has: that of a child that has exited.
private func deadPID() throws -> pid_t {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    return child.processIdentifier
}
