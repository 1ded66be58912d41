import CNCursesW
import CharRNN
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The one place that talks to curses (wide-character ncurses). All of it runs on the thread
/// that called `withScreen`; signal handlers only store the signal number, except on a crash,
/// where they restore the terminal before the crash goes on.
public final class CursesTerminal: PlayTerminal {
    /// Sets up the terminal (UTF-8 locale, raw keys, colours), runs `body`, and restores the
    /// terminal on the way out, however `body` ends: normally, by throwing, or by a stop
    /// signal turned into a return value. Throws `TerminalUnusable`, before drawing anything,
    /// when TERM names a terminal curses does not know or one that cannot move the cursor (dumb).
    public static func withScreen<T>(_ body: (CursesTerminal) throws -> T) throws -> T {
        useUTF8Locale()
        let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
        guard let screen = newterm(nil, cnc_stdout(), cnc_stdin()) else {
            throw TerminalUnusable(description: "cannot open the terminal (TERM=\(term))")
        }
        guard let move = tigetstr("cup"), Int(bitPattern: move) != -1 else {
            endwin()
            delscreen(screen)
            throw TerminalUnusable(description: "the terminal cannot move the cursor (TERM=\(term))")
        }
        guard let window = cnc_stdscr() else {
            endwin()
            delscreen(screen)
            throw CharRNNError("cannot open the terminal: no screen")
        }
        let terminal = CursesTerminal(window: window)
        Signals.install()
        defer {
            endwin()
            Signals.bracketedPaste(false)
            Signals.uninstall()
            delscreen(screen)
        }
        terminal.configure()
        Signals.bracketedPaste(true)
        return try body(terminal)
    }

