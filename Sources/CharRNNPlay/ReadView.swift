import CharRNN

/// Draws read mode: the text tinted by rank bucket (or surprisal) with the cursor, the bars of
/// the distribution that predicted the character under it, the reading's figures in the status
/// line, and the function keys (or the search prompt) in the bottom line.
public enum ReadView {
    public static let searchPrompt = "search› "
    /// The rank legend, in the tint's styles.
    public static let rankLegend: [(text: String, style: Style)] =
        [("rank", .plain)] + RankBucket.allCases.map { (" " + $0.label, Style.rank($0.rawValue)) }

    static func draw(
        _ c: PlayController, _ d: ReadDocument, layout: Layout, into frame: inout Frame, widths: ColumnWidth
    ) {
        let state = c.state
        guard let pane = layout.streams.first else { return }
        let rows = d.rows(width: pane.text.width, widths: widths)
        var start = rows.top(d.top, showing: d.cursor, height: pane.text.height)
        let read = d.shownReadCount
        for r in 0..<pane.text.height where start < d.count {
            let end = rows.rowEnd(start)
            var column = 0
            var run = ""
            var runStyle = Style.plain
            var runStart = 0
            func flush() {
                if !run.isEmpty {
                    frame.put(
                        run, row: pane.text.row + r, column: pane.text.column + runStart, style: runStyle,
                        widths: widths)
                }
                run = ""
            }
            for i in start..<end {
                let w = rows.columns(at: i, column: column)
                let style: Style
                if i == d.cursor {
                    style = .cursor
                    frame.cursor = (pane.text.row + r, pane.text.column + column)
                } else if let unit = c.unitStyle(readPosition: i) {
                    style = unit
                } else if i == 0 {
                    style = .plain
                } else if i > read {
                    style = .dim
                } else {
                    let f = d.shownFigures(at: i)
                    style = state.readTint == .rank ? .rank(f.bucket.rawValue) : StreamText.tint(f.surprisalBits)
                }
                if style != runStyle { flush() }
                if run.isEmpty {
                    runStart = column
                    runStyle = style
                }
                // A newline shows as a blank, but as ⏎ under the cursor.
                let onNewline = i == d.cursor && rows.symbol(at: i) == "\n"
                run += onNewline ? String(Glyphs.newline) : rows.cellText(at: i, columns: w)
                column += w
            }
            flush()
            start = end
        }
        if let bars = pane.bars {
            DistributionPane(
                distribution: c.cursorBars?.view, barCount: state.barCount, title: barsTitle(c, d, widths),
                emptyText: d.cursor == 0 ? "first character: not predicted" : "not read yet"
            ).draw(into: &frame, at: bars, widths: widths)
        }
        drawBottom(state, into: &frame, rect: layout.input, widths: widths)
    }

    /// "e rank 3 · 2.41 bits" for the character under the cursor.
    static func barsTitle(_ c: PlayController, _ d: ReadDocument, _ widths: ColumnWidth) -> String {
        let symbol = Glyphs.label(d.reading.vocabulary.scalar(of: Int(d.reading.tokens[d.cursor])), width: widths)
        guard let f = c.cursorBars?.figures else { return symbol }
        return "\(symbol) rank \(f.rank) · \(NumberText.fixed(Double(f.surprisalBits), decimals: 2)) bits"
    }

    /// The search prompt while searching; else the function keys, and the tint's legend at the
    /// right when it fits.
    private static func drawBottom(_ state: PlayState, into frame: inout Frame, rect: Rect, widths: ColumnWidth) {
        if state.prompt == .search {
            let line = widths.suffix(searchPrompt + Glyphs.inline(state.promptLine), columns: rect.width - 1)
            frame.put(widths.fit(line, columns: rect.width), row: rect.row, column: 0, style: .input, widths: widths)
            frame.cursor = (rect.row, widths.columns(of: line))
            return
        }
        let legend =
            state.unitTint
            ? [("unit", .plain)] + UnitTint.legend
            : state.readTint == .rank
                ? rankLegend : [("surprisal", .plain)] + PlayView.tintLegend.map { (" " + $0.text, $0.style) }
        let legendWidth = PlayView.legendColumns(legend, widths) + 1
        var keys = FunctionKeyBar.parts(for: .read, columns: rect.width - legendWidth - 1, widths: widths)
        if keys.count < 6 { keys = FunctionKeyBar.parts(for: .read, columns: rect.width, widths: widths) }
        var column = 0
        for part in keys {
            frame.put(part.text, row: rect.row, column: column, style: part.style, widths: widths)
            column += widths.columns(of: part.text)
        }
        guard column + legendWidth < rect.width else { return }
        column = rect.width - legendWidth
        for part in legend {
            frame.put(part.text, row: rect.row, column: column, style: part.style, widths: widths)
            column += widths.columns(of: part.text)
        }
    }

