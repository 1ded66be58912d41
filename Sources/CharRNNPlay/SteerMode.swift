import CharRNN

/// What a key asks of steer mode.
public enum SteerCommand: Equatable, Sendable {
    /// F2 in write mode: pause and steer the sampled stream.
    case enter
    /// F2 or Esc: back to the streams, which go on where they were.
    case leave
    /// A digit: append the candidate with this number (1 = the most probable) after the cursor.
    case choose(Int)
    /// Space: sample one character after the cursor with the stream's sampler.
    case sample
    /// Left, Right, Home, End: the cursor back or on by one, to the prime, to the branch's end.
    case back, forward, toStart, toEnd
    /// Up, Down: the previous or next branch, with the cursor at its end.
    case previousBranch, nextBranch
    /// `b`: show or hide the branch tree.
    case toggleBranches
    /// Enter: the streams start again from the text before the cursor.
    case resume
    /// `w`: save the current branch's text; `W`: every branch.
    case save(all: Bool)
}

/// Steer mode's stream and what the screen shows of it.
public struct SteerScreen {
    /// The stream being steered, with its branches.
    public let session: SteeringSession
    /// The prime the steering session started from.
    public let prime: String
    /// The branch tree is shown over the text.
    public internal(set) var branchesShown = false
    /// The prime's token ids as the text pane shows them (characters outside the vocabulary left
    /// out).
    let primeTokens: [Int32]
    /// The character of each token id, then a blank: the cell where the cursor waits at the end.
    let symbols: [Unicode.Scalar]

    init(session: SteeringSession, prime: String) {
        self.session = session
        self.prime = prime
        let vocabulary = session.session.vocabulary
        primeTokens = vocabulary.encodeSkippingUnknown(prime.unicodeScalars).ids
        symbols = (0..<vocabulary.count).map { vocabulary.scalar(of: $0) ?? Glyphs.unknown } + [" "]
    }

    /// The prime's tokens, the branch's, and the blank end cell.
    var tokens: [Int32] {
        primeTokens + session.branch.tokens.map { Int32($0) } + [Int32(symbols.count - 1)]
    }

    /// Where the cursor is in `tokens`: on the character after it.
    public var cursorIndex: Int { primeTokens.count + session.cursor }

    func rows(width: Int, widths: ColumnWidth = .standard) -> TextRows {
        TextRows(tokens: tokens, symbols: symbols, width: width, widths: widths)
    }

    /// The branch tree, depth first, children in the order they were made: each line indented
    /// by its depth, with the branch's number, where it split off, its length and mean bits/char.
    public var treeLines: [(text: String, isCurrent: Bool)] {
        let branches = session.branches
        func lines(_ b: Branch, depth: Int) -> [(String, Bool)] {
            let indent = depth == 0 ? "" : String(repeating: "  ", count: depth - 1) + "└ "
            let line = (indent + SteerScreen.describe(b), b.index == session.current)
            return [line] + branches.filter { $0.parent == b.index }.flatMap { lines($0, depth: depth + 1) }
        }
        return lines(branches[0], depth: 0)
    }

    /// "2 from 1 at 12 · 57 ch · 1.84 bits/ch".
    static func describe(_ b: Branch) -> String {
        let origin = b.parent.map { " from \($0 + 1) at \(b.forkPosition)" } ?? ""
        let bits = b.meanBitsPerCharacter.map { " · " + NumberText.fixed($0, decimals: 2) + " bits/ch" } ?? ""
        return "\(b.index + 1)\(origin) · \(b.count) ch" + bits
    }
}

extension KeyMap {
    /// Steer mode: digits choose, the arrows rewind and switch branches; printable keys never
    /// edit the prime.
    static func steerAction(for key: Key, helpShown: Bool) -> PlayAction? {
        switch key {
        case .up where helpShown: .scrollHelp(-1)
        case .down where helpShown: .scrollHelp(1)
        case .pageUp where helpShown: .scrollHelp(-KeyMap.helpPage)
        case .pageDown where helpShown: .scrollHelp(KeyMap.helpPage)
        case .character(let s) where ("1"..."9").contains(s): .steer(.choose(Int(s.value) - 0x30))
        case .character(" "): .steer(.sample)
        case .left: .steer(.back)
        case .right: .steer(.forward)
        case .home: .steer(.toStart)
        case .end: .steer(.toEnd)
        case .up: .steer(.previousBranch)
        case .down: .steer(.nextBranch)
        case .character("b"): .steer(.toggleBranches)
        case .enter: .steer(.resume)
        case .character("w"): .steer(.save(all: false))
        case .character("W"): .steer(.save(all: true))
        case .control("t"): .toggleTint
        case .character("+"): .moreBars
        case .character("-"): .fewerBars
        case .function(1): .toggleHelp
        case .function(2): .steer(.leave)
        case .function(10), .control("c"): .quit
        case .escape: helpShown ? .toggleHelp : .steer(.leave)
        case .resize: .relayout
        default: nil
        }
    }

    /// (keys, what they do) in steer mode, in the order the help overlay lists them.
    public static let steerHelp: [(keys: String, action: String)] = [
        ("1 … 9", "put the numbered candidate after the cursor"),
        ("Space", "sample one character with the stream's sampler"),
        ("Left  Right", "cursor back (rewinds: bars as they were there) / on along the branch"),
        ("Home  End", "cursor to the prime / to the end of the branch"),
        ("", "a different character before the end starts a new branch"),
        ("Up  Down", "previous / next branch"),
        ("b", "branch tree: where each split off, its length, mean bits/char"),
        ("w  W", "save this branch / every branch to a file (named in the status line)"),
        ("+  -", "more / fewer bars"),
        ("Ctrl-T", "tint the text before the cursor by surprisal"),
        ("Enter", "stream on from the cursor"),
        ("F2  Esc", "back to the streams, as they were (Esc closes this help first)"),
        ("F1", "this help (Up/Down, PgUp/PgDn scroll it)"),
        ("F10  Ctrl-C", "quit"),
    ]
}
