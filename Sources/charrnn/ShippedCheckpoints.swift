import CharRNN
import CharRNNPlay

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where `generate` and `play` find a checkpoint when --checkpoint is not given: the shipped
/// model (or else the first checkpoint) in ./checkpoints, then in the checkpoints folder of the
/// package the binary was built in, then in an installed binary's PREFIX/share/charrnn/checkpoints.
enum ShippedCheckpoints {
    static let defaultName = "shakespeare-gru512.safetensors"
    static let helpText = """
        Default: \(defaultName) (else the first .safetensors file) in ./checkpoints, then in the \
        checkpoints folder beside the charrnn binary (its package's, or PREFIX/share/charrnn/checkpoints \
        when installed).
        """

    /// `checkpoint` when given, else the first match in `folders`.
    static func resolve(_ checkpoint: String?) throws -> String {
        if let checkpoint { return checkpoint }
        for folder in folders(executable: executablePath) {
            let preferred = folder + "/" + defaultName
            if access(preferred, R_OK) == 0 { return preferred }
            if let first = CheckpointCycle.list(folder: folder).first { return first }
        }
        throw CharRNNError("no checkpoint found: pass --checkpoint FILE (the shipped ones are in \(sourceFolder))")
    }

    /// The folders searched, in order, for a binary at `executable` (an absolute path, links resolved).
    static func folders(executable: String?) -> [String] {
        var folders = ["checkpoints"]
        guard let executable else { return folders }
        let components = executable.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let build = components.lastIndex(of: ".build") {  // <package>/.build/…/charrnn
            folders.append((components[..<build] + ["checkpoints"]).joined(separator: "/"))
        }
        if components.count >= 3 {  // PREFIX/bin/charrnn
            folders.append((components.dropLast(2) + ["share", "charrnn", "checkpoints"]).joined(separator: "/"))
        }
        return folders
    }

    /// This process's binary, symbolic links resolved (Linux).
    private static var executablePath: String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The checkpoints folder of the source tree this binary was built from.
    private static var sourceFolder: String {
        let components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        return (components.dropLast(3) + ["checkpoints"]).joined(separator: "/")
    }
}