    /// The environment's locale, so wide characters work; when it is not UTF-8 (LANG unset, as
    /// in many containers) the character type alone becomes C.UTF-8: the glyphs and bars are
    /// UTF-8, and terminals today expect it.
    private static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" else { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil { return }
    }

    private let window: UnsafeMutablePointer<WINDOW>
    /// The key codes of the paste markers when the terminal description makes curses know them
    /// as keys (0 when it does not: they then arrive as characters after an Esc).
    private var pasteMarkerCodes: (begin: Int32, end: Int32) = (0, 0)
    private var attributes: [Style: (attr_t, Int16)] = [:]
    private var lastFrame: Frame?

    private init(window: UnsafeMutablePointer<WINDOW>) { self.window = window }

    private func configure() {
        raw()  // Ctrl-C, Ctrl-Z and friends arrive as keys
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        pasteMarkerCodes = (max(0, key_defined("\u{1B}[200~")), max(0, key_defined("\u{1B}[201~")))
        _ = curs_set(1)
        var colors = false
        if has_colors() {
            start_color()
            use_default_colors()
            colors = true
        }
        var nextPair: Int16 = 1
        func pair(_ foreground: Int16, _ background: Int16) -> Int16 {
            guard colors else { return 0 }
            init_pair(nextPair, foreground, background)
            nextPair += 1
            return nextPair - 1
        }
        let bold = cnc_a_bold()
        let reverse = cnc_a_reverse()
        let dim = cnc_a_dim()
        let normal = cnc_a_normal()
        let status = pair(Int16(COLOR_WHITE), Int16(COLOR_BLUE))
        attributes = [
            .plain: (normal, 0),
            .prime: (bold | (colors ? 0 : cnc_a_underline()), pair(Int16(COLOR_CYAN), -1)),
            .surprisal(0): (normal, pair(Int16(COLOR_GREEN), -1)),
            .surprisal(1): (normal, 0),
            .surprisal(2): (normal, pair(Int16(COLOR_YELLOW), -1)),
            .surprisal(3): (bold, pair(Int16(COLOR_RED), -1)),
            .status: (colors ? normal : reverse, status),
            .alert: (bold | (colors ? 0 : reverse), pair(Int16(COLOR_WHITE), Int16(COLOR_RED))),
            .label: (bold, 0),
            .dim: (dim, 0),
            .bar: (normal, pair(Int16(COLOR_GREEN), -1)),
            .chosen: (bold | reverse, pair(Int16(COLOR_YELLOW), -1)),
            .input: (bold, 0),
            .help: (normal, status),
            .helpTitle: (bold, status),
            .rank(0): (normal, pair(Int16(COLOR_GREEN), -1)),
            .rank(1): (normal, pair(Int16(COLOR_YELLOW), -1)),
            .rank(2): (normal, pair(cnc_colors() >= 256 ? 208 : Int16(COLOR_MAGENTA), -1)),
            .rank(3): (bold, pair(Int16(COLOR_RED), -1)),
            .cursor: (reverse, 0),
            .functionKey: (bold, 0),
            .functionLabel: (colors ? normal : reverse, pair(Int16(COLOR_BLACK), Int16(COLOR_CYAN))),
        ]
        // F4's unit tint as backgrounds: black text on the 256-colour scale, or on 8 colours
        // (white on blue and red); without colours, attributes by sign and size.
        for step in DivergingTint.steps {
            let tint = DivergingTint(Float(step) / 4)
            let monochrome: attr_t =
                switch step {
                case ...(-3): cnc_a_underline() | dim
                case -2...(-1): dim
                case 0: normal
                case 1...2: bold
                default: bold | reverse
                }
            let background = Int16(cnc_colors() >= 256 ? tint.xterm256 : tint.ansi8)
            let dark = cnc_colors() < 256 && [1, 4].contains(tint.ansi8)
            attributes[.unit(step)] =
                colors
                ? (normal, pair(Int16(dark ? COLOR_WHITE : COLOR_BLACK), background)) : (monochrome, 0)
        }
    }

    public var size: (width: Int, height: Int) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        cnc_getmaxyx(window, &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// The C library's widths (the locale is UTF-8 after `setlocale`); characters it calls
    /// unprintable count as one column: the views show them as symbols.
    public let columnWidth = ColumnWidth { scalar in
        let w = cnc_wcwidth(scalar.value)
        return w < 0 ? ColumnWidth.standard.columns(scalar) : Int(w)
    }

    public var pendingSignal: Int32? {
        let s = Signals.pending.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    public func readKey(waitingMilliseconds milliseconds: Int) -> Key? {
        wtimeout(window, Int32(milliseconds))
        var value: wint_t = 0
        let result = wget_wch(window, &value)
        if result == cnc_key_code_yes() {
            let code = Int32(value)
            if code != 0, code == pasteMarkerCodes.begin { return .pasteBegin }
            if code != 0, code == pasteMarkerCodes.end { return .pasteEnd }
            let key = CursesTerminal.key(code: code)
            if key == .resize { lastFrame = nil }  // curses redraws from scratch after a resize
            return key
        }
        guard result == cnc_ok() else { return nil }
        if value == 27 { return readEscapeSequence() }
        return Key.fromCharacter(UInt32(value))
    }

    /// After an Esc, the sequence that arrived with it, read whole (curses passes on the ones
    /// it does not know character by character: Alt-keys, the paste markers, Ctrl-arrows on
    /// some terminals) and decoded: a lone Esc, Alt-Enter, a paste marker, or nil (dropped).
    private func readEscapeSequence() -> Key? {
        wtimeout(window, 0)
        var body: [UInt32] = []
        var value: wint_t = 0
        while body.count < EscapeSequence.maximumLength, !EscapeSequence.isComplete(body) {
            let result = wget_wch(window, &value)
            if result == cnc_err() { break }
            if result == cnc_key_code_yes() { return nil }  // a function key after Esc: Alt-F…
            body.append(UInt32(value))
        }
        return EscapeSequence.key(body)
    }

    private static func key(code: Int32) -> Key? {
        switch code {
        case cnc_key_up(): return .up
        case cnc_key_down(): return .down
        case cnc_key_left(): return .left
        case cnc_key_right(): return .right
        case cnc_key_ppage(): return .pageUp
        case cnc_key_npage(): return .pageDown
        case cnc_key_btab(): return .backTab
        case cnc_key_backspace(): return .backspace
        case cnc_key_enter(): return .enter
        case cnc_key_resize(): return .resize
        case cnc_key_home(): return .home
        case cnc_key_end(): return .end
        case cnc_key_f(1)...cnc_key_f(24): return .function(Int(code - cnc_key_f(0)))
        default: return nil
        }
    }

    /// Draws into curses' virtual screen and updates the terminal: curses sends only the cells
    /// that changed, and an unchanged frame sends nothing.
    public func draw(_ frame: Frame) {
        if frame == lastFrame { return }
        lastFrame = frame
        werase(window)
        var wide: [wchar_t] = []
        for text in frame.texts {
            let (attr, pair) = attributes[text.style] ?? (cnc_a_normal(), 0)
            wattr_set(window, attr, pair, nil)
            wide.removeAll(keepingCapacity: true)
            for s in text.text.unicodeScalars { wide.append(wchar_t(bitPattern: s.value)) }
            wide.append(0)
            _ = mvwaddnwstr(window, Int32(text.row), Int32(text.column), wide, Int32(wide.count - 1))
        }
        wattr_set(window, cnc_a_normal(), 0, nil)
        if let cursor = frame.cursor {
            _ = curs_set(1)
            wmove(window, Int32(cursor.row), Int32(min(cursor.column, frame.width - 1)))
        } else {
            _ = curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }
}

/// TERM names no terminal curses knows, or one it cannot draw a screen on: callers fall back to
/// plain output.
public struct TerminalUnusable: Error, CustomStringConvertible {
    public let description: String
}

/// Signal handling. Stop signals (SIGTERM, SIGINT, SIGHUP: the terminal closed, SIGQUIT: which
/// would otherwise print the runtime's backtrace over the screen) only record their number; the
/// loop sees it within a slice of keys and returns, and `withScreen` restores the terminal.
/// Crash signals restore the terminal, put back the handler that was there before (the Swift
/// runtime's backtracer) and return, so the fault repeats into it.
enum Signals {
    static let pending = Atomic<Int32>(0)
    static let stopSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
    /// Handlers in place before `install`, indexed by signal number (1…64).
    nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    static func install() {
        pending.store(0, ordering: .relaxed)
        // A parent may have left these blocked (threads of test runners and thread pools
        // block signals, and children inherit the mask): unblock them, or SIGTERM is ignored.
        var stops = sigset_t()
        sigemptyset(&stops)
        for s in stopSignals { sigaddset(&stops, s) }
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
        for s in stopSignals + crashSignals { sigaction(s, nil, previous + Int(s)) }
        var stop = sigaction()
        stop.__sigaction_handler.sa_handler = { s in Signals.pending.store(s, ordering: .relaxed) }
        sigemptyset(&stop.sa_mask)
        for s in stopSignals { sigaction(s, &stop, nil) }
        var crash = sigaction()
        crash.__sigaction_handler.sa_handler = { s in
            endwin()
            Signals.bracketedPaste(false)
            sigaction(s, Signals.previous + Int(s), nil)
        }
        sigemptyset(&crash.sa_mask)
        crash.sa_flags = Int32(bitPattern: UInt32(truncatingIfNeeded: SA_RESETHAND))
        for s in crashSignals { sigaction(s, &crash, nil) }
    }

    /// Asks the terminal to mark pastes (`Esc [200~` … `Esc [201~`), or to stop. Written
    /// straight to the descriptor, so it is safe in a signal handler.
    static func bracketedPaste(_ on: Bool) {
        let sequence: StaticString = on ? "\u{1B}[?2004h" : "\u{1B}[?2004l"
        _ = write(STDOUT_FILENO, sequence.utf8Start, sequence.utf8CodeUnitCount)
    }

    static func uninstall() {
        for s in stopSignals + crashSignals { sigaction(s, previous + Int(s), nil) }
    }
}
