import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A private tmux server (its own socket) running one window; every wait is bounded.
private final class TmuxSession {
    static var installed: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    let socket = "charrnn-play-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let target = "play"

    /// Starts `command` (run by sh) in a detached window of the given size, with a UTF-8
    /// locale or, when `locale` is false, none at all (LANG and LC_* unset).
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

    func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", target] + keys) }
    func type(_ text: String) throws { try tmux(["send-keys", "-t", target, "-l", text]) }

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

private struct TmuxError: Error, CustomStringConvertible {
    var description: String
}

/// The status line's checkpoint name (first field).
private func checkpointName(_ screen: [String]) -> String {
    screen.first?.split(separator: "│").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
}

/// Rows ending in a percentage: the bars.
private func percentRows(_ screen: [String]) -> Int {
    screen.filter { $0.range(of: #"\d+\.\d% *$"#, options: .regularExpression) != nil }.count
}

/// The stream pane's first row (left of the bars).
private func firstStreamRow(_ screen: [String]) -> String {
    guard screen.count > 1 else { return "" }
    return screen[1].split(separator: "│", omittingEmptySubsequences: false).first.map(String.init) ?? ""
}

@Suite("charrnn play in tmux", .serialized)
struct PlayTmuxTests {
    /// Two copies of the tiny GRU fixture (a, b) and a broken checkpoint (c) in one folder.
    func checkpointFolder() throws -> String {
        let folder = try CharRNNBinary.temporaryFolder()
        let tiny = CharRNNBinary.fixture("tiny-gru.safetensors")
        try FileManager.default.copyItem(atPath: tiny, toPath: folder + "/a.safetensors")
        try FileManager.default.copyItem(atPath: tiny, toPath: folder + "/b.safetensors")
        try Data("not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: folder + "/c-broken.safetensors"))
        return folder
    }

    /// The terminal is back to normal: out of the alternate screen, cursor shown, and the
    /// shell's `stty -a` (printed after charrnn exits) shows canonical mode and echo again.
    fileprivate func expectRestored(
        _ tmux: TmuxSession, _ screen: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(try tmux.variable("alternate_on") == "0", sourceLocation: sourceLocation)
        #expect(try tmux.variable("cursor_flag") == "1", sourceLocation: sourceLocation)
        let words = Set(screen.joined(separator: " ").split(separator: " ").map(String.init))
        #expect(
            words.contains("icanon") && words.contains("echo") && words.contains("icrnl"),
            sourceLocation: sourceLocation)
        #expect(!words.contains("-icanon") && !words.contains("-echo"), sourceLocation: sourceLocation)
    }

    @Test(
        "types a prime, streams, changes temperature, bars, side by side, pause, checkpoints, resize, help, Ctrl-C",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(2)))
    func interactiveSession() throws {
        let folder = try checkpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let binary = try CharRNNBinary.path()
        let tmux = try TmuxSession(
            command: "'\(binary)' play --checkpoint a.safetensors --seed 5; echo EXIT=$?; stty -a; sleep 120",
            width: 100, height: 30, folder: folder)
        defer { tmux.kill() }

        // Ready, waiting for a prime.
        var screen = try tmux.wait("the prime prompt", seconds: 30) {
            $0.last { !$0.isEmpty }?.hasPrefix("prime›") == true
        }
        #expect(checkpointName(screen) == "a")
        #expect(screen[0].contains("GRU 1×32") && screen[0].contains("T=0.80"))

        // A prime, Enter: text streams after the prime.
        try tmux.type("The ")
        try tmux.keys("Enter")
        screen = try tmux.wait("text to stream") { s in
            firstStreamRow(s).hasPrefix("The ") && firstStreamRow(s).trimmingCharacters(in: .whitespaces).count > 12
        }
        let earlier = firstStreamRow(screen)
        screen = try tmux.wait("more text") { firstStreamRow($0) != earlier }
        #expect(screen[0].contains("seed 5") && screen[0].contains("ch/s"))

        // Bars with percentages and the entropy.
        let bars = screen.filter { $0.range(of: #"[█▏▎▍▌▋▊▉]+ +\d+\.\d%"#, options: .regularExpression) != nil }
        #expect(bars.count >= 3, "no bars: \(screen.joined(separator: "\n"))")
        #expect(screen.contains { $0.range(of: #"H=\d+\.\d\d bits"#, options: .regularExpression) != nil })
        #expect(percentRows(screen) == 10)
        try tmux.keys("Left", "Left", "Left")
        try tmux.wait("fewer bars") { percentRows($0) == 7 }
        try tmux.keys("Right")
        try tmux.wait("one more bar") { percentRows($0) == 8 }

        // Speed.
        try tmux.keys("PPage")
        try tmux.wait("speed 60/s") { $0[0].contains("speed 60/s") }
        try tmux.keys("NPage", "NPage")
        try tmux.wait("speed 20/s") { $0[0].contains("speed 20/s") }
        try tmux.keys("PPage")

        // Temperature.
        try tmux.keys("Up")
        try tmux.wait("T=0.85") { $0[0].contains("T=0.85") }
        try tmux.keys("Down", "Down")
        try tmux.wait("T=0.75") { $0[0].contains("T=0.75") }

        // Side by side.
        try tmux.keys("C-g")
        screen = try tmux.wait("greedy and sampled streams") { s in
            s.contains { $0.contains("greedy") && $0.contains("sampled T=0.75") }
        }
        let streamRow = try #require(screen.firstIndex { $0.contains("greedy") }) + 1
        #expect(screen[streamRow].ranges(of: "The").count == 2, "\(screen[streamRow])")

        // Pause: nothing moves; Ctrl-N moves one character; Ctrl-P resumes.
        try tmux.keys("C-p")
        screen = try tmux.wait("PAUSED") { $0[0].contains("PAUSED") }
        usleep(300_000)
        let paused = try tmux.screen()
        usleep(500_000)
        #expect(try tmux.screen() == paused)
        try tmux.keys("C-n")
        try tmux.wait("one step") { $0 != paused }
        try tmux.keys("C-p")
        try tmux.wait("resumed") { !$0[0].contains("PAUSED") }
        try tmux.keys("C-g")

        // Checkpoints: Tab loads b; the next Tab meets a broken file, shows why and keeps b.
        try tmux.keys("Tab")
        try tmux.wait("checkpoint b") { checkpointName($0) == "b" }
        try tmux.keys("Tab")
        screen = try tmux.wait("the load error") { $0[0].contains("⚠") }
        #expect(checkpointName(screen) == "b")
        #expect(screen[0].contains("c-broken"))
        screen = try tmux.wait("streaming on b") { firstStreamRow($0).hasPrefix("The ") }

        // Resizing re-lays the screen out; too small shows a message; back to normal after.
        try tmux.tmux(["resize-window", "-t", tmux.target, "-x", "60", "-y", "16"])
        screen = try tmux.wait("a 60×16 layout") { s in
            s.count >= 16 && s[0].hasPrefix(" b │") && s[15].hasPrefix("prime›")
        }
        try tmux.tmux(["resize-window", "-t", tmux.target, "-x", "20", "-y", "5"])
        try tmux.wait("the too-small message") { $0.contains { $0.contains("too small") } }
        try tmux.tmux(["resize-window", "-t", tmux.target, "-x", "100", "-y", "30"])
        try tmux.wait("the full layout again") { s in
            s.count >= 30 && s[0].hasPrefix(" b │") && s[29].hasPrefix("prime›")
        }

        // Ctrl-R forgets the text; Enter starts again from the prime line.
        try tmux.keys("C-r")
        try tmux.wait("the reset") { $0.contains { $0.contains("Type a prime and press Enter") } }
        try tmux.keys("Enter")
        try tmux.wait("streaming again") { firstStreamRow($0).hasPrefix("The ") }

        // Alt-keys and escape sequences curses does not know are ignored: only a lone Esc quits.
        try tmux.keys("M-x")
        try tmux.type("\u{1B}[1;9Z")
        usleep(300_000)
        #expect(try tmux.screen().last { !$0.isEmpty }?.hasPrefix("prime›") == true)

        // Help overlay, closed by Esc.
        try tmux.keys("F1")
        try tmux.wait("the help") { s in s.contains { $0.contains("┌─ keys") } && s.contains { $0.contains("Ctrl-G") } }
        try tmux.keys("Escape")
        try tmux.wait("the help to close") { s in !s.contains { $0.contains("┌─ keys") } }

        // Ctrl-C: exit status 0 and a restored terminal.
        try tmux.keys("C-c")
        screen = try tmux.wait("exit") { s in s.contains("EXIT=0") && s.contains { $0.contains("icanon") } }
        try expectRestored(tmux, screen)
    }

    @Test(
        "SIGTERM ends the UI with the terminal restored and the signal's status (no locale set: still UTF-8 bars)",
        .enabled(if: TmuxSession.installed, "tmux is not installed (scripts/install-deps installs it)"),
        .timeLimit(.minutes(1)))
    func terminated() throws {
        let folder = try checkpointFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let binary = try CharRNNBinary.path()
        let tmux = try TmuxSession(
            command: "'\(binary)' play --checkpoint a.safetensors --prime 'The '; echo EXIT=$?; stty -a; sleep 60",
            width: 80, height: 24, folder: folder, locale: false)
        defer { tmux.kill() }
        try tmux.wait("streaming", seconds: 30) { firstStreamRow($0).hasPrefix("The ") }
        try tmux.wait("bars") { $0.contains { $0.contains("█") && $0.hasSuffix("%") } }
        let shell = try #require(Int32(try tmux.variable("pane_pid")))
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let pid = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        #expect(kill(pid, SIGTERM) == 0)
        let screen = try tmux.wait("exit") { s in
            s.contains { $0.hasPrefix("EXIT=") } && s.contains { $0.contains("icanon") }
        }
        #expect(screen.contains("EXIT=143"))
        try expectRestored(tmux, screen)
    }
}
