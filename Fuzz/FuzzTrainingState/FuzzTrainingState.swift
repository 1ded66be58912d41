import CharRNN

#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer entry point for the training state that `train --resume` reads: the bytes become a
/// `.state` file on tmpfs, `Trainer.resume` reads it against Fuzz/state-corpus.txt (the text the
/// seed states were trained on) and trains one step. Refusals must be one line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrainingState(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let paths = TrainingPaths(checkpoint: "\(scratch)/charrnn-fuzz-\(getpid()).safetensors")
    defer {
        for path in [paths.state, paths.checkpoint, paths.metrics] { unlink(path) }
    }
    let fd = open(paths.state, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0 && write(fd, data, size) == size, "cannot write \(paths.state)")
    close(fd)
    do {
        let trainer = try Trainer.resume(paths: paths, corpus: { try $0.encodeAll(corpus, what: "state-corpus.txt") })
        var batches = 0
        _ = try trainer.run(shouldStop: {
            batches += 1
            return batches > 1
        })
    } catch let error as CharRNNError {
        precondition(!error.message.contains("\n"), "a refusal of more than one line")
    } catch {
        fatalError("an error that is not a CharRNNError: \(error)")
    }
    return 0
}

/// Where the state and what training writes go: tmpfs where there is one.
let scratch = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"

/// Fuzz/state-corpus.txt, found beside this source file.
let corpus: [Unicode.Scalar] = {
    let path = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
        .joined(separator: "/")) + "/state-corpus.txt"
    return Array(try! UTF8Text.read(path: path))
}()
