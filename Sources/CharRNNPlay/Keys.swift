/// A key press, as the screen decodes it from curses.
public enum Key: Equatable, Sendable {
    /// A printable character.
    case character(Unicode.Scalar)
    /// Ctrl plus a letter, lowercase: `.control("r")` is Ctrl-R.
    case control(Character)
    case enter, backspace, tab, backTab, escape
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    /// Alt-Enter (Esc then Enter): a literal newline in the prime.
    case altEnter
    /// The bracketed-paste markers (`Esc [200~` and `Esc [201~`) around pasted text.
    case pasteBegin, pasteEnd
    /// The terminal changed size.
    case resize

    /// Decodes a character read with `wget_wch` (not a function key).
    public static func fromCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 96)))
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value), Glyphs.controlPicture(scalar) == nil else { return nil }
            return .character(scalar)
        }
    }
}

/// What follows an Esc: an escape sequence the screen reads whole, then decodes. Only Alt-Enter
/// and the paste markers mean something; every other sequence (Alt-letters, keys curses does
/// not know) decodes to nil and is dropped, so that only a lone Esc quits.
public enum EscapeSequence {
    /// The longest sequence read after an Esc; anything longer is dropped.
    public static let maximumLength = 32

    /// Whether `body` (the characters after the Esc) is a whole sequence: `[` parameters then a
    /// final byte (CSI), `O` then one character (SS3), or one other character (Alt plus it).
    public static func isComplete(_ body: [UInt32]) -> Bool {
        guard let first = body.first else { return false }
        switch first {
        case 0x5B: return body.count > 1 && (0x40...0x7E).contains(body[body.count - 1])
        case 0x4F: return body.count == 2
        default: return true
        }
    }

    /// The key a whole sequence stands for; nil for the lone Esc's caller to drop.
    public static func key(_ body: [UInt32]) -> Key? {
        switch body {
        case []: return .escape
        case [13], [10]: return .altEnter
        case Array("[200~".unicodeScalars.map(\.value)): return .pasteBegin
        case Array("[201~".unicodeScalars.map(\.value)): return .pasteEnd
        default: return nil
        }
    }
}

/// Everything a key can ask for.
public enum PlayAction: Equatable, Sendable {
    case insert(Unicode.Scalar)
    case deleteBackward
    case clearPrime
    case start
    case warmer, cooler
    case fewerBars, moreBars
    case slower, faster
    case nextCheckpoint, previousCheckpoint
    case reset
    case toggleSideBySide
    /// Side by side with the next of `PlayState.layoutPresets`.
    case nextLayout
    /// The next checkpoint of the folder beside the current one on the same prime, or back to one.
    case toggleVersus
    case togglePause
    case stepOnce
    case toggleTint
    case toggleHelp
    /// Scroll the help overlay by this many lines (negative: up).
    case scrollHelp(Int)
    case relayout
    case quit
    /// Bracketed paste: until `.endPaste`, Enter and Tab are text.
    case beginPaste, endPaste
    /// F3: writing ⇄ reading (asks for a file when none is loaded).
    case toggleMode
    /// The prompt in the status or bottom line (a file to read, a search): Enter, Esc.
    case submitPrompt, cancelPrompt
    /// Read mode: move the cursor, search, continue writing from the cursor.
    case moveCursor(CursorMove)
    case beginSearch
    case findNext
    case continueFromCursor
    /// Read mode: the dynamic reading (the model learning as it reads) ⇄ the static one.
    case toggleDynamic
    /// F4: tint the text by a hidden unit, or stop; F5–F9: another unit.
    case toggleUnits
    case moveUnit(UnitMove)
    /// F2 and the keys of steer mode.
    case steer(SteerCommand)
}

/// Where a read-mode key moves the cursor.
public enum CursorMove: Equatable, Sendable {
    case left, right, up, down, pageUp, pageDown, home, end
}

