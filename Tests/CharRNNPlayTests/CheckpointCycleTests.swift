import Testing

@testable import CharRNNPlay

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Checkpoint cycling")
struct CheckpointCycleTests {
    let files = ["ck/a.safetensors", "ck/b.safetensors", "ck/c.safetensors"]

    @Test("Tab goes forward and wraps; Shift-Tab goes back")
    func cycling() {
        var c = CheckpointCycle(folder: "ck", current: "ck/b.safetensors")
        #expect(c.advance(forward: true, files: files) == "ck/c.safetensors")
        c.loaded("ck/c.safetensors")
        #expect(c.advance(forward: true, files: files) == "ck/a.safetensors")
        c.loaded("ck/a.safetensors")
        #expect(c.advance(forward: false, files: files) == "ck/c.safetensors")
    }

    @Test("a file that failed to load is passed over by the next press; the current one stays")
    func failedLoad() {
        var c = CheckpointCycle(folder: "ck", current: "ck/a.safetensors")
        #expect(c.advance(forward: true, files: files) == "ck/b.safetensors")  // fails: not loaded
        #expect(c.current == "ck/a.safetensors")
        #expect(c.advance(forward: true, files: files) == "ck/c.safetensors")
    }

    @Test("nothing to switch to when the folder holds only the current checkpoint")
    func alone() {
        var c = CheckpointCycle(folder: "ck", current: "ck/a.safetensors")
        #expect(c.advance(forward: true, files: ["ck/a.safetensors"]) == nil)
        #expect(c.advance(forward: true, files: []) == nil)
    }

    @Test("a current checkpoint from another folder starts the cycle by name")
    func elsewhere() {
        var c = CheckpointCycle(folder: "ck", current: "other/b.safetensors")
        #expect(c.advance(forward: true, files: files) == "ck/c.safetensors")
        var d = CheckpointCycle(folder: "ck", current: "other/b.safetensors")
        #expect(d.advance(forward: false, files: files) == "ck/a.safetensors")
    }

    @Test("the starting checkpoint stays in the cycle when the folder is elsewhere")
    func startingCheckpointStays() {
        var c = CheckpointCycle(folder: "ck", current: "shipped/m.safetensors")
        let two = ["ck/a.safetensors", "ck/b.safetensors"]
        #expect(c.advance(forward: true, files: two) == "ck/a.safetensors")
        c.loaded("ck/a.safetensors")
        #expect(c.advance(forward: true, files: two) == "ck/b.safetensors")
        c.loaded("ck/b.safetensors")
        #expect(c.advance(forward: true, files: two) == "shipped/m.safetensors")
        c.loaded("shipped/m.safetensors")
        #expect(c.advance(forward: false, files: []) == nil, "nothing else to go to")
        var d = CheckpointCycle(folder: "empty", current: "shipped/m.safetensors")
        #expect(d.advance(forward: true, files: []) == nil)
        d.loaded("shipped/m.safetensors")
    }

    @Test("names and folders of paths")
    func names() {
        #expect(CheckpointCycle.displayName("checkpoints/shakespeare-gru512.safetensors") == "shakespeare-gru512")
        #expect(CheckpointCycle.folder(of: "checkpoints/x.safetensors") == "checkpoints")
        #expect(CheckpointCycle.folder(of: "x.safetensors") == ".")
        #expect(CheckpointCycle.folder(of: "/x.safetensors") == "/")
        #expect(CheckpointCycle.same("./ck//a.safetensors", "ck/a.safetensors"))
    }

    @Test("listing a folder finds only .safetensors files, sorted")
    func listing() throws {
        var template = Array("/tmp/charrnn-play-XXXXXX".utf8CString)
        let folder = try #require(
            template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        defer {
            for name in ["b.safetensors", "a.safetensors", "notes.txt", ".hidden.safetensors"] {
                unlink(folder + "/" + name)
            }
            rmdir(folder + "/dir.safetensors")
            rmdir(folder)
        }
        for name in ["b.safetensors", "a.safetensors", "notes.txt", ".hidden.safetensors"] {
            let f = fopen(folder + "/" + name, "w")
            fclose(f)
        }
        mkdir(folder + "/dir.safetensors", 0o755)
        #expect(CheckpointCycle.list(folder: folder) == [folder + "/a.safetensors", folder + "/b.safetensors"])
        #expect(CheckpointCycle.list(folder: folder + "/missing") == [])
    }
}
