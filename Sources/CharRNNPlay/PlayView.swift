import CharRNN

/// Draws the play screen (status line, streams, bars, prime line, help) into a `Frame`.
public enum PlayView {
    public static let primePrompt = "prime› "
    /// Shown on a stream whose last characters repeat a short cycle.
    public static let repeatingMark = "↻ repeating"
    /// Rows a notice too long for the status line may take above the prime line.
    public static let noticeRows = 3
    /// The tint's legend: surprisal bands in bits, in the tint's styles (`StreamText.tint`).
    public static let tintLegend: [(text: String, style: Style)] = [
        ("<1", .surprisal(0)), ("<3", .surprisal(1)), ("<6", .surprisal(2)), ("6+ bits", .surprisal(3)),
    ]

    public static func frame(
        _ c: PlayController, width: Int, height: Int, widths: ColumnWidth = .standard
    ) -> Frame {
        var frame = Frame(width: max(0, width), height: max(0, height))
        let state = c.state
        let document = state.mode == .read ? c.document : nil
        let steer = state.mode == .steer ? c.steer : nil
        guard
            let layout = Layout(
                width: width, height: height,
                sideBySide: (state.sideBySide || state.versus) && document == nil && steer == nil,
                barCount: state.barCount, columns: state.samplers.count)
        else {
            drawTooSmall(into: &frame, widths: widths)
            return frame
        }
        let wrappedNotice = drawStatus(c, into: &frame, rect: layout.status, widths: widths)
        let labels = versusLabels(c) ?? state.streamLabels
        if let document { ReadView.draw(c, document, layout: layout, into: &frame, widths: widths) }
        if let steer { SteerView.draw(c, steer, layout: layout, into: &frame, widths: widths) }
        for (i, pane) in layout.streams.enumerated() where i < c.texts.count && document == nil && steer == nil {
            let repeating = c.texts[i].repeatingPeriod != nil
            if let label = pane.label, i < labels.count {
                let score = c.session.bestBeam(stream: i).map {
                    " · ln p " + NumberText.fixed($0.logProbability, decimals: 1)
                }
                frame.put(
                    widths.fit(" " + labels[i] + (score ?? ""), columns: label.width), row: label.row,
                    column: label.column, style: .label, widths: widths)
            }
            drawText(
                c.texts[i], tint: state.tint, unitStyle: c.unitStyle(stream: i), into: &frame, rect: pane.text,
                widths: widths)
            if repeating {
                // In the label row when there is one, else over the end of the text's top row.
                let row =
                    pane.label ?? Rect(row: pane.text.row, column: pane.text.column, width: pane.text.width, height: 1)
                let mark = " " + widths.ellipsized(repeatingMark, columns: max(0, row.width - 2)) + " "
                frame.put(
                    mark, row: row.row, column: row.column + max(0, row.width - widths.columns(of: mark)),
                    style: .alert, widths: widths)
            }
            if let bars = pane.bars, i < c.distributions.count {
                let distribution = c.distributions[i]
                // The bars are of the next character until one is drawn from them, then marked.
                let title = distribution?.chosen.map { "drew " + Glyphs.label($0.symbol, width: widths) } ?? "next"
                let beam = c.session.bestBeam(stream: i) != nil
                DistributionPane(
                    distribution: distribution, barCount: state.barCount, title: beam ? "beam" : title,
                    emptyText: beam ? "best beam so far, redrawn each step" : "waiting for a prime"
                ).draw(into: &frame, at: bars, widths: widths)
            }
        }
        if document == nil, steer == nil, !state.running, c.texts.allSatisfy(\.isEmpty),
            let first = layout.streams.first
        {
            frame.put(
                " Type a prime and press Enter.  F1: keys", row: first.text.row, column: first.text.column,
                style: .dim, widths: widths)
        }
        for column in layout.separators {
            for row in (layout.status.row + 1)..<layout.input.row {
                frame.put("│", row: row, column: column, style: .dim, widths: widths)
            }
        }
        if let wrappedNotice {
            let rows = widths.wrap(wrappedNotice.text, columns: width - 2, maxRows: noticeRows)
            let top = max(layout.status.row + 1, layout.input.row - rows.count)
            for (i, row) in rows.enumerated() where top + i < layout.input.row {
                frame.put(
                    widths.fit(" " + row, columns: width), row: top + i, column: 0, style: wrappedNotice.style,
                    widths: widths)
            }
        }
        if document == nil, steer == nil {
            drawInput(
                state.primeLine, tint: state.tint, units: state.unitTint, into: &frame, rect: layout.input,
                widths: widths)
        }
        if state.prompt == .path {
            let line = "read file› " + Glyphs.inline(state.promptLine)
            let shown = widths.suffix(line, columns: layout.status.width - 1)
            frame.put(widths.fit(shown, columns: width), row: 0, column: 0, style: .input, widths: widths)
            frame.cursor = (0, widths.columns(of: shown))
        }
        if state.helpShown {
            drawHelp(KeyMap.help(for: state.mode), scroll: state.helpScroll, into: &frame, widths: widths)
        }
        return frame
    }

