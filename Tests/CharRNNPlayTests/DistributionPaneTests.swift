import Testing

@testable import CharRNNPlay

@Suite("Bars and the distribution pane")
struct DistributionPaneTests {
    @Test("bar length is proportional to the probability, in eighths of a column")
    func bars() {
        #expect(Bars.render(fraction: 1, width: 4) == "████")
        #expect(Bars.render(fraction: 0, width: 4) == "    ")
        #expect(Bars.render(fraction: 0.5, width: 4) == "██  ")
        #expect(Bars.render(fraction: 0.5 + 1.0 / 32, width: 4) == "██▏ ")
        #expect(Bars.render(fraction: 0.25 - 1.0 / 32, width: 4) == "▉   ")
        #expect(Bars.render(fraction: 7, width: 3) == "███")
        #expect(Bars.render(fraction: .nan, width: 3) == "   ")
        for width in 1...12 {
            for step in 0...20 {
                let bar = Bars.render(fraction: Float(step) / 20, width: width)
                #expect(bar.count == width)
            }
        }
    }

    let view = DistributionView(
        candidates: [
            .init(symbol: "e", probability: 0.5), .init(symbol: " ", probability: 0.25),
            .init(symbol: "\n", probability: 0.125), .init(symbol: "t", probability: 0.0625),
        ],
        chosen: .init(symbol: " ", probability: 0.25), entropy: 1.75, temperature: 0.8)

    func draw(_ view: DistributionView?, bars: Int, height: Int = 8) -> Frame {
        var frame = Frame(width: 24, height: height)
        DistributionPane(distribution: view, barCount: bars, title: "next")
            .draw(into: &frame, at: Rect(row: 0, column: 0, width: 24, height: height), widths: .standard)
        return frame
    }

    @Test("rows show glyph, bar and percent; the title shows the entropy")
    func rows() {
        let lines = draw(view, bars: 4).lines()
        #expect(lines[0].contains("next"))
        #expect(lines[0].contains("H=1.75 bits"))
        var wide = Frame(width: 34, height: 3)
        DistributionPane(distribution: view, barCount: 2)
            .draw(into: &wide, at: Rect(row: 0, column: 0, width: 34, height: 3), widths: .standard)
        #expect(wide.lines()[0] == " next at T=0.80       H=1.75 bits ")
        #expect(lines[1] == " e  ██████        50.0% ")
        #expect(lines[2] == " ␣  ███           25.0% ")
        #expect(lines[3].hasPrefix(" ⏎  █▌"))
        #expect(lines[4].hasSuffix("6.3% "))
    }

    @Test("the chosen character's row is highlighted, the others are not")
    func highlight() {
        let frame = draw(view, bars: 4)
        #expect(frame.style(row: 2, column: 1) == .chosen)
        #expect(frame.style(row: 1, column: 1) == .bar)
        #expect(frame.style(row: 3, column: 1) == .bar)
    }

    @Test("fewer bars show fewer rows; a chosen character outside them takes the last row")
    func fewerBars() {
        var v = view
        v.chosen = .init(symbol: "t", probability: 0.0625)
        let frame = draw(v, bars: 2)
        let lines = frame.lines()
        #expect(lines[1].hasPrefix(" e "))
        #expect(lines[2].hasPrefix(" t "))
        #expect(frame.style(row: 2, column: 1) == .chosen)
        #expect(lines[3].allSatisfy { $0 == " " })
    }

    @Test("the pane never draws more rows than it has")
    func clipped() {
        #expect(DistributionPane.visibleBars(barCount: 10, height: 4) == 3)
        let lines = draw(view, bars: 10, height: 3).lines()
        #expect(lines.count == 3)
        #expect(lines[2].hasPrefix(" ␣ "))
    }

    @Test("without a distribution the pane says it is waiting")
    func empty() {
        #expect(draw(nil, bars: 4).lines()[1].contains("waiting for a prime"))
    }
}
