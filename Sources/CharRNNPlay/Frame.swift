/// One screenful, as plain data: styled text placed at rows and columns. View models build
/// frames; the curses screen draws them (and curses sends only what changed); tests read them
/// as text.
public struct Frame: Equatable, Sendable {
    public struct Text: Equatable, Sendable {
        public var row: Int
        public var column: Int
        public var text: String
        public var style: Style

        public init(row: Int, column: Int, text: String, style: Style) {
            self.row = row
            self.column = column
            self.text = text
            self.style = style
        }
    }

    public var width: Int
    public var height: Int
    /// Drawn in order; later texts overwrite earlier ones where they overlap.
    public private(set) var texts: [Text] = []
    /// Where the terminal cursor should rest (the end of the prime line); nil hides it.
    public var cursor: (row: Int, column: Int)?

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Places `text` at (row, column), clipped to the frame.
    public mutating func put(
        _ text: String, row: Int, column: Int, style: Style = .plain, widths: ColumnWidth = .standard
    ) {
        guard row >= 0, row < height, column >= 0, column < width, !text.isEmpty else { return }
        let clipped = widths.prefix(text, columns: width - column)
        guard !clipped.isEmpty else { return }
        texts.append(Text(row: row, column: column, text: clipped, style: style))
    }

    /// The frame as lines of plain text (each exactly `width` columns, wide characters
    /// followed by an empty cell): what a terminal would show, without styles.
    public func lines(widths: ColumnWidth = .standard) -> [String] {
        cells(widths: widths).map { row in row.map { $0.text }.joined() }
    }

    /// The style at each cell, for tests that check highlighting.
    public func style(row: Int, column: Int, widths: ColumnWidth = .standard) -> Style? {
        let grid = cells(widths: widths)
        guard row >= 0, row < grid.count, column >= 0, column < width else { return nil }
        return grid[row][column].style
    }

    private func cells(widths: ColumnWidth) -> [[(text: String, style: Style?)]] {
        var grid = Array(
            repeating: Array(repeating: (text: " ", style: Style?.none), count: width), count: height)
        for t in texts {
            var column = t.column
            for scalar in t.text.unicodeScalars {
                let w = widths.columns(scalar)
                if w == 0 {
                    if column > t.column { grid[t.row][column - 1].text.unicodeScalars.append(scalar) }
                    continue
                }
                guard column + w <= width else { break }
                grid[t.row][column] = (String(scalar), t.style)
                for extra in 1..<max(w, 1) { grid[t.row][column + extra] = ("", t.style) }
                column += w
            }
        }
        return grid
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.width == b.width && a.height == b.height && a.texts == b.texts
            && a.cursor?.row == b.cursor?.row && a.cursor?.column == b.cursor?.column
    }
}

/// What a piece of text means; the screen turns each into colours and attributes.
public enum Style: Hashable, Sendable {
    case plain
    /// The prime text at the start of a stream.
    case prime
    /// Generated text tinted by surprisal: 0 expected … 3 very surprising.
    case surprisal(Int)
    case status
    /// Errors and notices in the status line.
    case alert
    case label
    case dim
    case bar
    /// The row of the character just drawn, in the distribution pane.
    case chosen
    case input
    case help
    case helpTitle
    /// Read mode: a character tinted by its rank bucket (`RankBucket.rawValue`).
    case rank(Int)
    /// F4: a character tinted by a hidden unit's value (`DivergingTint.step`, −4…4).
    case unit(Int)
    /// Read mode: the character under the cursor.
    case cursor
    /// The bottom line's keys ("F1") and what they do ("Help"), htop-style.
    case functionKey
    case functionLabel
}
