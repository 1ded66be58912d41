import CharRNN
import Foundation
import Testing

@testable import CharRNNPlay

/// F4: the text tinted by one hidden unit's value after each character (issue 12).
@Suite("Unit tint")
struct UnitTintTests {
    let clock = ManualClock()

    func controller(_ session: ScriptedSession = ScriptedSession()) -> PlayController {
        PlayController(
            session: session, state: PlayState(), checkpoint: "ck/tiny.safetensors", randomSeed: 42,
            clock: clock.read, listCheckpoints: { _ in ["ck/tiny.safetensors", "ck/lstm.safetensors"] })
    }

    /// The tint of the scripted session's unit after its p-th character.
    func scripted(_ position: Int, unit: Int) -> Style {
        .unit(DivergingTint(ScriptedSession.unitValue(position: position, unit: unit)).step)
    }

    /// Primes with "ab", then streams `frames` frames of characters.
    func run(_ c: PlayController, frames: Int = 8) {
        for s in "ab".unicodeScalars { c.handle(.character(s)) }
        c.handle(.enter)
        for _ in 0..<frames {
            clock.now += 0.125
            c.advance(until: clock.now + 1)
        }
    }

    /// Frames until the background ranking has come in.
    func waitForRanking(_ c: PlayController) {
        for _ in 0..<1000 where c.units.ranking == nil {
            usleep(5000)
            c.advance(until: clock.now)
        }
    }

    /// The styles of the stream's generated characters on the first text row, after the prime "ab".
    func generatedStyles(_ c: PlayController, count: Int) -> [Style?] {
        let frame = PlayView.frame(c, width: 80, height: 24)
        return (2..<2 + count).map { frame.style(row: 1, column: $0) }
    }

    @Test("F4 tints each generated character by the unit's value after it: DivergingTint of the engine's value")
    func tintsByUnit() {
        let c = controller()
        run(c)
        #expect(c.texts[0].generatedCount >= 8)
        let plain = generatedStyles(c, count: 8)
        #expect(!plain.contains { if case .unit = $0 { true } else { false } })
        c.handle(.function(4))
        #expect(c.state.unitTint)
        // The n-th generated character (from 0) is the scripted stream's position n + 1.
        let expected = (0..<8).map { n in scripted(n + 1, unit: 0) }
        #expect(generatedStyles(c, count: 8) == expected)
        #expect(Set(expected).count > 4, "the script walks through the steps")
        // F6: the next unit, retinting the text already there.
        c.handle(.function(6))
        #expect(c.tintedUnit == HiddenUnit(layer: 0, kind: .h, index: 1))
        let next = (0..<8).map { n in scripted(n + 1, unit: 1) }
        #expect(generatedStyles(c, count: 8) == next)
        let bottom = PlayView.frame(c, width: 80, height: 24).lines()[23]
        #expect(bottom.contains("unit  −1  −½  0  +½  +1"), "the legend: \(bottom)")
        c.handle(.function(4))
        #expect(generatedStyles(c, count: 8) == plain)
        #expect(!PlayView.frame(c, width: 80, height: 24).lines()[23].contains("−½"))
    }

    @Test("side by side, each stream is tinted by the same unit")
    func sideBySide() {
        let c = controller()
        c.handle(.control("g"))
        run(c)
        c.handle(.function(4))
        c.handle(.function(6))
        let frame = PlayView.frame(c, width: 100, height: 24)
        let layout = Layout(width: 100, height: 24, sideBySide: true, barCount: c.state.barCount)!
        #expect(layout.streams.count == 2)
        let expected = (0..<4).map { scripted($0 + 1, unit: 1) }
        for pane in layout.streams {
            #expect((2..<6).map { frame.style(row: pane.text.row, column: pane.text.column + $0) } == expected)
        }
    }

    @Test("the status names the unit with a sparkline of its last 8 values; F5/F6 step and wrap, F7 changes layer")
    func statusAndSteps() throws {
        let c = controller()
        run(c)
        c.handle(.function(4))
        let status = PlayView.statusLine(c).text(columns: 200)
        let spark = UnitSelection.sparkline(
            (0..<8).map { ScriptedSession.unitValue(position: c.texts[0].generatedCount - 7 + $0, unit: 0) })
        #expect(status.contains("L0 h 0 " + spark), "\(status)")
        c.handle(.function(5))  // wraps to the last unit of the layer (8 units)
        #expect(PlayView.statusLine(c).text(columns: 200).contains("L0 h 7 "))
        c.handle(.function(7))  // one layer: stays
        #expect(c.tintedUnit == HiddenUnit(layer: 0, kind: .h, index: 7))
        #expect(UnitSelection.sparkline([-1, 0, 1, .nan, 5]) == "▁▅█▅█")
    }

    @Test("F8 is refused on a GRU with a notice, and switches h ⇄ c on an LSTM; F7 steps through its layers")
    func kindSwitch() {
        let c = controller()
        run(c)
        c.handle(.function(4))
        c.handle(.function(8))
        #expect(c.tintedUnit.kind == .h)
        #expect(c.currentNotice?.text.contains("GRU") == true)
        c.handle(.tab)  // the scripted LSTM, 2 layers of 16
        #expect(c.session.model.config.cell == .lstm)
        c.handle(.function(8))
        #expect(c.tintedUnit == HiddenUnit(layer: 0, kind: .c, index: 0))
        c.handle(.function(7))
        #expect(c.tintedUnit == HiddenUnit(layer: 1, kind: .c, index: 0))
        c.handle(.function(7))
        #expect(c.tintedUnit.layer == 0)
    }

