#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The command line a checkpoint records, without the machine's folders: the program as
/// `charrnn`, and each path flag's value relative to the current folder when under it, else
/// its file name alone.
enum RunCommandLine {
    static let pathFlags: Set<String> = ["--corpus", "--out", "--init-from"]

    static func display(_ arguments: [String], currentFolder: String = RunCommandLine.currentFolder) -> String {
        var shown = ["charrnn"]
        var previous = ""
        for argument in arguments.dropFirst() {
            if pathFlags.contains(previous) {
                shown.append(relative(argument, to: currentFolder))
            } else if let equals = argument.firstIndex(of: "="), pathFlags.contains(String(argument[..<equals])) {
                let value = String(argument[argument.index(after: equals)...])
                shown.append(argument[...equals] + relative(value, to: currentFolder))
            } else {
                shown.append(argument)
            }
            previous = argument
        }
        return shown.joined(separator: " ")
    }

    /// `path` as the run's metadata shows it: relative paths stay, absolute ones under
    /// `folder` lose it, others keep their file name only.
    static func relative(_ path: String, to folder: String) -> String {
        guard path.hasPrefix("/") else { return path }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        return path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `path` made absolute against the current folder (for the state to find the corpus again).
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : currentFolder + "/" + path
    }

    static var currentFolder: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