    /// The status line's fields in order: checkpoint, cell and size, temperature, sampler,
    /// repetition penalty, pause, random seed, characters per second, speed setting. The
    /// temperature, PAUSED and the seed always stay; the speed, the rate, the sampler's details,
    /// the cell's size, the repetition penalty and the checkpoint's name go first (in that order)
    /// when room is short.
    public static func statusLine(_ c: PlayController) -> StatusLine {
        let state = c.state
        if state.mode == .read, let document = c.document { return ReadView.statusLine(c, document) }
        if state.mode == .steer, let steer = c.steer { return SteerView.statusLine(c, steer) }
        let model = c.session.model
        let method = state.sampler.methodSummary
        var fields: [StatusLine.Field] = [
            .init([model.name, ColumnWidth.standard.ellipsized(model.name, columns: 10)], priority: namePriority),
            .init(model.architectureForms, priority: 4),
            .init(["T=" + state.temperatureText], priority: StatusLine.essential),
            .init([method, String(method.prefix { $0 != " " })], priority: 3),
        ]
        if state.sampler.penalizesRepeats {
            let p = NumberText.fixed(Double(state.sampler.repeatPenalty), decimals: 2)
            fields.append(.init(["repeat-penalty \(p) last \(state.sampler.repeatLastN)", "rep \(p)"], priority: 6))
        }
        if state.paused { fields.append(.init(["PAUSED"], priority: StatusLine.essential)) }
        if let unit = c.unitStatusField { fields.append(unit) }
        if let seed = c.randomSeed { fields.append(.init(["seed \(seed)"], priority: StatusLine.essential)) }
        if state.running, !state.paused {
            fields.append(.init([c.charactersPerSecond.map { "\(Int($0.rounded())) ch/s" } ?? "– ch/s"], priority: 2))
        }
        fields.append(.init([state.speedText], priority: 1))
        return StatusLine(fields)
    }

    /// With a second checkpoint: each model's name, the second with the KL divergence of the
    /// last step ("b · KL 0.12 bits").
    static func versusLabels(_ c: PlayController) -> [String]? {
        guard c.state.versus, let versus = c.session.versusModel else { return nil }
        let kl = c.session.lastKLDivergenceBits.map { " · KL " + NumberText.fixed($0, decimals: 3) + " bits" }
        return [c.session.model.name, versus.name + (kl ?? "")]
    }

    /// The checkpoint's name stays beside a notice, after the essential fields.
    static let namePriority = 8

    /// Draws the status line with the notice at its right end: the fields give way to it down to
    /// the checkpoint's name and the essential ones. A notice cut short there is returned, to be
    /// shown whole in rows of its own above the prime line.
    private static func drawStatus(
        _ c: PlayController, into frame: inout Frame, rect: Rect, widths: ColumnWidth
    ) -> (text: String, style: Style)? {
        let line = statusLine(c)
        guard let notice = c.currentNotice else {
            frame.put(
                widths.fit(line.text(columns: rect.width, widths: widths), columns: rect.width), row: rect.row,
                column: 0, style: .status, widths: widths)
            return nil
        }
        let text = (notice.isError ? "⚠ " : "") + notice.text
        let style: Style = notice.isError ? .alert : .status
        let minimum = widths.columns(of: line.keeping(priority: namePriority).text(columns: .max, widths: widths))
        let room = min(rect.width, max(rect.width - widths.columns(of: text) - 2, minimum))
        let status = line.text(columns: room, widths: widths)
        frame.put(widths.fit(status, columns: rect.width), row: rect.row, column: 0, style: .status, widths: widths)
        let shown = widths.ellipsized(text, columns: rect.width - widths.columns(of: status) - 2)
        guard !shown.isEmpty else { return (text, style) }
        frame.put(
            shown + " ", row: rect.row, column: rect.width - widths.columns(of: shown) - 1, style: style, widths: widths
        )
        return shown == text ? nil : (text, style)
    }

