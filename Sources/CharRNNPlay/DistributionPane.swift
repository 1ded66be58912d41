import CharRNN

/// Horizontal bars drawn with eighth-block characters, so a bar's length resolves 1/8 column.
public enum Bars {
    private static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `fraction` (0…1) of `width` columns long, padded with spaces to `width`.
    public static func render(fraction: Float, width: Int) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let eighths = Int((f * Float(width * 8)).rounded())
        var bar = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { bar.append(partials[eighths % 8 - 1]) }
        return bar + String(repeating: " ", count: width - (eighths + 7) / 8)
    }
}

/// The distribution pane: a title with the temperature and the entropy, then one row per candidate (glyph, bar,
/// percent), the drawn character's row highlighted. A greedy stream's title says its bars are
/// at T = 1 because greedy takes the top one; narrow panes drop that note, then the temperature,
/// then the entropy. When the drawn character is not among
/// the candidates shown, it gets a row of its own at the bottom.
public struct DistributionPane {
    public var distribution: DistributionView?
    /// How many candidate rows are wanted (the pane may have room for fewer).
    public var barCount: Int
    public var title: String
    /// Shown under the title when there is no distribution.
    public var emptyText: String

    public init(
        distribution: DistributionView?, barCount: Int, title: String = "next",
        emptyText: String = "waiting for a prime"
    ) {
        self.distribution = distribution
        self.barCount = barCount
        self.title = title
        self.emptyText = emptyText
    }

    /// Candidate rows that fit in a pane `height` rows tall (one row is the title).
    public static func visibleBars(barCount: Int, height: Int) -> Int {
        max(0, min(barCount, height - 1))
    }

    public func draw(into frame: inout Frame, at rect: Rect, widths: ColumnWidth) {
        guard rect.height > 0, rect.width >= 8 else { return }
        let entropy = distribution.map { "H=" + NumberText.fixed(Double($0.entropy), decimals: 2) + " bits" }
        // (heading, with the entropy), best first.
        var choices: [(String, Bool)] = [(title, true), (title, false)]
        if let d = distribution, d.greedy {
            let note = title + " at T=1 · greedy takes top"
            let short = title + " at T=1 (greedy)"
            choices = [(note, true), (note, false), (short, true), (short, false)] + choices
        } else if let d = distribution {
            let atT = title + " at T=" + NumberText.fixed(Double(d.temperature), decimals: 2)
            choices = [(atT, true), (title, true), (atT, false), (title, false)]
        }
        let (heading, showEntropy) =
            choices.first { heading, withEntropy in
                let extra = withEntropy ? entropy.map { widths.columns(of: $0) + 3 } : 2
                return extra.map { widths.columns(of: heading) + $0 <= rect.width } ?? false
            } ?? (title, false)
        frame.put(
            widths.fit(" " + heading, columns: rect.width), row: rect.row, column: rect.column, style: .label,
            widths: widths)
        if let entropy, showEntropy {
            frame.put(
                entropy, row: rect.row, column: rect.column + rect.width - widths.columns(of: entropy) - 1,
                style: .label, widths: widths)
        }
        guard let distribution else {
            frame.put(" " + emptyText, row: rect.row + 1, column: rect.column, style: .dim, widths: widths)
            return
        }
        let rows = DistributionPane.visibleBars(barCount: barCount, height: rect.height)
        var shown = Array(distribution.candidates.prefix(rows))
        let chosen = distribution.chosen
        let chosenShown = chosen.map { c in shown.contains { $0.symbol == c.symbol } } ?? true
        if let chosen, !chosenShown, !shown.isEmpty { shown[shown.count - 1] = chosen }
        for (i, candidate) in shown.enumerated() {
            let isChosen = chosen?.symbol == candidate.symbol && chosen != nil
            let row = rowText(candidate, width: rect.width, widths: widths)
            frame.put(
                row, row: rect.row + 1 + i, column: rect.column, style: isChosen ? .chosen : .bar,
                widths: widths)
        }
    }

    /// " e  ███████▍      41.2% ": glyph in two columns, bar, right-aligned percent.
    public func rowText(_ c: DistributionView.Candidate, width: Int, widths: ColumnWidth) -> String {
        let glyph = widths.fit(Glyphs.label(c.symbol, width: widths), columns: 2)
        let percent = NumberText.percent(c.probability)
        let percentColumn = String(repeating: " ", count: max(0, 6 - percent.count)) + percent
        let barWidth = max(1, width - 2 - 2 - 1 - 6 - 1)  // " " glyph " " bar " " percent " "
        return " " + glyph + " " + Bars.render(fraction: c.probability, width: barWidth) + " "
            + percentColumn + " "
    }
}
