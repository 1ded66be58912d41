import CharRNN
import Testing

@testable import CharRNNPlay

@Suite("Play screen")
struct PlayViewTests {
    let clock = ManualClock()

    func running(
        _ session: ScriptedSession = ScriptedSession(),
        state: PlayState = PlayState(sampler: SamplerSettings(temperature: 0.8))
    ) -> PlayController {
        let c = PlayController(
            session: session, state: state, checkpoint: "ck/tiny.safetensors", randomSeed: 42,
            clock: clock.read, listCheckpoints: { _ in [] })
        for s in "The ".unicodeScalars { c.handle(.character(s)) }
        c.handle(.enter)
        c.advance(until: clock.now + 1)
        for _ in 0..<4 {
            clock.now += 0.125
            c.advance(until: clock.now + 1)
        }
        return c
    }

    @Test("the status line names checkpoint, cell, temperature, sampler, seed and rate")
    func statusLine() {
        let c = running()
        let status = PlayView.frame(c, width: 120, height: 30).lines()[0]
        for part in ["tiny", "GRU 1×8", "T=0.80", "multinomial", "seed 42", "ch/s", "speed 30/s"] {
            #expect(status.contains(part), "status line lacks \(part): \(status)")
        }
        let p = running(state: PlayState(sampler: SamplerSettings(temperature: 0.5, topK: 40, topP: 0.95)))
        p.handle(.control("p"))
        let pausedStatus = PlayView.frame(p, width: 120, height: 30).lines()[0]
        #expect(pausedStatus.contains("T=0.50 │ multinomial top-k 40 top-p 0.95 │ PAUSED"))
    }

    @Test("the stream shows the prime, styled apart, followed by generated text")
    func stream() {
        let c = running()
        let frame = PlayView.frame(c, width: 100, height: 20)
        let lines = frame.lines()
        #expect(lines[1].hasPrefix("The the cat sa"))
        #expect(frame.style(row: 1, column: 0) == .prime)
        #expect(frame.style(row: 1, column: 4) == .plain)
    }

    @Test("the bars pane shows percentages and highlights the character just drawn")
    func bars() throws {
        let c = running()
        let frame = PlayView.frame(c, width: 100, height: 20)
        let lines = frame.lines()
        let barRows = lines.enumerated().filter { $0.element.hasSuffix("% ") }
        #expect(barRows.count == 8)  // "the cat sat\n" has 8 distinct characters
        #expect(lines[1].contains("H="))
        let chosen = try #require(c.distributions[0]?.chosen)
        let row = try #require(barRows.first { $0.element.contains(" " + Glyphs.label(chosen.symbol) + " ") })
        let column = try #require(
            Layout(width: 100, height: 20, sideBySide: false, barCount: 10)?.streams[0].bars?.column)
        #expect(frame.style(row: row.offset, column: column + 1) == .chosen)
    }

    @Test("side by side shows both streams with their labels and bars")
    func sideBySide() {
        let c = running()
        c.handle(.control("g"))
        c.handle(.control("n"))
        let text = PlayView.frame(c, width: 100, height: 30).lines().dropLast().joined(separator: "\n")
        #expect(text.contains("greedy"))
        #expect(text.contains("sampled T=0.80"))
        #expect(text.ranges(of: "The ").count == 2)
        #expect(text.ranges(of: " next").count == 2)
    }

    @Test("the prime line shows what is typed, its tail when long, and carries the cursor")
    func input() {
        let c = running()
        c.handle(.control("u"))
        for s in "ROMEO".unicodeScalars { c.handle(.character(s)) }
        var frame = PlayView.frame(c, width: 40, height: 10)
        #expect(frame.lines()[9].hasPrefix("prime› ROMEO"))
        #expect(frame.cursor?.row == 9 && frame.cursor?.column == 12)
        for _ in 0..<60 { c.handle(.character("x")) }
        frame = PlayView.frame(c, width: 40, height: 10)
        #expect(frame.lines()[9].hasSuffix("xxxx "))
    }

    @Test("the prime line shows newlines and tabs with the bars' glyphs, and its tail when long")
    func inputGlyphs() {
        let c = running()
        c.handle(.control("u"))
        for key: Key in [.character("A"), .altEnter, .character("B")] { c.handle(key) }
        c.handle(.pasteBegin)
        for key: Key in [.character("C"), .tab, .character("D"), .enter] { c.handle(key) }
        c.handle(.pasteEnd)
        let frame = PlayView.frame(c, width: 40, height: 10)
        #expect(frame.lines()[9].hasPrefix("prime› A⏎B" + "C⇥D⏎ "))
        #expect(frame.cursor?.column == 14)
    }

    @Test("an error notice appears in the status line and keeps the checkpoint name")
    func notice() {
        let session = ScriptedSession()
        let c = running(session)
        c.handle(.control("u"))
        for s in "!fail".unicodeScalars { c.handle(.character(s)) }
        c.handle(.enter)
        let frame = PlayView.frame(c, width: 60, height: 12)
        let status = frame.lines()[0]
        #expect(status.contains("⚠ seed refused"))
        #expect(status.contains("tiny"))
        #expect(frame.style(row: 0, column: status.count - 3) == .alert)
    }

    @Test("the help overlay lists the keys")
    func help() {
        let c = running()
        c.handle(.function(1))
        let text = PlayView.frame(c, width: 80, height: 24).screenText
        #expect(text.contains("Ctrl-G"))
        #expect(text.contains("greedy | sampled side by side"))
        #expect(text.contains("keys"))
    }

    @Test("before any prime the screen invites typing")
    func idle() {
        let c = PlayController(
            session: ScriptedSession(), state: PlayState(), checkpoint: "ck/tiny.safetensors",
            clock: clock.read, listCheckpoints: { _ in [] })
        let text = PlayView.frame(c, width: 80, height: 24).screenText
        #expect(text.contains("Type a prime and press Enter"))
        #expect(text.contains("waiting for a prime"))
    }

    @Test("a terminal too small to draw gets a short message, never a crash")
    func tooSmall() {
        let c = running()
        for (w, h) in [(20, 4), (29, 30), (5, 1), (0, 0), (1, 10)] {
            let frame = PlayView.frame(c, width: w, height: h)
            #expect(frame.lines().count == h)
            if w >= 18 && h >= 1 { #expect(frame.lines()[0].contains("too small")) }
        }
    }

    @Test("every size and mode draws inside the frame")
    func everySize() {
        let c = running()
        for side in [false, true] {
            if side { c.handle(.control("g")) }
            for w in stride(from: 1, through: 130, by: 13) {
                for h in stride(from: 1, through: 45, by: 7) {
                    let frame = PlayView.frame(c, width: w, height: h)
                    let lines = frame.lines()
                    #expect(lines.count == h)
                    #expect(lines.allSatisfy { ColumnWidth.standard.columns(of: $0) <= w })
                    for t in frame.texts {
                        #expect(t.column + ColumnWidth.standard.columns(of: t.text) <= w)
                    }
                }
            }
        }
    }
}
