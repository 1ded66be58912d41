#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One trainer per run: an exclusive `flock` on the run's lock file (never through a symbolic
/// link), held while this object lives and released by the kernel if the process dies. The file
/// holds the holder's pid, so a second trainer is refused with one line naming it.
public final class TrainingLock {
    private let fd: Int32
    private let path: String

    public init(paths: TrainingPaths) throws {
        path = paths.lock
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FileIO.error(path, "cannot open the run's lock") }
            var held = stat(), now = stat()
            guard fstat(fd, &held) == 0, (held.st_mode & S_IFMT) == S_IFREG else {
                close(fd)
                throw FileIO.notRegular(path)
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let e =
                    errno == EWOULDBLOCK
                    ? Self.refusal(paths, holder: Self.pid(in: fd)) : FileIO.error(path, "cannot lock")
                close(fd)
                throw e
            }
            // A holder that just finished removed the file we opened: lock the one at the path now.
            guard lstat(path, &now) == 0, now.st_dev == held.st_dev, now.st_ino == held.st_ino else {
                close(fd)
                continue
            }
            let pid = Array("\(getpid())\n".utf8)
            ftruncate(fd, 0)
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
            self.fd = fd
            return
        }
    }

    deinit {
        // Only our own file: never one that replaced it at the path.
        var held = stat(), now = stat()
        if fstat(fd, &held) == 0, lstat(path, &now) == 0, now.st_dev == held.st_dev, now.st_ino == held.st_ino {
            unlink(path)
        }
        close(fd)
    }

    private static func pid(in fd: Int32) -> Int? {
        var bytes = [UInt8](repeating: 0, count: 24)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        return n > 0 ? Int(String(decoding: bytes[..<n], as: UTF8.self).split(separator: "\n").first ?? "") : nil
    }

    private static func refusal(_ paths: TrainingPaths, holder: Int?) -> CharRNNError {
        let who = holder.map { "process \($0)" } ?? "another process"
        return CharRNNError("\(PrintableText.escaped(paths.checkpoint)) is being trained by \(who)")
    }
}
