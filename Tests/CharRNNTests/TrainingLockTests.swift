import CharRNN
import Foundation
import Testing

@Suite("Training lock")
struct TrainingLockTests {
    @Test("a second lock on the same run is refused naming the holder's pid; released, it can be taken again")
    func secondRefused() throws {
        let paths = TrainingPaths(checkpoint: temporaryDirectory() + "/m.safetensors")
        var first: TrainingLock? = try TrainingLock(paths: paths)
        #expect(try String(contentsOfFile: paths.lock, encoding: .utf8) == "\(getpid())\n")
        #expect(throws: CharRNNError("\(paths.checkpoint) is being trained by process \(getpid())")) {
            try TrainingLock(paths: paths)
        }
        withExtendedLifetime(first) {}
        first = nil
        #expect(!FileManager.default.fileExists(atPath: paths.lock))
        _ = try TrainingLock(paths: paths)
    }

    @Test("a lock file left by a killed trainer does not stop the next; a symbolic link there is refused")
    func leftoverAndLink() throws {
        let folder = temporaryDirectory()
        let paths = TrainingPaths(checkpoint: folder + "/m.safetensors")
        try "12345\n".write(toFile: paths.lock, atomically: false, encoding: .utf8)
        _ = try TrainingLock(paths: paths)
        let victim = folder + "/victim"
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        #expect(symlink(victim, paths.lock) == 0)
        #expect(throws: CharRNNError("\(paths.lock): cannot open the run's lock (it is a symbolic link)")) {
            try TrainingLock(paths: paths)
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
    }

    @Test("the run's files are checked before training: the corpus under any name is refused")
    func outputsChecked() throws {
        let folder = temporaryDirectory()
        let corpus = folder + "/corpus.txt"
        try "text".write(toFile: corpus, atomically: false, encoding: .utf8)
        try TrainingPaths(checkpoint: folder + "/m.safetensors").checkWritable(corpus: corpus)
        #expect(link(corpus, folder + "/hard.safetensors") == 0)
        #expect(symlink(corpus, folder + "/soft.state") == 0)
        for out in [corpus, folder + "/./corpus.txt", folder + "/hard.safetensors", folder + "/soft.safetensors"] {
            let error = #expect(throws: CharRNNError.self) {
                try TrainingPaths(checkpoint: out).checkWritable(corpus: corpus)
            }
            #expect(error?.message.contains("is the corpus \(corpus): writing it would destroy the corpus") == true)
        }
        #expect(try String(contentsOfFile: corpus, encoding: .utf8) == "text")
    }
}
