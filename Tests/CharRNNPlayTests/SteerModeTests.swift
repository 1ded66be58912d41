import CharRNN
import Foundation
import Testing

@testable import CharRNNPlay

/// Steer mode on the real engine with the tiny GRU fixture: F2 pauses the sampled stream, digits
/// pick the numbered candidate, Left rewinds, a different pick starts a branch.
@Suite("Steer mode")
struct SteerModeTests {
    let clock = ManualClock()
    let tiny = EngineSessionTests.fixtures + "tiny-gru.safetensors"

    /// A controller on the tiny GRU that has streamed `characters` characters from "The ".
    func streamed(_ characters: Int = 12, width: Int = 100, height: Int = 24) throws -> PlayController {
        let session = try EngineSession(checkpoint: tiny, compute: .streaming(split: false))
        let c = PlayController(
            session: session, state: PlayState(primeLine: "The "), checkpoint: tiny, randomSeed: 5, clock: clock.read)
        c.screenSize = (width, height)
        c.handle(.enter)
        c.handle(.control("p"))
        for _ in 0..<characters { c.handle(.control("n")) }
        c.handle(.control("p"))
        return c
    }

    func frame(_ c: PlayController) -> Frame {
        PlayView.frame(c, width: c.screenSize.width, height: c.screenSize.height)
    }

    /// The branch's generated text.
    func branchText(_ c: PlayController) -> String { c.steer!.session.branch.text }

    @Test("F2 pauses streaming: the stream's text stays and the screen shows STEER and its keys")
    func entering() throws {
        let c = try streamed()
        let before = c.texts[0].text
        c.handle(.function(2))
        #expect(c.state.mode == .steer)
        clock.now += 1
        c.advance(until: clock.now + 0.1)
        #expect(c.texts[0].text == before, "nothing streams while steering")
        #expect(branchText(c) == String(before.dropFirst(4)), "the branch is what the stream wrote")
        #expect(c.steer!.session.cursor == 12)
        let lines = frame(c).lines()
        #expect(lines[0].contains("STEER") && lines[0].contains("branch 1/1") && lines[0].contains("at 12/12"))
        #expect(lines[23].hasPrefix("F1Help  F2Write  F10Quit  1-9Pick"))
        #expect(lines[1].hasPrefix("The " + branchText(c)))
    }

    @Test("F2 before anything streamed says so and stays in write mode")
    func nothingToSteer() throws {
        let session = try EngineSession(checkpoint: tiny)
        let c = PlayController(session: session, state: PlayState(), checkpoint: tiny, clock: clock.read)
        c.handle(.function(2))
        #expect(c.state.mode == .write && c.steer == nil)
        #expect(c.currentNotice?.text.contains("nothing to steer") == true)
    }

