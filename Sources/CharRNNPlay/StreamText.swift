/// The text of one stream (prime, then generated characters) and its wrapping into screen rows.
/// Only the most recent `capacity` characters are kept; the pane shows the last rows.
public struct StreamText: Sendable {
    public struct Character: Equatable, Sendable {
        /// nil for the `[UNK]` token.
        public var symbol: Unicode.Scalar?
        public var isPrime: Bool
        /// In bits; 0 for prime characters.
        public var surprisal: Float
    }

    /// One screen cell: a visible string (a scalar, maybe with combining marks), its width.
    public struct Cell: Equatable, Sendable {
        public var text: String
        public var columns: Int
        public var style: Style
    }

    public static let tabWidth = 8

    public private(set) var characters: [Character] = []
    public let capacity: Int
    /// Total characters generated since the last clear (not counting the prime).
    public private(set) var generatedCount = 0

    public init(capacity: Int = 32_768) {
        precondition(capacity >= 16)
        self.capacity = capacity
        characters.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { characters.isEmpty }

    public mutating func clear() {
        characters.removeAll(keepingCapacity: true)
        generatedCount = 0
    }

    public mutating func appendPrime(_ prime: String) {
        for s in prime.unicodeScalars { append(Character(symbol: s, isPrime: true, surprisal: 0)) }
    }

    public mutating func append(_ generated: GeneratedCharacter) {
        generatedCount += 1
        append(Character(symbol: generated.symbol, isPrime: false, surprisal: generated.surprisal))
    }

    /// Replaces the generated characters with `text` (a beam search's best beam so far), no
    /// surprisal shown; the prime stays.
    public mutating func replaceGenerated(with text: String) {
        characters.removeAll { !$0.isPrime }
        generatedCount = 0
        for s in text.unicodeScalars.suffix(capacity - characters.count) {
            append(GeneratedCharacter(symbol: s == Glyphs.unknown ? nil : s, surprisal: 0))
        }
    }

    private mutating func append(_ c: Character) {
        if characters.count == capacity { characters.removeFirst(capacity / 4) }
        characters.append(c)
    }

    /// The plain text (prime and generated), for tests.
    public var text: String {
        var view = String.UnicodeScalarView()
        for c in characters { view.append(c.symbol ?? Glyphs.unknown) }
        return String(view)
    }

    /// How many generated characters `repeatingPeriod` looks at, and the longest cycle it finds.
    public static let repeatWindow = 48
    public static let longestRepeatPeriod = 16

    /// The period of the cycle the last `repeatWindow` generated characters repeat (at least
    /// three times over for the longest cycle: "\n\n\n…" is 1, "the the the …" is 4); nil when they
    /// do not, or fewer were generated. A greedy stream stuck in a loop shows it this way.
    public var repeatingPeriod: Int? {
        let n = StreamText.repeatWindow
        guard generatedCount >= n, characters.count >= n else { return nil }
        let tail = characters[(characters.count - n)...].map(\.symbol)
        return (1...StreamText.longestRepeatPeriod).first { p in (p..<n).allSatisfy { tail[$0] == tail[$0 - p] } }
    }

    /// The last `height` rows of the text wrapped at `width` columns. Newlines end rows (the
    /// row after a final newline is empty), tabs advance to the next multiple of 8, control
    /// characters show as control pictures. With `tint`, generated characters are styled by
    /// surprisal; prime characters are always `.prime`. `unitStyle` (F4), given a generated
    /// character's number (0 for the first generated), styles it over the surprisal tint.
    public func lastRows(
        width: Int, height: Int, tint: Bool, unitStyle: ((Int) -> Style?)? = nil, widths: ColumnWidth = .standard
    ) -> [[Cell]]
    {
        guard width > 0, height > 0 else { return [] }
        // Walk logical lines backwards, collecting row starts, until the pane is full.
        var rowRanges: [Range<Int>] = []  // most recent first
        var lineEnd = characters.count  // exclusive; the newline (if any) is at lineEnd
        while rowRanges.count < height {
            var lineStart = lineEnd
            while lineStart > 0, characters[lineStart - 1].symbol != "\n" { lineStart -= 1 }
            let starts = rowStarts(from: lineStart, to: lineEnd, width: width, widths: widths)
            for (i, start) in starts.enumerated().reversed() {
                let end = i + 1 < starts.count ? starts[i + 1] : lineEnd
                rowRanges.append(start..<end)
                if rowRanges.count == height { break }
            }
            if lineStart == 0 { break }
            lineEnd = lineStart - 1
        }
        return rowRanges.reversed().map { cells($0, width: width, tint: tint, unitStyle: unitStyle, widths: widths) }
    }

    /// The first character index of each row of the logical line [start, end), wrapping at
    /// word boundaries: a word that reaches the edge moves to the next row whole, unless it is
    /// longer than a row; a space that reaches the edge ends the row (it is not drawn).
    private func rowStarts(from start: Int, to end: Int, width: Int, widths: ColumnWidth) -> [Int] {
        var starts = [start]
        var column = 0
        var wordStart: Int?  // index after the last space of the current row
        var i = start
        while i < end {
            let c = characters[i]
            let w = columns(of: c, at: column, width: width, widths: widths)
            if w <= width - column {
                column += w
                if c.symbol == " " || c.symbol == "\t" { wordStart = i + 1 }
                i += 1
                continue
            }
            if c.symbol == " " {  // swallowed at the end of the row
                starts.append(i + 1)
                column = 0
                wordStart = nil
                i += 1
                continue
            }
            let rowStart = wordStart.flatMap { $0 > starts[starts.count - 1] && $0 < i ? $0 : nil } ?? i
            starts.append(rowStart)
            wordStart = nil
            column = 0
            i = rowStart  // lay the moved word out again from the start of the row
        }
        if starts.count > 1, starts[starts.count - 1] == end { starts.removeLast() }
        return starts
    }

    /// Columns a character takes when it starts at `column`: tabs run to the next tab stop
    /// (or the end of the row), a combining mark joins the cell before it (or gets a dotted
    /// circle of its own at the start of a row), `[UNK]` and control pictures take one.
    private func columns(of c: Character, at column: Int, width: Int, widths: ColumnWidth) -> Int {
        guard let s = c.symbol else { return 1 }
        if s == "\t" {
            return max(1, min(StreamText.tabWidth - column % StreamText.tabWidth, width - column))
        }
        if s == "\n" { return 0 }
        if Glyphs.controlPicture(s) != nil { return 1 }
        let w = widths.columns(s)
        return w == 0 && column == 0 ? 1 : min(w, width)
    }

    private func cells(
        _ range: Range<Int>, width: Int, tint: Bool, unitStyle: ((Int) -> Style?)?, widths: ColumnWidth
    ) -> [Cell] {
        var row: [Cell] = []
        var column = 0
        for i in range {
            let c = characters[i]
            let unit = c.isPrime ? nil : unitStyle?(generatedCount - (characters.count - i))
            let style: Style = c.isPrime ? .prime : unit ?? (tint ? StreamText.tint(c.surprisal) : .plain)
            let w = columns(of: c, at: column, width: width, widths: widths)
            guard w <= width - column else { continue }  // a space swallowed at the edge
            guard let s = c.symbol else {
                row.append(Cell(text: String(Glyphs.unknown), columns: 1, style: style))
                column += 1
                continue
            }
            switch s {
            case "\n":
                continue
            case "\t":
                row.append(Cell(text: String(repeating: " ", count: w), columns: w, style: style))
            case _ where Glyphs.controlPicture(s) != nil:
                row.append(Cell(text: String(Glyphs.controlPicture(s)!), columns: 1, style: style))
            case _ where widths.columns(s) == 0:
                if column > 0, !row.isEmpty {
                    row[row.count - 1].text.unicodeScalars.append(s)
                } else {
                    row.append(Cell(text: Glyphs.label(s, width: widths), columns: 1, style: style))
                }
            default:
                row.append(Cell(text: String(s), columns: w, style: style))
            }
            column += w
        }
        return row
    }

    /// Surprisal bands, in bits: under 1 (expected), under 3, under 6, and beyond.
    public static func tint(_ surprisal: Float) -> Style {
        switch surprisal {
        case ..<1: return .surprisal(0)
        case ..<3: return .surprisal(1)
        case ..<6: return .surprisal(2)
        default: return .surprisal(3)
        }
    }
}
