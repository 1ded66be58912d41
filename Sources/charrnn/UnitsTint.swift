import CharRNN

/// The units `charrnn units` shows tinted over the start of a text, each with its value after
/// every character there: each present feature's best unit, then the --trace units. Renders
/// the table and the tints for the terminal (and plain text); `UnitsPage` renders them as HTML.
struct UnitsTint {
    struct Row {
        /// The feature this unit ranks first for; nil for a --trace unit.
        let feature: TextFeature?
        let unit: HiddenUnit
        let correlation: Double?
        /// [excerpt characters]
        let values: [Float]

        /// The values are tinted divided by this: 1, or the largest magnitude when beyond ±1 (an
        /// LSTM's c), so that a cell that counts still shows its ramp.
        var scale: Float { max(1, values.map(abs).max() ?? 0) }

        var tints: [DivergingTint] { values.map { DivergingTint($0 / scale) } }

        /// `quote: L0 h 17, r = +0.83` or `trace: L1 c 5`, with `, tint ÷ 3.25` when scaled.
        var title: String {
            "\(feature?.rawValue ?? "trace"): \(unit.label)"
                + (correlation.map { ", r = " + UnitsTint.signed($0) } ?? "")
                + (scale > 1 ? ", tint ÷ " + NumberText.fixed(Double(scale), decimals: 2) : "")
        }
    }

    /// The excerpt's characters, as the vocabulary writes them.
    let symbols: [String]
    let rows: [Row]

    /// Reads `tokens` (the excerpt) again from the zero state, keeping the shown units' values.
    init(_ model: StreamingModel, tokens: [Int32], ranking: UnitRanking, traced: [HiddenUnit]) throws {
        let best = TextFeature.allCases.compactMap { feature in ranking.ranked(feature).first.map { (feature, $0) } }
        let units = best.map(\.1.unit) + traced
        var values = [[Float]](repeating: [], count: units.count)
        try model.forEachState(tokens) { _, state in
            for (row, unit) in units.enumerated() { values[row].append(state.value(of: unit)) }
        }
        symbols = tokens.map { model.vocabulary.symbols[Int($0)] }
        rows =
            zip(best, values).map { Row(feature: $0.0, unit: $0.1.unit, correlation: $0.1.correlation, values: $1) }
            + zip(traced, values.suffix(traced.count)).map { Row(feature: nil, unit: $0, correlation: nil, values: $1) }
    }

    /// The ranking as a table, then each row's tint, then the legend: colours with `colour` (a
    /// 256-colour terminal), else the text with a line of `DivergingTint` marks under each line.
    func report(_ ranking: UnitRanking, colour: Bool) -> String {
        var lines = ["feature         best unit       r  next best"]
        for feature in TextFeature.allCases {
            let ranked = ranking.ranked(feature)
            let name = feature.rawValue.padding(15)
            guard let best = ranked.first else {
                lines.append(name + " absent: the same at every character of the text")
                continue
            }
            let others = ranked.dropFirst().prefix(3).map { "\($0.unit.label) \(Self.signed($0.correlation))" }
            let bestText = "\(best.unit.label.padding(10)) \(Self.signed(best.correlation))"
            lines.append("\(name) \(bestText)  \(others.joined(separator: ", "))")
        }
        for row in rows {
            lines += ["", row.title + " (first \(NumberText.grouped(symbols.count)) characters)"]
            lines.append(colour ? coloured(row.tints) : marked(row.tints))
        }
        lines += ["", colour ? colourLegend : markLegend]
        return lines.joined(separator: "\n")
    }

    /// A correlation with its sign: +0.83, -0.71.
    static func signed(_ r: Double) -> String { (r >= 0 ? "+" : "") + NumberText.fixed(r, decimals: 2) }

    /// A newline shows as ↵ (then breaks the line); control characters are escaped, so the text
    /// cannot drive the terminal.
    static func shown(_ symbol: String) -> String { symbol == "\n" ? "↵" : PrintableText.escaped(symbol) }

    static let reset = "\u{1B}[0m"

    static func background(_ tint: DivergingTint) -> String { "\u{1B}[48;5;\(tint.xterm256)m\u{1B}[38;5;16m" }

    func coloured(_ tints: [DivergingTint]) -> String {
        zip(symbols, tints).map { symbol, tint in
            Self.background(tint) + Self.shown(symbol) + Self.reset + (symbol == "\n" ? "\n" : "")
        }.joined()
    }

    /// Lines of at most `width` characters, each followed by the marks of its characters' tints.
    func marked(_ tints: [DivergingTint], width: Int = 80) -> String {
        var out: [String] = []
        var text = ""
        var marks = ""
        func flush() {
            out += [text, String(marks.reversed().drop { $0 == " " }.reversed())]
            (text, marks) = ("", "")
        }
        for (symbol, tint) in zip(symbols, tints) {
            let shown = Self.shown(symbol)
            if text.count + shown.count > width { flush() }
            text += shown
            marks += String(repeating: tint.mark, count: shown.count)
            if symbol == "\n" { flush() }
        }
        if !text.isEmpty { flush() }
        return out.joined(separator: "\n")
    }

    var colourLegend: String {
        let swatches = DivergingTint.steps.map { Self.background(DivergingTint(Float($0) / 4)) + "  " }.joined()
        return "tint: −1 " + swatches + Self.reset + " +1"
    }

    var markLegend: String {
        "marks under each character: = from −1 to −0.625, - to −0.125, blank near 0, + from 0.125, "
            + "# from 0.625 to +1"
    }
}

extension String {
    /// Padded with spaces to `width` characters (never cut).
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
