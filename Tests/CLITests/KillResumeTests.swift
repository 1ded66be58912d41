import CharRNN
import Foundation
import Testing

/// Issue 14: a trainer killed with SIGKILL at any moment (mid-step, mid-validation, mid-write)
/// leaves a checkpoint that loads and a state that resumes, and the run then finishes.
@Suite("train killed at random moments")
struct KillResumeTests {
    @Test("12 SIGKILLs at seeded random moments: --out always loads, --resume always goes on, the run finishes")
    func killedAtRandom() throws {
        let folder = try temporaryFolder()
        let corpus = try longCorpus(in: folder)  // about 0.2 s an epoch
        let out = folder + "/m.safetensors", state = folder + "/m.state"
        // More epochs than the kills leave time for; the last resume asks for one more than done.
        let train = ["train", "--corpus", corpus, "--out", out] + smallModel
        let endless = train + ["--epochs", "100000"]
        var rng = RandomGenerator(seed: 14)
        var resumes = 0
        for kill in 0..<12 {
            let resuming = FileManager.default.fileExists(atPath: state)
            if resuming { resumes += 1 }
            let run = try Background(endless + (resuming ? ["--resume"] : ["--force"]), folder: folder)
            // Between 20 ms and 1 s: at first often before the first save, later anywhere in an epoch.
            Thread.sleep(forTimeInterval: 0.02 + Double(rng.nextInt(below: 980)) / 1000)
            guard run.process.isRunning else {
                Issue.record("kill \(kill): the run ended before it was killed: \(run.stderr)")
                break
            }
            #expect(Glibc.kill(run.process.processIdentifier, SIGKILL) == 0)
            run.process.waitUntilExit()
            if FileManager.default.fileExists(atPath: out) {
                #expect(throws: Never.self, "kill \(kill): --out must load") { try Checkpoint.load(path: out) }
            }
        }
        #expect(resumes >= 6, "most kills should find a state to resume")
        let saved = try SafetensorsFile.read(path: state).metadata["state.completed_epochs"]
        let done = try #require(saved.flatMap { Int($0) })
        let finished = try charrnn(train + ["--resume", "--epochs", String(done + 1)])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.contains("done: best validation"), "\(finished.stderr)")
        #expect(throws: Never.self) { try Checkpoint.load(path: out) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "stale temporaries left: \(leftovers)")
    }
}
