import Testing

@testable import charrnn

@Suite("The command line a checkpoint records")
struct RunCommandLineTests {
    @Test("Paths under the current folder become relative, others their file name; relative ones stay")
    func relative() {
        #expect(RunCommandLine.relative("/home/ann/runs/m.safetensors", to: "/home/ann") == "runs/m.safetensors")
        #expect(RunCommandLine.relative("/data/corpus.txt", to: "/home/ann") == "corpus.txt")
        #expect(RunCommandLine.relative("texts/corpus.txt", to: "/home/ann") == "texts/corpus.txt")
        #expect(RunCommandLine.relative("/home/annex/c.txt", to: "/home/ann") == "c.txt")
    }

    @Test("Only path flags' values are rewritten, in both spellings, and the program is `charrnn`")
    func display() {
        let arguments = [
            "/opt/bin/charrnn", "train", "--corpus", "/home/ann/c.txt", "--out=/srv/m.safetensors", "--init-from",
            "/home/ann/a/b.safetensors", "--lr", "/home/ann/x",
        ]
        #expect(
            RunCommandLine.display(arguments, currentFolder: "/home/ann")
                == "charrnn train --corpus c.txt --out=m.safetensors --init-from a/b.safetensors --lr /home/ann/x")
    }
}