/// Key → action, and the help text listing every key.
public enum KeyMap {
    /// With the help overlay open, F1 and Esc close it, Up/Down and PgUp/PgDn scroll it, and
    /// other keys work as usual. While a
    /// paste is coming in, its characters, newlines and tabs are text for the prime, Ctrl-C
    /// still quits, resizes still lay out, and other keys are ignored. While a prompt is open
    /// (`prompting`: a file to read, a search) keys edit it; read mode has keys of its own. F4
    /// toggles the unit tint in every mode, and F5–F9 choose the unit while it is on (`units`).
    public static func action(
        for key: Key, helpShown: Bool = false, pasting: Bool = false, mode: PlayMode = .write, prompting: Bool = false,
        units: Bool = false
    ) -> PlayAction? {
        if prompting, !pasting { return promptAction(for: key) }
        if !pasting, let action = unitAction(for: key, units: units) { return action }
        if mode == .read, !pasting { return readAction(for: key, helpShown: helpShown) }
        if mode == .steer, !pasting { return steerAction(for: key, helpShown: helpShown) }
        if pasting {
            switch key {
            case .character(let s): return .insert(s)
            case .enter, .altEnter: return .insert("\n")
            case .tab: return .insert("\t")
            case .pasteEnd: return .endPaste
            case .control("c"): return .quit
            case .resize: return .relayout
            default: return nil
            }
        }
        switch key {
        case .character(let s): return .insert(s)
        case .altEnter: return .insert("\n")
        case .pasteBegin: return .beginPaste
        case .pasteEnd: return nil
        case .backspace: return .deleteBackward
        case .enter: return .start
        case .up where helpShown: return .scrollHelp(-1)
        case .down where helpShown: return .scrollHelp(1)
        case .pageUp where helpShown: return .scrollHelp(-KeyMap.helpPage)
        case .pageDown where helpShown: return .scrollHelp(KeyMap.helpPage)
        case .up: return .warmer
        case .down: return .cooler
        case .left: return .fewerBars
        case .right: return .moreBars
        case .pageUp: return .faster
        case .pageDown: return .slower
        case .tab: return .nextCheckpoint
        case .backTab: return .previousCheckpoint
        case .function(1): return .toggleHelp
        case .function(2): return .steer(.enter)
        case .function(3): return .toggleMode
        case .function(10): return .quit
        case .function, .home, .end: return nil
        case .escape: return helpShown ? .toggleHelp : .quit
        case .resize: return .relayout
        case .control(let c):
            switch c {
            case "c": return .quit
            case "r": return .reset
            case "g": return .toggleSideBySide
            case "l": return .nextLayout
            case "v": return .toggleVersus
            case "p": return .togglePause
            case "n": return .stepOnce
            case "t": return .toggleTint
            case "u": return .clearPrime
            default: return nil
            }
        }
    }

    /// F4, and while its tint is on (`units`) the unit keys, the same in both modes: function
    /// keys, so that the prime's keys keep working.
    private static func unitAction(for key: Key, units: Bool) -> PlayAction? {
        switch key {
        case .function(4): .toggleUnits
        case .function where !units: nil
        case .function(5): .moveUnit(.previous)
        case .function(6): .moveUnit(.next)
        case .function(7): .moveUnit(.layer)
        case .function(8): .moveUnit(.kind)
        case .function(9): .moveUnit(.feature)
        case .function(21): .moveUnit(.nextRanked)  // Shift-F9
        default: nil
        }
    }

    /// While a prompt is open (a file to read, a search), keys edit its line.
    private static func promptAction(for key: Key) -> PlayAction? {
        switch key {
        case .character(let s): .insert(s)
        case .backspace: .deleteBackward
        case .control("u"): .clearPrime
        case .enter: .submitPrompt
        case .escape: .cancelPrompt
        case .control("c"): .quit
        case .resize: .relayout
        case .pasteBegin: .beginPaste
        default: nil
        }
    }