    @Test("F2 steers the last stream that is not a beam search; beams alone cannot be steered")
    func beamsNotSteered() throws {
        let session = try EngineSession(checkpoint: tiny)
        var state = PlayState(primeLine: "The ", sampler: SamplerSettings(method: .beam, beamWidth: 3))
        let c = PlayController(session: session, state: state, checkpoint: tiny, randomSeed: 5, clock: clock.read)
        c.handle(.enter)
        c.handle(.function(2))
        #expect(
            c.state.mode == .write && c.currentNotice?.text == "a beam search cannot be steered: steer a sampled stream"
        )
        state = PlayState(primeLine: "The ")
        state.sideBySide = true
        state.layoutPreset = 1  // greedy | beam 5 | T=0.5 | T=1.0
        let four = PlayController(session: session, state: state, checkpoint: tiny, randomSeed: 5, clock: clock.read)
        four.handle(.enter)
        four.handle(.control("p"))
        four.handle(.control("n"))
        four.handle(.function(2))
        #expect(four.state.mode == .steer && four.steer?.session.stream.settings.temperature == 1)
        #expect(four.steer?.session.branch.text == String(four.texts[3].text.dropFirst(4)))
    }

    @Test("a session that cannot steer shows its error and the streams go on")
    func steeringFails() {
        let c = PlayController(
            session: ScriptedSession(), state: PlayState(primeLine: "a"), checkpoint: "/m/tiny.safetensors",
            clock: clock.read)
        c.handle(.enter)
        c.handle(.function(2))
        #expect(c.state.mode == .write && c.currentNotice?.text == "the scripted session cannot steer")
    }

    @Test("a digit appends the numbered candidate after the cursor; the bars are numbered 1-9")
    func digitPicks() throws {
        let c = try streamed()
        c.handle(.function(2))
        let bars = try #require(c.steerBars)
        let screen = frame(c).lines()
        // Bars beside the text: title on row 1, candidate n on row 1 + n, its number first.
        let barsColumn = Layout(width: 100, height: 24, sideBySide: false, barCount: 10)!.streams[0].bars!.column
        for n in 1...9 {
            let row = Array(screen[1 + n])
            #expect(String(row[barsColumn]) == "\(n)")
        }
        let before = branchText(c)
        c.handle(.character("3"))
        #expect(branchText(c) == before + String(bars.candidates[2].symbol!))
        #expect(c.steer!.session.cursor == 13 && c.steer!.session.branches.count == 1)
    }

    @Test("digits beyond the numbered bars do nothing and say why")
    func digitBeyondBars() throws {
        let c = try streamed()
        c.handle(.function(2))
        c.handle(.character("-"))
        c.handle(.character("-"))
        #expect(c.state.barCount == 8)
        let before = branchText(c)
        c.handle(.character("9"))
        #expect(branchText(c) == before)
        #expect(c.currentNotice?.text == "9 does nothing: only 8 bar(s) are numbered")
        c.handle(.character("8"))
        #expect(branchText(c).count == before.count + 1)
    }

    @Test("Left rewinds: the bars are those that were there, the text after the cursor stays, dimmed")
    func rewinding() throws {
        let c = try streamed()
        c.handle(.function(2))
        let atEnd = try #require(c.steerBars)
        c.handle(.character("1"))
        #expect(c.steerBars != atEnd)
        c.handle(.left)
        #expect(c.steerBars == atEnd, "bit-equal bars after rewinding one character")
        #expect(c.steer!.session.cursor == 12 && branchText(c).count == 13)
        let f = frame(c)
        let cursor = try #require(f.cursor)
        #expect(f.style(row: cursor.row, column: cursor.column) == .cursor)
        #expect(f.style(row: 1, column: 0) == .prime)
        #expect(f.style(row: 1, column: 4) == .plain)
        c.handle(.home)
        #expect(c.steer!.session.cursor == 0)
        #expect(frame(c).style(row: 1, column: 5) == .dim)
        c.handle(.right)
        #expect(c.steer!.session.cursor == 1)
        c.handle(.end)
        #expect(c.steer!.session.cursor == 13)
    }

    @Test("rewinding before the prime stops at the prime and says so")
    func primeStops() throws {
        let c = try streamed(2)
        c.handle(.function(2))
        c.handle(.left)
        c.handle(.left)
        c.handle(.left)
        #expect(c.steer!.session.cursor == 0)
        #expect(c.currentNotice?.text == "the prime starts here: steering stops at it")
        #expect(branchText(c).count == 2)
    }

    @Test("a different pick at a rewound position starts a branch; the tree lists both; Up/Down switch")
    func branching() throws {
        let c = try streamed()
        c.handle(.function(2))
        c.handle(.left)
        c.handle(.left)
        let s = c.steer!.session
        let original = s.branch.text
        let next = original.unicodeScalars[
            original.unicodeScalars.index(original.unicodeScalars.startIndex, offsetBy: 10)]
        // A candidate other than the character the branch has there.
        let bars = try #require(c.steerBars)
        let other = try #require(bars.candidates.firstIndex { $0.symbol != next })
        c.handle(.character(Unicode.Scalar(UInt8(0x31 + other))))
        #expect(s.branches.count == 2 && s.current == 1)
        #expect(s.branches[0].text == original, "the first branch keeps its text")
        #expect(s.branch.forkPosition == 10 && s.branch.count == 11)
        c.handle(.character("b"))
        let tree = c.steer!.treeLines
        #expect(tree.map(\.text).count == 2)
        #expect(tree[0].text.hasPrefix("1 · 12 ch · ") && !tree[0].isCurrent)
        #expect(tree[1].text.hasPrefix("└ 2 from 1 at 10 · 11 ch · ") && tree[1].isCurrent)
        let screen = frame(c).screenText
        #expect(screen.contains("branches") && screen.contains("▶ └ 2 from 1 at 10"))
        c.handle(.up)
        #expect(s.current == 0 && s.cursor == 12)
        #expect(frame(c).lines()[0].contains("branch 1/2"))
        c.handle(.up)
        #expect(c.currentNotice?.text == "no previous branch")
        c.handle(.down)
        #expect(s.current == 1)
        c.handle(.character("b"))
        #expect(!frame(c).screenText.contains("branches"))
    }

    @Test("Space samples one character with the stream's sampler")
    func spaceSamples() throws {
        let c = try streamed()
        c.handle(.function(2))
        c.handle(.character(" "))
        c.handle(.character(" "))
        #expect(branchText(c).count == 14 && c.steer!.session.cursor == 14)
    }

    @Test("printable keys do not edit the prime in steer mode")
    func primeUntouched() throws {
        let c = try streamed()
        c.handle(.function(2))
        for key in "xyz".unicodeScalars { c.handle(.character(key)) }
        c.handle(.backspace)
        #expect(c.state.primeLine == "The ")
        #expect(branchText(c).count == 12)
    }

    @Test("Enter streams on from the cursor; F2 and Esc leave with the streams as they were")
    func leaving() throws {
        let c = try streamed()
        let before = c.texts[0].text
        c.handle(.function(2))
        c.handle(.function(2))
        #expect(c.state.mode == .write && c.steer == nil && c.texts[0].text == before)
        c.handle(.function(2))
        c.handle(.escape)
        #expect(c.state.mode == .write && !c.quitRequested)
        c.handle(.function(2))
        c.handle(.left)
        c.handle(.left)
        c.handle(.enter)
        let prime = String(before.dropLast(2))
        #expect(c.state.mode == .write && c.state.activePrime == prime)
        #expect(c.texts[0].text == prime)
        c.advance(until: clock.now)
        clock.now += 1
        c.advance(until: clock.now + 0.1)
        #expect(c.texts[0].text.count > prime.count, "streaming again")
    }

    @Test("w writes the branch, W every branch, to the file the status line names")
    func saving() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let c = try streamed()
        c.saveFolder = folder
        c.handle(.function(2))
        c.handle(.left)
        c.handle(.character("2"))
        c.handle(.character("w"))
        let path = folder + "/steer-tiny-gru-branch2.txt"
        #expect(c.currentNotice?.text == "wrote " + path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "The " + branchText(c))
        c.handle(.character("W"))
        let all = try String(contentsOfFile: folder + "/steer-tiny-gru-branches.txt", encoding: .utf8)
        #expect(all.contains("### 1 · 12 ch") && all.contains("### 2 from 1 at 11 · 12 ch"))
        c.saveFolder = folder + "/missing"
        c.handle(.character("w"))
        #expect(c.currentNotice?.isError == true)
    }

    @Test("F1 in steer mode lists steer mode's keys")
    func help() throws {
        let c = try streamed()
        c.handle(.function(2))
        c.handle(.function(1))
        let screen = frame(c).screenText
        for keys in ["1 … 9", "Space", "Left  Right", "Up  Down", "w  W", "Enter", "F2  Esc"] {
            #expect(screen.contains(keys), "\(keys)")
        }
        c.handle(.escape)
        #expect(c.state.mode == .steer && !c.state.helpShown)
        #expect(KeyMap.help(for: .write).contains { $0.keys == "F2" })
    }
}