    private static func drawText(
        _ text: StreamText, tint: Bool, unitStyle: ((Int) -> Style?)?, into frame: inout Frame, rect: Rect,
        widths: ColumnWidth
    ) {
        let rows = text.lastRows(
            width: rect.width, height: rect.height, tint: tint, unitStyle: unitStyle, widths: widths)
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

    /// The prime line: prompt, the prime's tail, and at the right the tint's legend (with F4 or
    /// Ctrl-T on) or the function keys, when they fit.
    private static func drawInput(
        _ primeLine: String, tint: Bool, units: Bool, into frame: inout Frame, rect: Rect, widths: ColumnWidth
    ) {
        let prompt = primePrompt
        var legend: [(text: String, style: Style)] = []
        if tint || units {
            legend =
                (units
                    ? [("unit", .input)] + UnitTint.legend
                    : [("surprisal", .input)] + tintLegend.map { (" " + $0.text, $0.style) }) + [(" ", .input)]
            if widths.columns(of: prompt) + 8 + legendColumns(legend, widths) > rect.width { legend.removeFirst() }
        }
        let tintWidth = legendColumns(legend, widths)
        let reserved = !legend.isEmpty && widths.columns(of: prompt) + 8 + tintWidth <= rect.width ? tintWidth + 1 : 0
        let room = rect.width - widths.columns(of: prompt) - 1 - reserved
        let shown = widths.suffix(Glyphs.inline(primeLine), columns: room)
        let line = prompt + shown
        frame.put(widths.fit(line, columns: rect.width), row: rect.row, column: 0, style: .input, widths: widths)
        if legend.isEmpty {
            legend = FunctionKeyBar.parts(
                for: .write, columns: rect.width - widths.columns(of: line) - 1, widths: widths)
        }
        let legendWidth = legendColumns(legend, widths)
        if widths.columns(of: line) + legendWidth + 1 <= rect.width {
            var column = rect.width - legendWidth
            for part in legend {
                frame.put(part.text, row: rect.row, column: column, style: part.style, widths: widths)
                column += widths.columns(of: part.text)
            }
        }
        frame.cursor = (rect.row, widths.columns(of: line))
    }

    static func legendColumns(_ parts: [(text: String, style: Style)], _ widths: ColumnWidth) -> Int {
        parts.reduce(0) { $0 + widths.columns(of: $1.text) }
    }

    /// The key list in a box; where a key and its action do not fit on one line, the action goes
    /// on the lines below its key. When the box is taller than the screen it shows a window of
    /// lines from `scroll` (Up/Down move it) and says so in its bottom border.
    private static func drawHelp(
        _ help: [(keys: String, action: String)], scroll: Int, into frame: inout Frame, widths: ColumnWidth
    ) {
        let keysWidth = help.map { widths.columns(of: $0.keys) }.max() ?? 0
        var lines = help.map { widths.fit($0.keys, columns: keysWidth) + "   " + $0.action }
        let innerWidth = min((lines.map { widths.columns(of: $0) }.max() ?? 0) + 2, frame.width - 2)
        if (lines.map { widths.columns(of: $0) }.max() ?? 0) + 2 > innerWidth {
            lines = help.flatMap { entry in
                [entry.keys] + widths.wrap(entry.action, columns: max(1, innerWidth - 4)).map { "  " + $0 }
            }
        }
        let innerHeight = min(lines.count, frame.height - 2)
        guard innerWidth > 4, innerHeight > 0 else { return }
        let first = min(max(0, scroll), lines.count - innerHeight)
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
                "│"
                    + widths.fit(
                        " " + widths.ellipsized(lines[first + i], columns: innerWidth - 2), columns: innerWidth)
                    + "│", row: top + 1 + i, column: left, style: .help, widths: widths)
        }
        var bottom = rule
        if innerHeight < lines.count {
            let more = (first > 0 ? "↑" : "") + (first + innerHeight < lines.count ? "↓" : "")
            bottom = widths.fit("─ " + more + " \(first + innerHeight)/\(lines.count) " + rule, columns: innerWidth)
        }
        frame.put("└" + bottom + "┘", row: top + 1 + innerHeight, column: left, style: .help, widths: widths)
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
