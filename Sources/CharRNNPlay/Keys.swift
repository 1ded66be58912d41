/// A key press, as the screen decodes it from curses.
public enum Key: Equatable, Sendable {
    /// A printable character.
    case character(Unicode.Scalar)
    /// Ctrl plus a letter, lowercase: `.control("r")` is Ctrl-R.
    case control(Character)
    case enter, backspace, tab, backTab, escape
    case up, down, left, right, pageUp, pageDown
    case function(Int)
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
    case togglePause
    case stepOnce
    case toggleTint
    case toggleHelp
    case relayout
    case quit
}

/// Key → action, and the help text listing every key.
public enum KeyMap {
    /// With the help overlay open, F1 and Esc close it and other keys work as usual.
    public static func action(for key: Key, helpShown: Bool = false) -> PlayAction? {
        switch key {
        case .character(let s): return .insert(s)
        case .backspace: return .deleteBackward
        case .enter: return .start
        case .up: return .warmer
        case .down: return .cooler
        case .left: return .fewerBars
        case .right: return .moreBars
        case .pageUp: return .faster
        case .pageDown: return .slower
        case .tab: return .nextCheckpoint
        case .backTab: return .previousCheckpoint
        case .function(1): return .toggleHelp
        case .function: return nil
        case .escape: return helpShown ? .toggleHelp : .quit
        case .resize: return .relayout
        case .control(let c):
            switch c {
            case "c": return .quit
            case "r": return .reset
            case "g": return .toggleSideBySide
            case "p": return .togglePause
            case "n": return .stepOnce
            case "t": return .toggleTint
            case "u": return .clearPrime
            default: return nil
            }
        }
    }

    /// (keys, what they do), in the order the help overlay lists them.
    public static let help: [(keys: String, action: String)] = [
        ("type", "edit the prime text"),
        ("Backspace  Ctrl-U", "delete a character / clear the prime"),
        ("Enter", "(re)start generation from the prime"),
        ("Up  Down", "temperature ± 0.05 (0 = greedy)"),
        ("Left  Right", "fewer / more bars"),
        ("PgUp  PgDn", "faster / slower streaming"),
        ("Tab  Shift-Tab", "next / previous checkpoint"),
        ("Ctrl-R", "reset the hidden state and the text"),
        ("Ctrl-G", "greedy | sampled side by side"),
        ("Ctrl-P", "pause / resume"),
        ("Ctrl-N", "one character while paused"),
        ("Ctrl-T", "tint text by surprisal"),
        ("F1", "this help"),
        ("Esc  Ctrl-C", "quit (Esc closes this help first)"),
    ]
}
