#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole-file reads and atomic writes, with one-line errors that name the file (its control
/// characters escaped). Only regular files are read or appended to; writes never go through a
/// symbolic link.
public enum FileIO {
    /// Reads a regular file whole. It is opened without blocking, so a FIFO or a device is
    /// refused ("not a regular file") instead of waiting forever for a writer. Without
    /// `followingLinks`, a symbolic link is refused too.
    public static func readAll(path: String, followingLinks: Bool = true) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw error(path, "cannot open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw error(path, "cannot stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw notRegular(path) }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error(path, "cannot read")
            }
            if n == 0 { break }
            done += n
        }
        if done < bytes.count { bytes.removeLast(bytes.count - done) }
        return bytes
    }

    /// Writes `chunks` to a new temporary file in the same folder, fsyncs it and renames it over
    /// `path`: a crash or kill at any moment leaves either the old file or the new one. A symbolic
    /// link at `path` is replaced, its target left alone. Temporaries left by killed writers of
    /// the same `path` are removed first.
    public static func writeAtomically(path: String, chunks: [UnsafeRawBufferPointer]) throws {
        removeStaleTemporaries(of: path)
        let (fd, temporary) = try createTemporary(beside: path)
        var ok = false
        defer {
            if !ok {
                close(fd)
                unlink(temporary)
            }
        }
        for chunk in chunks where !writeAll(fd: fd, bytes: chunk) {
            throw error(path, "cannot write")
        }
        guard fsync(fd) == 0 else { throw error(path, "cannot sync") }
        ok = true
        close(fd)
        guard rename(temporary, path) == 0 else {
            let e = error(path, "cannot replace")
            unlink(temporary)
            throw e
        }
        // Make the rename itself durable.
        let dfd = open(folder(of: path), O_RDONLY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    public static func writeAtomically(path: String, bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAtomically(path: path, chunks: [$0]) }
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether anything is at `path`, a dangling symbolic link included.
    public static func isPresent(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Writes every byte to `fd`, going on after partial writes and interrupted calls (EINTR).
    /// False when the descriptor refuses more (closed pipe, full disk, or a write of 0 bytes).
    @discardableResult
    public static func writeAll(fd: Int32, bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    @discardableResult
    public static func writeAll(fd: Int32, bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd: fd, bytes: $0) }
    }

    /// "PATH: what (reason from errno)", the path printable.
    static func error(_ path: String, _ what: String) -> CharRNNError {
        let reason = errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))
        return CharRNNError("\(PrintableText.escaped(path)): \(what) (\(reason))")
    }

    static func notRegular(_ path: String) -> CharRNNError {
        CharRNNError("\(PrintableText.escaped(path)): not a regular file")
    }

    /// The folder holding `path` ("." for a bare name, "/" at the root).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension FileIO {
    /// Appends one line (a newline is added) to a regular file, creating it if needed, never
    /// through a symbolic link. A write cut short (full disk) is taken back, so the file only
    /// ever holds whole lines.
    public static func append(path: String, line: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw error(path, "cannot open for appending") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw notRegular(path) }
        guard writeAll(fd: fd, bytes: Array((line + "\n").utf8)) else {
            let e = error(path, "cannot append")
            ftruncate(fd, st.st_size)
            throw e
        }
    }

    public static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw error(path, "cannot remove") }
    }
}

extension FileIO {
    /// Refuses, with one line, a `path` that `writeAtomically` could not replace: an empty name
    /// or one naming a folder, a missing folder, or a folder where a temporary file of its name
    /// cannot be created (read-only, no permission, name too long). Nothing is left behind.
    public static func checkReplaceable(_ path: String) throws {
        let printable = PrintableText.escaped(path)
        var st = stat()
        guard !path.isEmpty, !path.hasSuffix("/"), lstat(path, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR else {
            throw CharRNNError("\(printable): is a folder, not a file")
        }
        let folder = folder(of: path)
        guard stat(folder, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw CharRNNError("\(printable): the folder \(PrintableText.escaped(folder)) does not exist")
        }
        let (fd, temporary) = try createTemporary(beside: path)
        close(fd)
        unlink(temporary)
    }

    /// Whether two paths name the same file (same device and inode, links followed): a hard
    /// link, a symbolic link or another spelling of one path. False when either is missing.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Creates `PATH.tmp-PID-RANDOM` (16 hex digits: no other user can guess it) exclusively and
    /// never through a symbolic link, trying another name if one is taken.
    static func createTemporary(beside path: String) throws -> (fd: Int32, path: String) {
        for _ in 0..<8 {
            let random = String(UInt64.random(in: .min ... .max) | 1 << 63, radix: 16)
            let name = "\(path).tmp-\(getpid())-\(random)"
            let fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, name) }
            guard errno == EEXIST else { break }
        }
        throw error(path, "cannot create a file in its folder")
    }

    /// Removes `PATH.tmp-PID` and `PATH.tmp-PID-RANDOM` entries whose writer PID no longer
    /// exists (killed mid-write). Only names of exactly that pattern; a link is removed, never
    /// followed; a folder is left alone.
    static func removeStaleTemporaries(of path: String) {
        let folder = folder(of: path)
        let base = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        let prefix = base + ".tmp-"
        guard !base.isEmpty, let dir = opendir(folder) else { return }
        var stale: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(prefix), let pid = writer(ofTemporarySuffix: name.dropFirst(prefix.count)),
                pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            stale.append(folder + "/" + name)
        }
        closedir(dir)
        var st = stat()
        for name in stale where lstat(name, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
            unlink(name)
        }
    }

    /// The writer's pid in "PID" or "PID-RANDOM" (16 hex digits), nil for any other suffix.
    static func writer(ofTemporarySuffix suffix: Substring) -> pid_t? {
        let parts = suffix.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let pid = pid_t(parts[0]), pid > 0 else { return nil }
        if parts.count == 2 {
            guard parts[1].count == 16, parts[1].allSatisfy(\.isHexDigit), parts[1] == parts[1].lowercased() else {
                return nil
            }
        }
        return pid
    }
}
