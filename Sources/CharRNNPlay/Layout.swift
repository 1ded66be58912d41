/// A rectangle of terminal cells.
public struct Rect: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var width: Int
    public var height: Int

    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = width
        self.height = height
    }
}

/// Where everything goes for a terminal size:
///
///     status line                                      (row 0)
///     stream text            │ distribution           (single stream)
///     prime› input line                                (last row)
///
/// Side by side, each half has a label row, its text and, when there is room, its bars below.
/// Narrow terminals put the single stream's bars below the text, or leave them out.
public struct Layout: Equatable, Sendable {
    public struct StreamPane: Equatable, Sendable {
        public var label: Rect?
        public var text: Rect
        public var bars: Rect?
    }

    public static let minimumWidth = 30
    public static let minimumHeight = 6
    /// The distribution pane beside a single stream, in columns.
    public static let sideBarsWidth = 34

    public var status: Rect
    public var streams: [StreamPane]
    /// Columns of the vertical separators, drawn from row 1 to the row above the input.
    public var separators: [Int]
    public var input: Rect

    /// Side-by-side columns narrower than this are stacked in rows instead.
    public static let minimumColumnWidth = 16

    /// nil when the terminal is smaller than `minimumWidth` × `minimumHeight`. Side by side,
    /// `columns` streams (2 to 4) share the width; when more than two would each be narrower
    /// than `minimumColumnWidth` they are stacked, each a label row and text, as many as fit.
    public init?(width: Int, height: Int, sideBySide: Bool, barCount: Int, columns: Int = 2) {
        guard width >= Layout.minimumWidth, height >= Layout.minimumHeight else { return nil }
        status = Rect(row: 0, column: 0, width: width, height: 1)
        input = Rect(row: height - 1, column: 0, width: width, height: 1)
        let body = Rect(row: 1, column: 0, width: width, height: height - 2)
        let wantedBarsHeight = barCount + 1  // title row + one row per bar
        let n = max(1, columns)
        // Column widths: a blank column either side of each separator; the last takes the rest.
        let each = (width - 3 * (n - 1)) / n
        if sideBySide, n > 2, each < Layout.minimumColumnWidth {
            let rows = min(n, body.height / 2)
            let height = body.height / rows
            streams = (0..<rows).map { i in
                let top = body.row + i * height
                return StreamPane(
                    label: Rect(row: top, column: 0, width: width, height: 1),
                    text: Rect(row: top + 1, column: 0, width: width, height: height - 1), bars: nil)
            }
            separators = []
        } else if sideBySide {
            streams = (0..<n).map { i in
                let columnWidth = i == n - 1 ? width - 3 * (n - 1) - each * (n - 1) : each
                return Layout.column(
                    Rect(row: body.row, column: i * (each + 3), width: columnWidth, height: body.height),
                    wantedBarsHeight)
            }
            separators = (1..<n).map { $0 * (each + 3) - 2 }
        } else if width >= 2 * Layout.sideBarsWidth {
            let barsWidth = Layout.sideBarsWidth
            let textWidth = width - barsWidth - 2  // a blank column before the separator
            streams = [
                StreamPane(
                    label: nil,
                    text: Rect(row: body.row, column: 0, width: textWidth, height: body.height),
                    bars: Rect(
                        row: body.row, column: textWidth + 2, width: barsWidth,
                        height: min(body.height, wantedBarsHeight)))
            ]
            separators = [textWidth + 1]
        } else {
            streams = [Layout.stacked(body, wantedBarsHeight, label: false)]
            separators = []
        }
    }

    /// One half of the side-by-side screen: a label row, the text, the bars below if they fit.
    private static func column(_ area: Rect, _ wantedBarsHeight: Int) -> StreamPane {
        stacked(area, wantedBarsHeight, label: true)
    }

    /// Text above bars; bars get at most half the height and only when the text keeps three
    /// rows and the bars at least two (title and one bar).
    private static func stacked(_ area: Rect, _ wantedBarsHeight: Int, label: Bool) -> StreamPane {
        var top = area.row
        var height = area.height
        var labelRect: Rect?
        if label {
            labelRect = Rect(row: top, column: area.column, width: area.width, height: 1)
            top += 1
            height -= 1
        }
        let barsHeight = min(wantedBarsHeight, height / 2)
        if barsHeight >= 2, height - barsHeight - 1 >= 3 {
            let textHeight = height - barsHeight - 1  // one blank row between text and bars
            return StreamPane(
                label: labelRect,
                text: Rect(row: top, column: area.column, width: area.width, height: textHeight),
                bars: Rect(row: top + textHeight + 1, column: area.column, width: area.width, height: barsHeight))
        }
        return StreamPane(
            label: labelRect, text: Rect(row: top, column: area.column, width: area.width, height: height),
            bars: nil)
    }
}
