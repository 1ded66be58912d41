import CharRNN
import Foundation
import Testing

@testable import CharRNNPlay

/// The play screen at small sizes and in the corners of its states (issue 9, item 14).
@Suite("Play screen: fitting, labels and notices")
struct PlayScreenEdgeTests {
    let clock = ManualClock()

    func controller(
        _ session: ScriptedSession = ScriptedSession(), sampler: SamplerSettings = SamplerSettings(temperature: 0.8),
        files: [String] = ["ck/tiny.safetensors", "ck/b.safetensors"]
    ) -> PlayController {
        PlayController(
            session: session, state: PlayState(sampler: sampler), checkpoint: "ck/tiny.safetensors", randomSeed: 42,
            clock: clock.read, listCheckpoints: { _ in files })
    }

    func run(_ c: PlayController, prime: String = "The ", frames: Int = 4) {
        for s in prime.unicodeScalars { c.handle(.character(s)) }
        c.handle(.enter)
        for _ in 0..<frames {
            clock.now += 0.125
            c.advance(until: clock.now + 1)
        }
    }

    func advance(_ c: PlayController, frames: Int) {
        for _ in 0..<frames {
            clock.now += 0.125
            c.advance(until: clock.now + 1)
        }
    }

    /// The fields of a status line that appear whole: a field cut short ("GRU 1×51") fails.
    func expectWholeFields(_ line: StatusLine, columns: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = line.text(columns: columns)
        #expect(ColumnWidth.standard.columns(of: text) <= columns, sourceLocation: sourceLocation)
        let shown = text.dropFirst().components(separatedBy: StatusLine.separator)
        for part in shown {
            #expect(
                line.fields.contains { $0.forms.contains(part) }, "\(part) is no field's form: \(text)",
                sourceLocation: sourceLocation)
        }
    }

    @Test("the status line drops or shortens whole fields by priority at 80 and 30 columns")
    func statusFields() {
        let line = StatusLine([
            .init(["shakespeare-gru512", "shakespea…"], priority: 8),
            .init(["GRU 1×512", "GRU"], priority: 4),
            .init(["T=0.80"], priority: StatusLine.essential),
            .init(["multinomial top-k 40 top-p 0.95", "multinomial"], priority: 3),
            .init(["repeat-penalty 1.10 last 64", "rep 1.10"], priority: 6),
            .init(["PAUSED"], priority: StatusLine.essential),
            .init(["seed 123456"], priority: StatusLine.essential),
            .init(["speed 30/s"], priority: 1),
        ])
        for columns in [200, 120, 100, 80, 60, 45, 30] { expectWholeFields(line, columns: columns) }
        let at80 = line.text(columns: 80)
        #expect(at80 == " shakespeare-gru512 │ GRU 1×512 │ T=0.80 │ rep 1.10 │ PAUSED │ seed 123456")
        #expect(line.text(columns: 120).contains("repeat-penalty 1.10 last 64"))
        let at30 = line.text(columns: 30)
        #expect(at30 == " T=0.80 │ PAUSED │ seed 123456")
        #expect(line.text(columns: 20) == " T=0.80 │ PAUSED │ …", "only essentials left: cut with an ellipsis")
    }

    @Test("the play status line keeps T, PAUSED and the seed at 30 columns; a repetition penalty shows")
    func playStatusAt30() {
        let c = controller(sampler: SamplerSettings(temperature: 0.8, repeatPenalty: 1.1))
        run(c)
        c.handle(.control("p"))
        let wide = PlayView.frame(c, width: 140, height: 20).lines()[0]
        #expect(wide.contains("repeat-penalty 1.10 last 64"))
        let narrow = PlayView.frame(c, width: 30, height: 10).lines()[0]
        for part in ["T=0.80", "PAUSED", "seed 42"] { #expect(narrow.contains(part), "\(narrow)") }
        expectWholeFields(PlayView.statusLine(c), columns: 30)
        expectWholeFields(PlayView.statusLine(c), columns: 80)
    }

    @Test("a notice (loaded checkpoint) leaves T, the seed and PAUSED in view", arguments: [100, 60, 40, 30])
    func noticeKeepsEssentials(width: Int) {
        let c = controller()
        run(c)
        c.handle(.control("p"))
        c.handle(.tab)
        #expect(c.currentNotice?.text == "loaded b")
        let lines = PlayView.frame(c, width: width, height: 12).lines()
        for part in ["T=0.80", "PAUSED", "seed 42"] { #expect(lines[0].contains(part), "\(lines[0])") }
        #expect(lines.dropLast().joined(separator: " ").contains("loaded b"), "\(lines)")
    }

    @Test("a long checkpoint name gives way to T, PAUSED and the seed beside a notice", arguments: [80, 40, 30])
    func longNameWithNotice(width: Int) {
        let session = ScriptedSession()
        let c = controller(session, files: ["ck/tiny.safetensors", "ck/shakespeare-lstm2x512.safetensors"])
        run(c)
        c.handle(.control("p"))
        c.handle(.tab)
        #expect(session.model.name == "shakespeare-lstm2x512")
        let lines = PlayView.frame(c, width: width, height: 12).lines()
        for part in ["T=0.80", "PAUSED", "seed 42"] { #expect(lines[0].contains(part), "\(lines[0])") }
        #expect(lines.joined(separator: " ").contains("loaded shakespeare-lstm2x512"), "\(lines)")
        expectWholeFields(PlayView.statusLine(c), columns: width)
    }

    @Test("a long error is shown whole, wrapped above the prime line, and cut with … in the status line")
    func longErrorWraps() {
        let session = ScriptedSession()
        let message = "ck/b.safetensors: not a charrnn checkpoint (safetensors header missing): pick another file"
        session.brokenCheckpoints["ck/b.safetensors"] = message
        let c = controller(session)
        run(c)
        c.handle(.tab)
        let frame = PlayView.frame(c, width: 40, height: 14)
        let lines = frame.lines()
        #expect(lines[0].contains("⚠") && lines[0].contains("…"), "\(lines[0])")
        let rows = lines[(14 - 1 - PlayView.noticeRows)..<13].map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(rows.joined(separator: " ") == "⚠ " + message)
        #expect(frame.style(row: 12, column: 1) == .alert)
        #expect(lines.allSatisfy { ColumnWidth.standard.columns(of: $0) == 40 })
    }

    @Test("wrapping breaks at spaces, cuts long words, and ends with … past its row limit")
    func wrapping() {
        let w = ColumnWidth.standard
        #expect(w.wrap("the cat sat on the mat", columns: 8) == ["the cat", "sat on", "the mat"])
        #expect(w.wrap("abcdefghij", columns: 4) == ["abcd", "efgh", "ij"])
        #expect(w.wrap("the cat sat on the mat", columns: 8, maxRows: 2) == ["the cat", "sat on …"])
        #expect(w.ellipsized("GRU 1×512", columns: 6) == "GRU 1…")
    }

    @Test("a restart clears the old prime warning")
    func restartClearsPrimeWarning() {
        let c = controller()
        run(c, prime: "a#b")
        #expect(c.currentNotice?.text.contains("skipped 1") == true)
        c.handle(.control("u"))
        run(c, prime: "ab")
        #expect(c.currentNotice == nil)
        c.handle(.tab)
        #expect(c.currentNotice?.text == "loaded b", "other notices stay across the restart a load makes")
    }

    @Test("the bars are labelled with what they show: the draw they marked, or the next one")
    func barsTitles() throws {
        let c = controller()
        run(c)
        let chosen = try #require(c.distributions[0]?.chosen)
        var lines = PlayView.frame(c, width: 100, height: 20).lines()
        #expect(lines[1].contains("drew " + Glyphs.label(chosen.symbol) + " at T=0.80"), "\(lines[1])")
        c.handle(.control("p"))
        c.handle(.down)
        #expect(c.distributions[0]?.chosen == nil)
        lines = PlayView.frame(c, width: 100, height: 20).lines()
        #expect(lines[1].contains(" next at T=0.75"), "\(lines[1])")
        c.handle(.control("n"))
        lines = PlayView.frame(c, width: 100, height: 20).lines()
        #expect(lines[1].contains("drew ") && lines[1].contains("at T=0.75"), "\(lines[1])")
    }

    @Test("at T=0 the bars say they are at T=1 because greedy takes the top one")
    func greedyTitle() {
        let c = controller(sampler: SamplerSettings(temperature: 0))
        run(c)
        let line = PlayView.frame(c, width: 100, height: 20).lines()[1]
        #expect(line.contains("at T=1 · greedy takes top"), "\(line)")
        let narrow = PlayView.frame(c, width: 40, height: 20).lines().joined()
        #expect(narrow.contains("T=1"))
    }

    @Test("a stream repeating a short cycle is marked; varied text is not")
    func repeatingMark() {
        let looping = controller(ScriptedSession(script: "ab "))
        run(looping, frames: 1)
        #expect(!PlayView.frame(looping, width: 100, height: 20).screenText.contains(PlayView.repeatingMark))
        advance(looping, frames: 20)
        #expect(looping.texts[0].repeatingPeriod == 3)
        let frame = PlayView.frame(looping, width: 100, height: 20)
        #expect(frame.lines()[1].contains(PlayView.repeatingMark))
        looping.handle(.control("g"))
        advance(looping, frames: 20)
        let side = PlayView.frame(looping, width: 100, height: 20).lines()[1]
        #expect(side.ranges(of: PlayView.repeatingMark).count == 2, "\(side)")
        let varied = controller(ScriptedSession(script: "the quick brown fox jumps over a lazy dog, then it naps\n"))
        run(varied, frames: 20)
        #expect(varied.texts[0].generatedCount >= StreamText.repeatWindow)
        #expect(varied.texts[0].repeatingPeriod == nil)
    }

    @Test("stuck on whitespace counts as repeating")
    func whitespaceLoop() {
        var text = StreamText()
        text.appendPrime("The ")
        for _ in 0..<StreamText.repeatWindow { text.append(GeneratedCharacter(symbol: "\n", surprisal: 0)) }
        #expect(text.repeatingPeriod == 1)
        text.append(GeneratedCharacter(symbol: "x", surprisal: 0))
        #expect(text.repeatingPeriod == nil)
    }

    @Test("Ctrl-T shows the tint's legend in its colours in the prime line")
    func tintLegend() {
        let c = controller()
        run(c)
        #expect(!PlayView.frame(c, width: 80, height: 20).lines()[19].contains("<1"))
        c.handle(.control("t"))
        for width in [80, 40] {
            let frame = PlayView.frame(c, width: width, height: 20)
            let row = frame.lines()[19]
            #expect(row.contains("<1 <3 <6 6+ bits"), "\(row)")
            for (i, part) in PlayView.tintLegend.enumerated() {
                let column = ColumnWidth.standard.columns(of: String(row[..<row.range(of: part.text)!.lowerBound]))
                #expect(frame.style(row: 19, column: column) == .surprisal(i))
            }
        }
        #expect(PlayView.frame(c, width: 80, height: 20).lines()[19].contains("surprisal <1"))
    }

    @Test("the help overlay fits small screens and scrolls to every key", arguments: [(30, 10), (30, 6), (40, 8)])
    func helpScrolls(width: Int, height: Int) {
        let c = controller()
        run(c)
        c.handle(.function(1))
        var seen = ""
        var previous: [String] = []
        for _ in 0..<200 {  // a bound: the loop ends when scrolling stops changing the screen
            let frame = PlayView.frame(c, width: width, height: height)
            let lines = frame.lines()
            #expect(lines.count == height)
            #expect(frame.texts.allSatisfy { $0.column + ColumnWidth.standard.columns(of: $0.text) <= width })
            seen += lines.joined(separator: "\n")
            if lines == previous { break }
            previous = lines
            c.handle(.down)
        }
        #expect(seen.contains("↓") && seen.contains("↑"))
        for entry in KeyMap.help { #expect(seen.contains(entry.keys), "\(entry.keys) never shown") }
        #expect(c.state.sampler.temperature == 0.8, "Down scrolls the help, it does not cool")
        c.handle(.function(1))
        c.handle(.down)
        #expect(c.state.sampler.temperature == 0.75)
    }

    @Test("Ctrl-C while a long prime is read stops the priming: nothing runs, the streams are clear")
    func interruptedPriming() {
        let session = ScriptedSession()
        session.primeCheckEvery = 256
        let c = controller(session)
        var asked = 0
        c.primingShouldContinue = {
            asked += 1
            return asked < 3
        }
        run(c, prime: String(repeating: "the cat ", count: 128), frames: 2)
        #expect(asked == 3)
        #expect(!c.state.running)
        #expect(c.texts.allSatisfy(\.isEmpty) && c.distributions.allSatisfy { $0 == nil })
        #expect(c.currentNotice?.text == "priming interrupted")
        #expect(session.resets == 1)
    }

    @Test("the frame loop stops a long prime on Ctrl-C and quits")
    func loopInterruptsPriming() {
        let session = ScriptedSession()
        session.primeCheckEvery = 256
        let c = controller(session)
        let keys = String(repeating: "x", count: 1000).unicodeScalars.map { Key.character($0) } + [.enter]
        let terminal = BurstTerminal(keys, clock: clock)
        #expect(PlayLoop.run(c, on: terminal, clock: clock.read) == .quit)
        #expect(session.starts.isEmpty, "the start was stopped while priming")
        #expect(c.currentNotice?.text == "priming interrupted")
    }
}
