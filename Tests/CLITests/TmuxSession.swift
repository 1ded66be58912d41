import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A private tmux server (its own socket) running one window; every wait is bounded.
final class TmuxSession {
    static var installed: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    let socket = "charrnn-play-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let target = "play"

    /// Starts `command` (run by sh) in a detached window of the given size, with a UTF-8
    /// locale or, when `locale` is false, none at all (LANG and LC_* unset).
    /// `charrnn play ARGUMENTS` in `folder`, then, once it exits, its status (`EXIT=N`) and the
    /// terminal's settings (`stty -a`), so a test can check that play restored the terminal.
    static func play(_ arguments: String, width: Int, height: Int, folder: String) throws -> TmuxSession {
        let binary = try CharRNNBinary.path()
        return try TmuxSession(
            command: "'\(binary)' play \(arguments); echo EXIT=$?; stty -a; sleep 120", width: width, height: height,
            folder: folder)
    }

    init(command: String, width: Int, height: Int, folder: String, locale: Bool = true) throws {
        let environment = locale ? "export LC_ALL=C.UTF-8" : "unset LANG LC_ALL LC_CTYPE"
        let wrapped = "cd '\(folder)' && \(environment) && export TERM=screen-256color && \(command)"
        try tmux([
            "-u", "-f", "/dev/null", "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height),
            wrapped,
        ])
    }

    /// Kills the server and everything in it.
    func kill() {
        _ = try? tmux(["kill-server"])
    }

    /// Runs a tmux command on this server and returns its output. The first command starts
    /// the server, which keeps whatever it inherits: so tmux is spawned here directly (not with
    /// Foundation's Process, which waits for descriptors the server would hold open forever)
    /// with output to a file, no other descriptors, and no signals blocked (test threads block
    /// them, and tmux and the programs in its panes would inherit that).
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString)")
            .path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw TmuxError(description: "cannot run tmux: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TmuxError(description: "tmux \(arguments.joined(separator: " ")): status \(status): \(text)")
        }
        return text
    }

    /// Closes every descriptor from 3 up in the child: glibc's closefrom action (2.34+; looked
    /// up at run time, the header hides it), else each descriptor open now.
    private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd >= 3 && fcntl(fd, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    /// The visible screen, one string per row.
    func screen() throws -> [String] {
        try tmux(["capture-pane", "-p", "-t", target]).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    /// The visible screen with its colours and attributes as escape sequences, one string per row.
    func screenWithAttributes() throws -> [String] {
        try tmux(["capture-pane", "-p", "-e", "-t", target]).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    func keys(_ keys: String...) throws { try self.keys(keys) }
    func keys(_ keys: [String]) throws { try tmux(["send-keys", "-t", target] + keys) }
    func type(_ text: String) throws { try tmux(["send-keys", "-t", target, "-l", text]) }

    /// Pastes `text` as tmux does on a paste key: bracketed (between the paste markers) when
    /// the program asked for it and `bracketed` is true, its newlines sent as Enter (CR).
    func paste(_ text: String, bracketed: Bool = true) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-paste").path
        defer { unlink(path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try tmux(["load-buffer", "-b", "paste", path])
        try tmux(["paste-buffer", "-d", "-b", "paste", "-t", target] + (bracketed ? ["-p"] : []))
    }

    /// The process the pane's shell is running (charrnn).
    func programPID() throws -> Int32 {
        let shell = try #require(Int32(try variable("pane_pid")))
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return try #require(children.split(separator: " ").first.flatMap { Int32($0) })
    }

    /// A pane variable, e.g. "alternate_on".
    func variable(_ name: String) throws -> String {
        try tmux(["display-message", "-p", "-t", target, "#{\(name)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds or `seconds` pass; returns the last screen.
    @discardableResult
    func wait(
        _ what: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation,
        until condition: ([String]) -> Bool
    ) throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String] = []
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(50_000)
        }
        Issue.record(
            "timed out waiting for \(what); screen:\n\(last.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return last
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var description: String
}

/// Two copies of the tiny GRU fixture (a, b) and a broken checkpoint (c) in one folder.
func playCheckpointFolder() throws -> String {
    let folder = try CharRNNBinary.temporaryFolder()
    let tiny = CharRNNBinary.fixture("tiny-gru.safetensors")
    try FileManager.default.copyItem(atPath: tiny, toPath: folder + "/a.safetensors")
    try FileManager.default.copyItem(atPath: tiny, toPath: folder + "/b.safetensors")
    try Data("not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: folder + "/c-broken.safetensors"))
    return folder
}

/// The terminal is back to normal: out of the alternate screen, cursor shown, and the
/// shell's `stty -a` (printed after charrnn exits) shows canonical mode and echo again.
func expectRestored(
    _ tmux: TmuxSession, _ screen: [String], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(try tmux.variable("alternate_on") == "0", sourceLocation: sourceLocation)
    #expect(try tmux.variable("cursor_flag") == "1", sourceLocation: sourceLocation)
    func words(_ screen: [String]) -> Set<String> {
        Set(screen.joined(separator: " ").split(separator: " ").map(String.init))
    }
    // The shell prints EXIT= before stty -a: on a busy machine the capture can come between.
    let printed = try tmux.wait("stty -a's output", sourceLocation: sourceLocation) { s in
        let w = words(s)
        return (w.contains("icanon") || w.contains("-icanon")) && (w.contains("icrnl") || w.contains("-icrnl"))
    }
    let words = words(screen + printed)
    #expect(
        words.contains("icanon") && words.contains("echo") && words.contains("icrnl"),
        sourceLocation: sourceLocation)
    #expect(!words.contains("-icanon") && !words.contains("-echo"), sourceLocation: sourceLocation)
}

/// The status line's checkpoint name (first field).
func checkpointName(_ screen: [String]) -> String {
    screen.first?.split(separator: "│").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
}

/// The stream pane's first row (left of the bars).
func firstStreamRow(_ screen: [String]) -> String {
    guard screen.count > 1 else { return "" }
    return screen[1].split(separator: "│", omittingEmptySubsequences: false).first.map(String.init) ?? ""
}
