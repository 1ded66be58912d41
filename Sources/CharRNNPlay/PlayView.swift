/// Draws the play screen (status line, streams, bars, prime line, help) into a `Frame`.
public enum PlayView {
    public static let primePrompt = "prime› "

    public static func frame(
        _ c: PlayController, width: Int, height: Int, widths: ColumnWidth = .standard
    ) -> Frame {
        var frame = Frame(width: max(0, width), height: max(0, height))
        let state = c.state
        guard
            let layout = Layout(
                width: width, height: height, sideBySide: state.sideBySide, barCount: state.barCount)
        else {
            drawTooSmall(into: &frame, widths: widths)
            return frame
        }
        drawStatus(c, into: &frame, rect: layout.status, widths: widths)
        let labels = state.streamLabels
        for (i, pane) in layout.streams.enumerated() where i < c.texts.count {
            if let label = pane.label, i < labels.count {
                frame.put(
                    widths.fit(" " + labels[i], columns: label.width), row: label.row,
                    column: label.column, style: .label, widths: widths)
            }
            drawText(c.texts[i], tint: state.tint, into: &frame, rect: pane.text, widths: widths)
            if let bars = pane.bars, i < c.distributions.count {
                DistributionPane(distribution: c.distributions[i], barCount: state.barCount)
                    .draw(into: &frame, at: bars, widths: widths)
            }
        }
        if !state.running, c.texts.allSatisfy(\.isEmpty), let first = layout.streams.first {
            frame.put(
                " Type a prime and press Enter.  F1: keys", row: first.text.row, column: first.text.column,
                style: .dim, widths: widths)
        }
        for column in layout.separators {
            for row in (layout.status.row + 1)..<layout.input.row {
                frame.put("│", row: row, column: column, style: .dim, widths: widths)
            }
        }
        drawInput(state.primeLine, into: &frame, rect: layout.input, widths: widths)
        if state.helpShown { drawHelp(into: &frame, widths: widths) }
        return frame
    }

    /// The status line's parts, most important first: checkpoint, cell and size, temperature,
    /// sampler, pause, random seed, characters per second, speed setting.
    public static func statusParts(_ c: PlayController) -> [String] {
        let state = c.state
        let model = c.session.model
        var parts = [model.name, model.config.architecture, "T=" + state.temperatureText, state.sampler.methodSummary]
        if state.paused { parts.append("PAUSED") }
        if let seed = c.randomSeed { parts.append("seed \(seed)") }
        if state.running, !state.paused {
            parts.append(c.charactersPerSecond.map { "\(Int($0.rounded())) ch/s" } ?? "– ch/s")
        }
        parts.append(state.speedText)
        return parts
    }

    private static func drawStatus(_ c: PlayController, into frame: inout Frame, rect: Rect, widths: ColumnWidth) {
        let parts = statusParts(c)
        let info = " " + parts.joined(separator: " │ ")
        frame.put(widths.fit(info, columns: rect.width), row: rect.row, column: 0, style: .status, widths: widths)
        guard let notice = c.currentNotice else { return }
        let text = (notice.isError ? "⚠ " : "") + notice.text + " "
        let style: Style = notice.isError ? .alert : .status
        if widths.columns(of: info) + 2 + widths.columns(of: text) <= rect.width {
            frame.put(text, row: rect.row, column: rect.width - widths.columns(of: text), style: style, widths: widths)
        } else {
            // Keep the checkpoint name; the notice takes the rest of the line for a while.
            let head = " " + parts[0] + " │ "
            frame.put(widths.fit(head, columns: rect.width), row: rect.row, column: 0, style: .status, widths: widths)
            frame.put(
                widths.fit(text, columns: rect.width - widths.columns(of: head)), row: rect.row,
                column: widths.columns(of: head), style: style, widths: widths)
        }
    }

    private static func drawText(
        _ text: StreamText, tint: Bool, into frame: inout Frame, rect: Rect, widths: ColumnWidth
    ) {
        let rows = text.lastRows(width: rect.width, height: rect.height, tint: tint, widths: widths)
        for (r, cells) in rows.enumerated() {
            var column = rect.column
            var run = ""
            var runStart = column
            var runStyle: Style?
            for cell in cells {
                if cell.style != runStyle, let style = runStyle {
                    frame.put(run, row: rect.row + r, column: runStart, style: style, widths: widths)
                    run = ""
                }
                if run.isEmpty { runStart = column }
                runStyle = cell.style
                run += cell.text
                column += cell.columns
            }
            if let style = runStyle, !run.isEmpty {
                frame.put(run, row: rect.row + r, column: runStart, style: style, widths: widths)
            }
        }
    }

    private static func drawInput(_ primeLine: String, into frame: inout Frame, rect: Rect, widths: ColumnWidth) {
        let prompt = primePrompt
        let hint = "F1 help "
        let room = rect.width - widths.columns(of: prompt) - 1
        let shown = widths.suffix(Glyphs.inline(primeLine), columns: room)
        let line = prompt + shown
        frame.put(widths.fit(line, columns: rect.width), row: rect.row, column: 0, style: .input, widths: widths)
        if widths.columns(of: line) + widths.columns(of: hint) + 2 <= rect.width {
            frame.put(
                hint, row: rect.row, column: rect.width - widths.columns(of: hint), style: .input,
                widths: widths)
        }
        frame.cursor = (rect.row, widths.columns(of: line))
    }

    private static func drawHelp(into frame: inout Frame, widths: ColumnWidth) {
        let keysWidth = KeyMap.help.map { widths.columns(of: $0.keys) }.max() ?? 0
        let lines = KeyMap.help.map { widths.fit($0.keys, columns: keysWidth) + "   " + $0.action }
        let innerWidth = min((lines.map { widths.columns(of: $0) }.max() ?? 0) + 2, frame.width - 4)
        let innerHeight = min(lines.count, frame.height - 4)
        guard innerWidth > 4, innerHeight > 0 else { return }
        let top = (frame.height - innerHeight - 2) / 2
        let left = (frame.width - innerWidth - 2) / 2
        let title = " keys "
        let rule = String(repeating: "─", count: innerWidth)
        frame.put(
            "┌" + widths.fit("─" + title + rule, columns: innerWidth) + "┐", row: top, column: left,
            style: .help, widths: widths)
        frame.put(title, row: top, column: left + 2, style: .helpTitle, widths: widths)
        for i in 0..<innerHeight {
            frame.put(
                "│" + widths.fit(" " + lines[i], columns: innerWidth) + "│", row: top + 1 + i, column: left,
                style: .help, widths: widths)
        }
        frame.put("└" + rule + "┘", row: top + 1 + innerHeight, column: left, style: .help, widths: widths)
    }

    private static func drawTooSmall(into frame: inout Frame, widths: ColumnWidth) {
        let lines = [
            "Terminal too small",
            "\(frame.width)×\(frame.height), need \(Layout.minimumWidth)×\(Layout.minimumHeight)",
        ]
        for (i, line) in lines.enumerated() where i < frame.height {
            frame.put(line, row: i, column: 0, style: .alert, widths: widths)
        }
        frame.cursor = nil
    }
}
