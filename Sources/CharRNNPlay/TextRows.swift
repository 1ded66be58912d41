/// A long text (token ids and each token's character) wrapped into screen rows for read mode,
/// found from any position without laying out what comes before: rows break after a newline,
/// where the next character would pass the right edge, and every `hardBreak` characters of a
/// line longer than that, so no search goes further back than `hardBreak` characters.
/// Every character takes at least one cell, newlines included (the cursor can sit on them).
public struct TextRows {
    public static let hardBreak = 4096

    public let tokens: [Int32]
    /// The character of each token id (U+FFFD for `[UNK]`).
    public let symbols: [Unicode.Scalar]
    public let width: Int
    public let widths: ColumnWidth

    public init(tokens: [Int32], symbols: [Unicode.Scalar], width: Int, widths: ColumnWidth = .standard) {
        self.tokens = tokens
        self.symbols = symbols
        self.width = max(1, width)
        self.widths = widths
    }

    public var count: Int { tokens.count }

    public func symbol(at i: Int) -> Unicode.Scalar { symbols[Int(tokens[i])] }

    /// Columns of character i starting at `column`: tabs run to the next tab stop, newlines,
    /// control characters and lone marks take one, wide characters two.
    public func columns(at i: Int, column: Int) -> Int {
        let s = symbol(at: i)
        if s == "\t" { return max(1, min(StreamText.tabWidth - column % StreamText.tabWidth, width - column)) }
        if s == "\n" || Glyphs.controlPicture(s) != nil { return 1 }
        return max(1, min(widths.columns(s), width))
    }

    /// What character i shows in its cell(s).
    public func cellText(at i: Int, columns: Int) -> String {
        let s = symbol(at: i)
        switch s {
        case "\n", "\t", " ": return String(repeating: " ", count: columns)
        default: return Glyphs.controlPicture(s).map { String($0) } ?? Glyphs.label(s, width: widths)
        }
    }

    /// The first character of the row after the one starting at `start`; `count` at the end.
    public func rowEnd(_ start: Int) -> Int {
        var column = 0
        var i = start
        while i < count {
            if symbol(at: i) == "\n" { return i + 1 }
            let w = columns(at: i, column: column)
            if column > 0, column + w > width { return i }
            column += w
            i += 1
            if i % TextRows.hardBreak == 0 { return i }
        }
        return count
    }

    /// The start of the row holding character i.
    public func rowStart(containing i: Int) -> Int {
        var start = i
        let floor = i / TextRows.hardBreak * TextRows.hardBreak
        while start > floor, symbol(at: start - 1) != "\n" { start -= 1 }
        while true {
            let end = rowEnd(start)
            if end > i || end >= count { return start }
            start = end
        }
    }

    /// The start of the row before the one starting at `start`; nil for the first.
    public func previousRow(_ start: Int) -> Int? { start > 0 ? rowStart(containing: start - 1) : nil }

    /// The start of the row after the one starting at `start`; nil for the last.
    public func nextRow(_ start: Int) -> Int? {
        let end = rowEnd(start)
        return end < count ? end : nil
    }

    /// The column character i starts at in its row.
    public func column(of i: Int) -> Int {
        var column = 0
        for j in rowStart(containing: i)..<i { column += columns(at: j, column: column) }
        return column
    }

    /// The character at `column` of the row starting at `start` (its last one when the row is
    /// shorter).
    public func index(row start: Int, column target: Int) -> Int {
        let end = rowEnd(start)
        var column = 0
        for i in start..<end - 1 {
            let w = columns(at: i, column: column)
            if column + w > target { return i }
            column += w
        }
        return end - 1
    }

    /// The character `rows` rows below (negative: above) character i, at its column as near as
    /// the row allows; the first or last row when the text ends before.
    public func moved(_ i: Int, rows: Int) -> Int {
        let column = column(of: i)
        var start = rowStart(containing: i)
        for _ in 0..<abs(rows) {
            guard let next = rows > 0 ? nextRow(start) : previousRow(start) else { break }
            start = next
        }
        return index(row: start, column: column)
    }

    /// A top row for a pane `height` rows tall that shows character `cursor`: `top` (snapped to
    /// its row's start) when it does, else the nearest that does.
    public func top(_ top: Int, showing cursor: Int, height: Int) -> Int {
        guard count > 0 else { return 0 }
        let current = rowStart(containing: min(max(0, top), count - 1))
        let cursorRow = rowStart(containing: cursor)
        if cursorRow <= current { return cursorRow }
        var first = cursorRow
        for _ in 1..<max(1, height) where first > current { first = previousRow(first)! }
        return max(first, current)
    }
}
