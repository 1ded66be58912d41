#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tab / Shift-Tab cycling through the `.safetensors` files of a folder and the checkpoint the
/// session started with (which may live elsewhere), in file-name order.
/// A file that fails to load is remembered as the position, so the next press moves past it
/// while the model in use stays the last one that loaded.
public struct CheckpointCycle: Equatable, Sendable {
    /// The folder listed.
    public let folder: String
    /// The checkpoint the session started with: always in the cycle.
    public let start: String
    /// The checkpoint in use.
    public private(set) var current: String
    /// The last file tried (the current one, or one that failed to load).
    private var position: String

    public init(folder: String, current: String) {
        self.folder = folder
        self.start = current
        self.current = current
        self.position = current
    }

    /// The file after (or before) the last one tried, among `files` and the starting checkpoint
    /// (unless a file of the same name stands for it); nil when they hold nothing but the
    /// checkpoint in use.
    public mutating func advance(forward: Bool, files: [String]) -> String? {
        let startName = CheckpointCycle.name(start)
        let candidates = (files.contains { CheckpointCycle.name($0) == startName } ? files : files + [start])
            .sorted { (CheckpointCycle.name($0), $0) < (CheckpointCycle.name($1), $1) }
        guard candidates.contains(where: { !CheckpointCycle.same($0, current) }) else { return nil }
        let next: String
        if let i = candidates.firstIndex(where: { CheckpointCycle.same($0, position) }) {
            let step = forward ? 1 : candidates.count - 1
            next = candidates[(i + step) % candidates.count]
        } else if forward {
            next = candidates.first { CheckpointCycle.name($0) > CheckpointCycle.name(position) } ?? candidates[0]
        } else {
            next =
                candidates.last { CheckpointCycle.name($0) < CheckpointCycle.name(position) }
                ?? candidates[candidates.count - 1]
        }
        position = next
        return next
    }

    /// Records that `path` loaded and is now in use.
    public mutating func loaded(_ path: String) {
        current = path
        position = path
    }

    /// The `.safetensors` files of `folder`, as paths, sorted by name; empty when it cannot
    /// be read.
    public static func list(folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var paths: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".safetensors"), !name.hasPrefix(".") else { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            paths.append(path)
        }
        return paths.sorted()
    }

    /// The folder part of a path ("." for a bare file name).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The file name without folder and `.safetensors`: the checkpoint's display name.
    public static func displayName(_ path: String) -> String {
        var name = self.name(path)
        if name.hasSuffix(".safetensors") { name.removeLast(".safetensors".count) }
        return name
    }

    static func name(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// Same file: the same resolved path, or (for files that are gone) the same path ignoring
    /// "./" prefixes and doubled slashes.
    static func same(_ a: String, _ b: String) -> Bool { normalized(a) == normalized(b) }

    private static func normalized(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.isEmpty { parts = ["."] }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}