    @Test("with F4 on, typing still edits the prime; without it, F5–F9 do nothing")
    func keysDoNotCollide() {
        let c = controller()
        c.handle(.function(6))
        #expect(c.tintedUnit.index == 0)
        c.handle(.function(4))
        for s in "x[]".unicodeScalars { c.handle(.character(s)) }
        c.handle(.backspace)
        #expect(c.state.primeLine == "x[")
        #expect(KeyMap.action(for: .function(6), units: true) == .moveUnit(.next))
        #expect(KeyMap.action(for: .function(21), units: true) == .moveUnit(.nextRanked))
        #expect(KeyMap.action(for: .function(4)) == .toggleUnits)
        #expect(KeyMap.action(for: .function(4), mode: .read) == .toggleUnits)
        #expect(KeyMap.help.contains { $0.keys == "F4" } && KeyMap.readHelp.contains { $0.keys == "F4" })
    }

    @Test("F9 jumps to the ranked units: a unit planted on spaces is the space feature's best, r = +1")
    func rankingFindsPlantedUnit() throws {
        let session = ScriptedSession(script: "to be or not\n")
        session.plantedSpaceUnit = 5
        let c = controller(session)
        c.handle(.function(4))
        c.handle(.function(9))
        #expect(c.currentNotice?.text.contains("ranking") == true, "no ranking before any text")
        run(c, frames: 12)
        waitForRanking(c)
        let ranking = try #require(c.units.ranking)
        #expect(ranking.ranked(.quote).isEmpty, "no quote in the text: absent")
        var seen: [TextFeature] = []
        for _ in 0..<TextFeature.allCases.count {
            c.handle(.function(9))
            if let feature = c.units.selection.feature?.feature { seen.append(feature) }
            if seen.last == .space { break }
        }
        #expect(seen.last == .space && !seen.contains(.quote), "\(seen)")
        #expect(c.tintedUnit.index == 5)
        #expect(PlayView.statusLine(c).text(columns: 200).contains("L0 h 5 space #1 r=+1.00"))
        #expect(c.currentNotice?.text.hasSuffix("characters shown: L0 h 5 space #1 r=+1.00") == true)
        c.handle(.function(21))  // the next best for spaces
        #expect(c.units.selection.feature?.rank == 1 && c.tintedUnit.index != 5)
        c.handle(.function(6))  // stepping leaves the ranking
        #expect(c.units.selection.feature == nil)
    }
}

/// F4 in read mode on the real engine: the tint is the unit's state after each character.
@Suite("Unit tint in read mode")
struct UnitTintReadTests {
    @Test("each shown character's tint is DivergingTint of the model's state after reading it, for h and c")
    func readTint() throws {
        let reading = try ReadModeTests()
        for checkpoint in ["a", "b"] {
            let c = try reading.reading()
            if checkpoint == "b" {
                c.handle(.tab)
                reading.waitForReading(c)
            }
            c.handle(.function(4))
            c.handle(.function(6))
            c.handle(.function(6))
            if checkpoint == "b" { c.handle(.function(8)) }  // the LSTM's c
            c.advance(until: reading.clock.now + 60)
            let d = try #require(c.document)
            let model = StreamingModel(
                try CharRNNModel.load(path: reading.folder + "/\(checkpoint).safetensors"),
                compute: .streaming(split: false))
            let unit = c.tintedUnit
            #expect(unit == HiddenUnit(layer: 0, kind: checkpoint == "b" ? .c : .h, index: 2))
            var expected: [Style] = []
            try model.forEachState(d.reading.tokens.prefix(200)) { _, state in
                expected.append(.unit(DivergingTint(state.value(of: unit)).step))
            }
            #expect((0..<200).map { c.unitStyle(readPosition: $0) } == expected)
            // On the screen: "eld," on the first text row, the cursor on "e".
            let frame = reading.frame(c)
            #expect(frame.lines()[1].hasPrefix("eld,"))
            #expect((1...3).map { frame.style(row: 1, column: $0) } == Array(expected[1...3]))
            #expect(PlayView.statusLine(c).text(columns: 300).contains(unit.label))
            #expect(frame.lines()[23].contains("unit  −1  −½  0  +½  +1"), "\(frame.lines()[23])")
        }
    }

    @Test("the session's unit values, from a snapshot at any position or carried on, equal the states read from 0")
    func unitValuesFromSnapshots() throws {
        let reading = try ReadModeTests()
        for checkpoint in ["a", "b"] {
            let path = reading.folder + "/\(checkpoint).safetensors"
            let session = try EngineSession(checkpoint: path, compute: .streaming(split: false))
            let (read, _) = try session.read(reading.text)
            for _ in 0..<2000 where !read.isComplete { usleep(5000) }
            let model = StreamingModel(try CharRNNModel.load(path: path), compute: .streaming(split: false))
            let U = HiddenUnit.all(in: model.config).count
            var all = [Float](repeating: 0, count: read.tokens.count * U)
            try all.withUnsafeMutableBufferPointer { out in
                try model.forEachState(read.tokens) { i, state in state.copyUnits(into: out.baseAddress! + i * U) }
            }
            var state: StreamingState?
            #expect(session.unitValues(of: read, in: 0..<5, carrying: &state) == Array(all[0..<5 * U]))
            state = nil
            #expect(session.unitValues(of: read, in: 100..<120, carrying: &state) == Array(all[100 * U..<120 * U]))
            #expect(session.unitValues(of: read, in: 120..<140, carrying: &state) == Array(all[120 * U..<140 * U]))
            state = nil
            #expect(session.unitValues(of: read, in: 256..<260, carrying: &state) == Array(all[256 * U..<260 * U]))
        }
    }
}