    /// Read mode: the cursor keys move through the text, the writing keys do nothing.
    private static func readAction(for key: Key, helpShown: Bool) -> PlayAction? {
        switch key {
        case .up where helpShown: .scrollHelp(-1)
        case .down where helpShown: .scrollHelp(1)
        case .pageUp where helpShown: .scrollHelp(-KeyMap.helpPage)
        case .pageDown where helpShown: .scrollHelp(KeyMap.helpPage)
        case .left: .moveCursor(.left)
        case .right: .moveCursor(.right)
        case .up: .moveCursor(.up)
        case .down: .moveCursor(.down)
        case .pageUp: .moveCursor(.pageUp)
        case .pageDown: .moveCursor(.pageDown)
        case .home: .moveCursor(.home)
        case .end: .moveCursor(.end)
        case .character("/"): .beginSearch
        case .character("n"), .enter: .findNext
        case .character("c"): .continueFromCursor
        case .character("d"): .toggleDynamic
        case .character("t"), .control("t"): .toggleTint
        case .character("+"): .moreBars
        case .character("-"): .fewerBars
        case .tab: .nextCheckpoint
        case .backTab: .previousCheckpoint
        case .function(1): .toggleHelp
        case .function(3): .toggleMode
        case .function(10), .control("c"): .quit
        case .escape: helpShown ? .toggleHelp : .quit
        case .resize: .relayout
        default: nil
        }
    }

    /// Lines PgUp/PgDn scroll the help overlay.
    static let helpPage = 5

    /// The help of a mode: every key it has.
    public static func help(for mode: PlayMode) -> [(keys: String, action: String)] {
        switch mode {
        case .write: help
        case .read: readHelp
        case .steer: steerHelp
        }
    }

    /// (keys, what they do) in read mode, in the order the help overlay lists them.
    public static let readHelp: [(keys: String, action: String)] = [
        ("Left  Right", "cursor one character back / on"),
        ("Up  Down", "cursor one row up / down"),
        ("PgUp  PgDn", "cursor one screen up / down"),
        ("Home  End", "to the start / end of the text"),
        ("/", "search (type, Enter finds it, Esc cancels)"),
        ("Enter  n", "find the next match"),
        ("t  Ctrl-T", "tint by rank bucket / by surprisal"),
        ("c", "continue from here: write on from the cursor, from the state already read"),
        ("d", "the model learns from the text as it reads it (dynamic) / static reading"),
        ("+  -", "more / fewer bars"),
        ("Tab  Shift-Tab", "next / previous checkpoint, re-reading the text"),
        ("F3", "back to writing"),
        ("F4", "tint by a hidden unit: −1 blue … +1 red"),
        ("F5 F6 F7 F8", "(F4) unit − / +, layer, h ⇄ c"),
        ("F9 Shift-F9", "(F4) next feature's best unit / next best"),
        ("F1", "this help (Up/Down, PgUp/PgDn scroll it)"),
        ("Esc  F10  Ctrl-C", "quit (Esc closes this help first)"),
    ]

    /// (keys, what they do), in the order the help overlay lists them.
    public static let help: [(keys: String, action: String)] = [
        ("type, paste", "edit the prime text (a paste is text: its Enters and Tabs too)"),
        ("Alt-Enter", "a newline in the prime, shown as \(Glyphs.newline) (Ctrl-J is Enter)"),
        ("Backspace  Ctrl-U", "delete a character / clear the prime"),
        ("Enter", "(re)start generation from the prime"),
        ("Up  Down", "temperature ± 0.05 (0 = greedy)"),
        ("Left  Right", "fewer / more bars"),
        ("PgUp  PgDn", "faster / slower streaming"),
        ("Tab  Shift-Tab", "next / previous checkpoint"),
        ("Ctrl-R", "reset the hidden state and the text"),
        ("Ctrl-G", "greedy | sampled side by side"),
        ("Ctrl-L", "next layout: greedy | beam 5 | T=0.5 | T=1.0, …"),
        ("Ctrl-V", "next checkpoint beside this one, with KL"),
        ("Ctrl-P", "pause / resume"),
        ("Ctrl-N", "one character while paused"),
        ("Ctrl-T", "tint text by surprisal (legend in the prime line)"),
        ("F2", "steer: pick characters, rewind, branch"),
        ("F3", "read a text: each character tinted by how the model expected it (asks for a file)"),
        ("F4", "tint by a hidden unit: −1 blue … +1 red"),
        ("F5 F6 F7 F8", "(F4) unit − / +, layer, h ⇄ c"),
        ("F9 Shift-F9", "(F4) next feature's best unit / next best"),
        ("F1", "this help (Up/Down, PgUp/PgDn scroll it)"),
        ("Esc  F10  Ctrl-C", "quit (Esc closes this help first)"),
    ]
}