/// Side by side with up to four streams: the layout presets, their labels, beam streams.
@Suite("Side-by-side layouts")
struct LayoutPresetTests {
    let clock = ManualClock()

    @Test("Ctrl-L: side by side with the next preset, each stream labelled with its settings")
    func presets() {
        let c = PlayController(
            session: ScriptedSession(), state: PlayState(primeLine: "a"), checkpoint: "/m/tiny.safetensors",
            clock: clock.read)
        c.handle(.enter)
        c.handle(.control("l"))
        #expect(c.state.sideBySide && c.state.layoutPreset == 0)
        #expect(c.state.streamLabels == ["greedy", "sampled T=0.80"])
        c.handle(.control("l"))
        #expect(c.state.streamLabels == ["greedy", "beam 5", "T=0.50", "T=1.00"])
        #expect(c.state.samplers.map(\.method) == [.greedy, .beam, .multinomial, .multinomial])
        #expect(c.texts.count == 4, "the streams started again, four of them")
        c.handle(.up)  // the sampled stream's temperature: not in this preset
        #expect(c.state.samplers[2].temperature == 0.5)
        c.handle(.control("l"))
        #expect(c.state.streamLabels == ["sampled T=0.85", "T=0.50", "T=1.00"])
        c.handle(.control("l"))
        c.handle(.control("l"))
        #expect(c.state.layoutPreset == 0)
        c.handle(.control("g"))
        #expect(!c.state.sideBySide && c.state.samplers.count == 1)
    }