    /// The status line in read mode: checkpoint, cell and size, reading progress (while it runs),
    /// nats/char over the text read so far (then bits/char and perplexity), the dynamic reading's
    /// while there is one, over the visible window (in the reading shown), the share of each
    /// rank bucket, and the characters left out.
    static func statusLine(_ c: PlayController, _ d: ReadDocument) -> StatusLine {
        let model = c.session.model
        let reading = d.reading
        var fields: [StatusLine.Field] = [
            .init(
                [model.name, ColumnWidth.standard.ellipsized(model.name, columns: 10)],
                priority: PlayView.namePriority),
            .init(model.architectureForms, priority: 4),
        ]
        if let failure = reading.failure {
            fields.append(.init([failure, "reading failed"], priority: StatusLine.essential - 1))
        } else if !reading.isComplete {
            fields.append(.init([c.readProgressText(reading)], priority: StatusLine.essential))
        }
        if let all = reading.summary {
            fields += [
                .init(
                    ["\(NumberText.fixed(all.natsPerCharacter, decimals: 4)) nats/char"], priority: StatusLine.essential
                ),
                .init(["\(NumberText.fixed(all.bitsPerCharacter, decimals: 4)) bits/char"], priority: 5),
                .init(
                    [
                        "perplexity \(NumberText.fixed(all.perplexity, decimals: 3))",
                        "ppl \(NumberText.fixed(all.perplexity, decimals: 2))",
                    ], priority: 3),
            ]
        }
        if let dynamic = d.dynamic { fields.append(dynamicField(d, dynamic)) }
        if let window = windowSummary(c, d) {
            fields.append(.init(["window \(NumberText.fixed(window, decimals: 4))"], priority: 6))
        }
        let histogram = reading.rankHistogram
        let total = histogram.reduce(0, +)
        if total > 0 {
            let shares = zip(RankBucket.allCases, histogram).map { bucket, count in
                "\(bucket.label): \(Int((100 * Double(count) / Double(total)).rounded()))%"
            }
            fields.append(.init(["rank " + shares.joined(separator: " "), shares[0]], priority: 2))
        }
        if d.skipped > 0 { fields.append(.init(["skipped \(NumberText.grouped(d.skipped))"], priority: 7)) }
        if let unit = c.unitStatusField { fields.append(unit) }
        return StatusLine(fields)
    }

    /// "dynamic 1.172 (static 1.353) 34%": the dynamic reading's nats/char so far, the static
    /// reading's over the same characters (once it has read them), and the progress while it runs.
    static func dynamicField(_ d: ReadDocument, _ dynamic: DynamicReading) -> StatusLine.Field {
        if let failure = dynamic.failure {
            return .init([failure, "dynamic reading failed"], priority: StatusLine.essential - 1)
        }
        let summary = dynamic.summary
        let read = summary?.characters ?? 0
        let total = dynamic.characterCount
        let progress = read == total ? "" : " \(Int(100 * Double(read) / Double(total)))%"
        guard let summary else { return .init(["dynamic" + progress], priority: StatusLine.essential) }
        let figure = "dynamic \(NumberText.fixed(summary.natsPerCharacter, decimals: 3))"
        let statics = read <= d.reading.readCount ? d.reading.natsPerCharacter(through: read) : nil
        let full = figure + (statics.map { " (static \(NumberText.fixed($0, decimals: 3)))" } ?? "") + progress
        return .init([full, figure + progress], priority: StatusLine.essential)
    }

    /// nats/char over the characters the text pane shows.
    static func windowSummary(_ c: PlayController, _ d: ReadDocument) -> Double? {
        guard let pane = c.readPane else { return nil }
        return d.natsPerCharacter(in: visibleRange(d, pane: pane))
    }

    /// The characters the text pane shows.
    static func visibleRange(_ d: ReadDocument, pane: Rect) -> Range<Int> {
        let rows = d.rows(width: pane.width)
        let top = rows.top(d.top, showing: d.cursor, height: pane.height)
        var end = top
        for _ in 0..<pane.height where end < d.count { end = rows.rowEnd(end) }
        return top..<end
    }
}
