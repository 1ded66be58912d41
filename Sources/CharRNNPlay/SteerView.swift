import CharRNN

/// Draws steer mode: the prime and the current branch with the cursor on the character after
/// it (the text before it plain, or tinted by surprisal, the rest of the branch dimmed), the
/// numbered bars of that character, the branch tree on request, and the keys in the bottom line.
public enum SteerView {
    static func draw(
        _ c: PlayController, _ screen: SteerScreen, layout: Layout, into frame: inout Frame, widths: ColumnWidth
    ) {
        guard let pane = layout.streams.first else { return }
        let s = screen.session
        let rows = screen.rows(width: pane.text.width, widths: widths)
        let cursor = screen.cursorIndex
        let primeCount = screen.primeTokens.count
        var start = top(rows, cursor: cursor, height: pane.text.height)
        for r in 0..<pane.text.height where start < rows.count {
            let end = rows.rowEnd(start)
            var column = 0
            var run = (text: "", style: Style.plain, column: 0)
            func flush() {
                if !run.text.isEmpty {
                    frame.put(
                        run.text, row: pane.text.row + r, column: pane.text.column + run.column, style: run.style,
                        widths: widths)
                }
                run.text = ""
            }
            for i in start..<end {
                let w = rows.columns(at: i, column: column)
                let style: Style
                if i == cursor {
                    style = .cursor
                    frame.cursor = (pane.text.row + r, pane.text.column + column)
                } else if i < primeCount {
                    style = .prime
                } else if i > cursor {
                    style = .dim
                } else {
                    let bits = -s.branch.logProbabilities[i - primeCount] / Double.log(2)
                    style = c.state.tint ? StreamText.tint(Float(bits)) : .plain
                }
                if style != run.style { flush() }
                if run.text.isEmpty { run = ("", style, column) }
                let onNewline = i == cursor && rows.symbol(at: i) == "\n"
                run.text += onNewline ? String(Glyphs.newline) : rows.cellText(at: i, columns: w)
                column += w
            }
            flush()
            start = end
        }
        if let bars = pane.bars {
            let pane = DistributionPane(
                distribution: c.steerBars, barCount: c.state.barCount, title: "next · 1-9 picks")
            pane.draw(into: &frame, at: bars, widths: widths)
            for n in 0..<c.steerBarsShown {
                frame.put("\(n + 1)", row: bars.row + 1 + n, column: bars.column, style: .label, widths: widths)
            }
        }
        if screen.branchesShown { drawTree(screen, in: pane.text, into: &frame, widths: widths) }
        var column = 0
        for part in FunctionKeyBar.parts(for: .steer, columns: layout.input.width, widths: widths) {
            frame.put(part.text, row: layout.input.row, column: column, style: part.style, widths: widths)
            column += widths.columns(of: part.text)
        }
    }

    /// The first character of the pane's top row: the cursor's row as low as leaves the rest
    /// of the branch (up to half the pane) in view below it.
    static func top(_ rows: TextRows, cursor: Int, height: Int) -> Int {
        var after = 0
        var next = rows.rowStart(containing: cursor)
        let cursorRow = next
        while after < height / 2, let row = rows.nextRow(next) {
            after += 1
            next = row
        }
        var first = cursorRow
        for _ in 0..<max(0, height - 1 - after) {
            guard let row = rows.previousRow(first) else { break }
            first = row
        }
        return first
    }

    /// The branch tree in a box at the top of the text pane, the current branch marked ▶.
    private static func drawTree(_ screen: SteerScreen, in rect: Rect, into frame: inout Frame, widths: ColumnWidth) {
        let lines = screen.treeLines.map { ($0.isCurrent ? "▶ " : "  ") + $0.text }
        let inner = min(rect.width - 2, (lines.map { widths.columns(of: $0) }.max() ?? 0) + 2)
        let height = min(lines.count, rect.height - 2)
        guard inner > 4, height > 0 else { return }
        let title = " branches "
        frame.put(
            "┌" + widths.fit("─" + title + String(repeating: "─", count: inner), columns: inner) + "┐", row: rect.row,
            column: rect.column, style: .help, widths: widths)
        // The current branch stays in view when the tree is taller than the pane.
        let current = screen.treeLines.firstIndex { $0.isCurrent } ?? 0
        let first = max(0, min(current - height + 1, lines.count - height))
        for i in 0..<height {
            frame.put(
                "│" + widths.fit(" " + widths.ellipsized(lines[first + i], columns: inner - 2), columns: inner) + "│",
                row: rect.row + 1 + i, column: rect.column, style: .help, widths: widths)
        }
        frame.put(
            "└" + String(repeating: "─", count: inner) + "┘", row: rect.row + 1 + height, column: rect.column,
            style: .help, widths: widths)
    }

    /// The status line in steer mode: checkpoint, STEER, the stream's temperature and sampler,
    /// the branch, the cursor's place in it, and the branch's mean bits/char.
    static func statusLine(_ c: PlayController, _ screen: SteerScreen) -> StatusLine {
        let model = c.session.model
        let s = screen.session
        let settings = s.stream.settings
        let t = NumberText.fixed(Double(settings.temperature), decimals: 2)
        var fields: [StatusLine.Field] = [
            .init(
                [model.name, ColumnWidth.standard.ellipsized(model.name, columns: 10)],
                priority: PlayView.namePriority),
            .init(["STEER"], priority: StatusLine.essential),
            .init(["T=" + t], priority: StatusLine.essential),
            .init([settings.methodSummary], priority: 3),
            .init(["branch \(s.current + 1)/\(s.branches.count)"], priority: StatusLine.essential),
            .init(["at \(s.cursor)/\(s.branch.count)"], priority: 5),
        ]
        if let bits = s.branch.meanBitsPerCharacter {
            fields.append(.init([NumberText.fixed(bits, decimals: 2) + " bits/ch"], priority: 4))
        }
        return StatusLine(fields)
    }
}