    @Test("four streams draw at 120×36, each with its label, text and bars; narrow screens stack them")
    func fourStreams() throws {
        let layout = try #require(Layout(width: 120, height: 36, sideBySide: true, barCount: 10, columns: 4))
        #expect(layout.streams.count == 4 && layout.separators == [28, 58, 88])
        #expect(layout.streams.allSatisfy { $0.bars != nil && $0.label != nil && $0.text.height >= 3 })
        #expect(layout.streams.map(\.text.width) == [27, 27, 27, 30])
        let narrow = try #require(Layout(width: 60, height: 20, sideBySide: true, barCount: 10, columns: 4))
        #expect(narrow.separators.isEmpty && narrow.streams.count == 4)
        #expect(narrow.streams.allSatisfy { $0.bars == nil && $0.text.width == 60 && $0.text.height == 3 })
        let tiny = try #require(Layout(width: 60, height: 7, sideBySide: true, barCount: 10, columns: 4))
        #expect(tiny.streams.count == 2, "as many as fit")

        let c = PlayController(
            session: ScriptedSession(), state: PlayState(primeLine: "a"), checkpoint: "/m/tiny.safetensors",
            clock: clock.read)
        c.handle(.control("l"))
        c.handle(.control("l"))
        c.handle(.enter)
        c.handle(.control("p"))
        for _ in 0..<5 { c.handle(.control("n")) }
        let lines = PlayView.frame(c, width: 120, height: 36).lines()
        for label in [" greedy", " beam 5", " T=0.50", " T=1.00"] { #expect(lines[1].contains(label)) }
        #expect(lines[2].hasPrefix("athe c"))
        #expect(lines[2].contains("│ athe c"))
    }

    @Test("a beam stream shows its best beam so far, redrawn each step, with its score")
    func beamStream() throws {
        let tiny = EngineSessionTests.fixtures + "tiny-gru.safetensors"
        let session = try EngineSession(checkpoint: tiny, compute: .streaming(split: false))
        var state = PlayState(primeLine: "The ")
        state.sideBySide = true
        state.layoutPreset = 3  // greedy | beam 5
        let c = PlayController(session: session, state: state, checkpoint: tiny, randomSeed: 1, clock: clock.read)
        c.handle(.enter)
        c.handle(.control("p"))
        for _ in 0..<12 { c.handle(.control("n")) }
        // The reference: the engine's search alone on the same prime.
        let alone = try GenerationSession(model: CharRNNModel.load(path: tiny), compute: .streaming(split: false))
        try alone.addStream(settings: .greedy, seed: 1)
        alone.prime(with: "The ")
        let search = try BeamSearch(session: alone, width: 5)
        search.run(length: 12)
        #expect(c.texts[1].text == "The " + search.best.text)
        #expect(session.bestBeam(stream: 1) == search.best && session.bestBeam(stream: 0) == nil)
        #expect(c.distributions[1] == nil && c.distributions[0] != nil)
        let label = PlayView.frame(c, width: 120, height: 36).lines()[1]
        #expect(label.contains("beam 5 · ln p " + NumberText.fixed(search.best.logProbability, decimals: 1)))
    }

    @Test("a beam width beyond the vocabulary is capped and said so")
    func beamCapped() throws {
        let tiny = EngineSessionTests.fixtures + "tiny-gru.safetensors"
        let session = try EngineSession(checkpoint: tiny)
        let note = try session.start(
            prime: "The ", samplers: [SamplerSettings(method: .beam, beamWidth: 80)], randomSeed: 1,
            shouldContinue: { true })
        #expect(note == "beam width 80 capped to the 50 characters of the vocabulary")
    }
}

/// Two checkpoints side by side on the same prime.
@Suite("Versus")
struct VersusTests {
    let clock = ManualClock()

