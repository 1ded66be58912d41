import CharRNN
import Foundation
import Testing

@Suite("FileIO.writeAll")
struct FileIOTests {
    @Test("writes every byte through a pipe far smaller than the data, in order")
    func throughPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            received = reader.readDataToEndOfFile()
            done.signal()
        }
        #expect(FileIO.writeAll(fd: fds[1], bytes: bytes))
        close(fds[1])
        done.wait()
        #expect(received == Data(bytes))
    }

    @Test("a descriptor that refuses the bytes gives false, not a crash or a loop")
    func refused() {
        #expect(!FileIO.writeAll(fd: -1, bytes: [1, 2, 3]))
        #expect(FileIO.writeAll(fd: -1, bytes: []))
    }
}

/// A pid that no process has: that of a child that has exited.
func deadPID() throws -> pid_t {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    return child.processIdentifier
}

@Suite("FileIO: only regular files, never through a link")
struct FileIOSafetyTests {
    @Test("a FIFO is refused at once, not waited on")
    func fifoRefused() throws {
        let fifo = temporaryDirectory() + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        nonisolated(unsafe) var message: String?
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { _ = try FileIO.readAll(path: fifo) } catch let e as CharRNNError { message = e.message } catch {}
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 5) == .success, "readAll blocked on a FIFO")
        #expect(message == "\(fifo): not a regular file")
        #expect(throws: CharRNNError.self) { try FileIO.append(path: fifo, line: "x") }
    }

    @Test("writeAtomically replaces a symbolic link at the path; its target is untouched")
    func replacesLink() throws {
        let folder = temporaryDirectory()
        let victim = folder + "/victim", path = folder + "/out.safetensors"
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        #expect(symlink(victim, path) == 0)
        try FileIO.writeAtomically(path: path, bytes: Array("model".utf8))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try FileIO.readAll(path: path, followingLinks: false) == Array("model".utf8), "no longer a link")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == ["victim", "out.safetensors"])
    }

    @Test("append refuses a symbolic link, and never writes its target")
    func appendRefusesLink() throws {
        let folder = temporaryDirectory()
        let victim = folder + "/victim", path = folder + "/m.metrics.jsonl"
        try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
        #expect(symlink(victim, path) == 0)
        #expect(throws: CharRNNError("\(path): cannot open for appending (it is a symbolic link)")) {
            try FileIO.append(path: path, line: "{\"step\": 1}")
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    @Test("stale temporaries of the same output whose writer is gone are removed; nothing else is")
    func staleTemporaries() throws {
        let folder = temporaryDirectory()
        let path = folder + "/m.safetensors", victim = folder + "/victim"
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        let dead = try deadPID()
        let stale = ["m.safetensors.tmp-\(dead)", "m.safetensors.tmp-\(dead)-8f3a0c5e9b7d1246"]
        let kept = [
            "m.safetensors.tmp-1", "m.safetensors.tmp-\(getpid())-8f3a0c5e9b7d1246", "m.safetensors.tmp-\(dead)x",
            "m.safetensors.tmp-\(dead)-8F3A0C5E9B7D1246", "other.safetensors.tmp-\(dead)", "victim",
        ]
        for name in stale + kept where name != "victim" {
            try "partial".write(toFile: folder + "/" + name, atomically: false, encoding: .utf8)
        }
        let link = "m.safetensors.tmp-\(dead)-0123456789abcdef"
        #expect(symlink(victim, folder + "/" + link) == 0)
        let blocker = "m.safetensors.tmp-\(dead)-fedcba9876543210"
        try FileManager.default.createDirectory(atPath: folder + "/" + blocker, withIntermediateDirectories: false)
        try FileIO.writeAtomically(path: path, bytes: [1, 2, 3])
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == Set(kept + [blocker, "m.safetensors"]))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
    }

    @Test("checkReplaceable refuses folders, missing folders and names too long, in one line, leaving nothing")
    func checkReplaceable() throws {
        let folder = temporaryDirectory()
        try FileIO.checkReplaceable(folder + "/m.safetensors")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        for (path, message) in [
            (folder, "\(folder): is a folder, not a file"),
            (folder + "/new/", "\(folder)/new/: is a folder, not a file"),
            ("", ": is a folder, not a file"),
            (
                folder + "/missing/m.safetensors",
                "\(folder)/missing/m.safetensors: the folder \(folder)/missing does not exist"
            ),
        ] {
            #expect(throws: CharRNNError(message)) { try FileIO.checkReplaceable(path) }
        }
        let long = folder + "/" + String(repeating: "m", count: 240) + ".safetensors"
        #expect(throws: CharRNNError("\(long): cannot create a file in its folder (File name too long)")) {
            try FileIO.checkReplaceable(long)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("sameFile sees one file through another spelling, a hard link and a symbolic link")
    func sameFile() throws {
        let folder = temporaryDirectory()
        let file = folder + "/corpus.txt"
        try "text".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(link(file, folder + "/hard.txt") == 0)
        #expect(symlink(file, folder + "/soft.txt") == 0)
        for other in [folder + "/./corpus.txt", folder + "//corpus.txt", folder + "/hard.txt", folder + "/soft.txt"] {
            #expect(FileIO.sameFile(other, file), "\(other)")
        }
        try "text".write(toFile: folder + "/copy.txt", atomically: false, encoding: .utf8)
        #expect(!FileIO.sameFile(folder + "/copy.txt", file))
        #expect(!FileIO.sameFile(folder + "/missing.txt", folder + "/missing.txt"))
    }

    @Test("control characters in a path are escaped in errors: no escape sequence, one line")
    func escapedPaths() throws {
        let path = temporaryDirectory() + "/\u{1B}[31mred\nline.txt"
        let error = #expect(throws: CharRNNError.self) { try FileIO.readAll(path: path) }
        let message = try #require(error?.message)
        #expect(message.hasSuffix("/\\u{1B}[31mred\\nline.txt: cannot open (No such file or directory)"), "\(message)")
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(PrintableText.escaped("a\tb\u{7F}c\u{9B}d é") == "a\\tb\\u{7F}c\\u{009B}d é")
    }
}
