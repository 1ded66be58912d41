#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole-file reads and atomic writes, with one-line errors that name the file.
public enum FileIO {
    public static func readAll(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw error(path, "cannot open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw error(path, "cannot stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw CharRNNError("\(path): not a regular file")
        }
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

    /// Writes `chunks` to a temporary file in the same folder, fsyncs it and renames it over
    /// `path`: a crash or kill at any moment leaves either the old file or the new one.
    public static func writeAtomically(path: String, chunks: [UnsafeRawBufferPointer]) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw error(path, "cannot create \(temporary)") }
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
            let e = error(path, "cannot rename \(temporary) to it")
            unlink(temporary)
            throw e
        }
        // Make the rename itself durable.
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let dfd = open(folder.isEmpty ? "/" : folder, O_RDONLY)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    public static func writeAtomically(path: String, bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAtomically(path: path, chunks: [$0]) }
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

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

    private static func error(_ path: String, _ what: String) -> CharRNNError {
        CharRNNError("\(path): \(what) (\(String(cString: strerror(errno))))")
    }
}

extension FileIO {
    /// Appends one line (a newline is added) to a text file, creating it if needed.
    public static func append(path: String, line: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else {
            throw CharRNNError("\(path): cannot open for appending (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        guard writeAll(fd: fd, bytes: Array((line + "\n").utf8)) else {
            throw CharRNNError("\(path): cannot append (\(String(cString: strerror(errno))))")
        }
    }
}

extension FileIO {
    public static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw CharRNNError("\(path): cannot remove (\(String(cString: strerror(errno))))")
        }
    }
}