    @Test("Ctrl-V puts the folder's next checkpoint beside the first; a broken one shows its error, the first stays")
    func toggling() {
        let session = ScriptedSession()
        session.brokenCheckpoints["/m/b.safetensors"] = "b.safetensors: not a checkpoint"
        var files = ["/m/a.safetensors", "/m/b.safetensors", "/m/c.safetensors"]
        let c = PlayController(
            session: session, state: PlayState(primeLine: "a"), checkpoint: "/m/a.safetensors", clock: clock.read,
            listCheckpoints: { _ in files })
        c.handle(.enter)
        c.handle(.control("v"))
        #expect(!c.state.versus && session.versusModel == nil && c.texts.count == 1)
        #expect(c.currentNotice?.text == "b.safetensors: not a checkpoint" && c.currentNotice?.isError == true)
        #expect(c.checkpoints.current == "/m/a.safetensors", "the first model stays")
        files.remove(at: 1)
        c.handle(.control("v"))
        #expect(c.state.versus && session.versusModel?.name == "c" && c.texts.count == 2)
        #expect(session.starts.last?.samplers.count == 2, "started again with two streams")
        c.handle(.control("p"))
        c.handle(.control("n"))
        let label = PlayView.frame(c, width: 100, height: 24).lines()[1]
        #expect(label.contains(" tiny") && label.contains(" c · KL 0.250 bits"))
        c.handle(.control("v"))
        #expect(!c.state.versus && session.versusModel == nil && c.texts.count == 1)
    }

    @Test("two models on one prime write what each writes alone; KL is the engine's, 0 against itself")
    func engine() throws {
        let gru = EngineSessionTests.fixtures + "tiny-gru.safetensors"
        let lstm = EngineSessionTests.fixtures + "tiny-lstm.safetensors"
        let settings = SamplerSettings(temperature: 0.9)
        func alone(_ path: String) throws -> String {
            let s = try EngineSession(checkpoint: path)
            _ = try s.start(prime: "The ", samplers: [settings], randomSeed: 4, shouldContinue: { true })
            return String(String.UnicodeScalarView(try (0..<30).map { _ in try s.step(stream: 0).symbol! }))
        }
        let session = try EngineSession(checkpoint: gru)
        try session.loadVersus(checkpoint: lstm)
        _ = try session.start(prime: "The ", samplers: [settings, settings], randomSeed: 4, shouldContinue: { true })
        #expect(session.lastKLDivergenceBits == nil)
        var texts = ["", ""]
        var kl: [Double] = []
        for _ in 0..<30 {
            for i in 0..<2 { texts[i].unicodeScalars.append(try session.step(stream: i).symbol!) }
            kl.append(try #require(session.lastKLDivergenceBits))
        }
        #expect(texts == [try alone(gru), try alone(lstm)])
        #expect(kl.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(session.nextDistribution(stream: 1, count: 5) != session.nextDistribution(stream: 0, count: 5))

        try session.loadVersus(checkpoint: gru)
        _ = try session.start(prime: "The ", samplers: [settings, settings], randomSeed: 4, shouldContinue: { true })
        for _ in 0..<10 {
            for i in 0..<2 { _ = try session.step(stream: i) }
            #expect(session.lastKLDivergenceBits == 0)
        }
        let c = PlayController(
            session: session, state: PlayState(primeLine: "The "), checkpoint: gru, randomSeed: 4, clock: clock.read)
        c.state.versus = true
        c.handle(.enter)
        c.handle(.control("p"))
        for _ in 0..<6 { c.handle(.control("n")) }
        c.handle(.function(2))
        #expect(c.steer?.session.branch.text == String(c.texts[0].text.dropFirst(4)), "steers the first model's stream")
                #expect(throws: (any Error).self) { try session.loadVersus(checkpoint: "/nonexistent.safetensors") }
        #expect(session.versusModel?.name == "tiny-gru", "a failed load keeps the second model")
    }
}
