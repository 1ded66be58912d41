import CharRNN
import Testing

@testable import CharRNNPlay

@Suite("Play controller")
struct PlayControllerTests {
    let clock = ManualClock()

    func controller(
        _ session: ScriptedSession, state: PlayState = PlayState(sampler: SamplerSettings(temperature: 0.8)),
        randomSeed: UInt64? = 7, files: [String] = ["ck/a.safetensors", "ck/b.safetensors", "ck/c.safetensors"]
    ) -> PlayController {
        PlayController(
            session: session, state: state, checkpoint: "ck/a.safetensors", randomSeed: randomSeed,
            clock: clock.read, listCheckpoints: { _ in files })
    }

    func type(_ text: String, into c: PlayController) {
        for s in text.unicodeScalars { c.handle(.character(s)) }
    }

    /// Moves the clock by `seconds` and streams as one frame would.
    func frame(_ c: PlayController, seconds: Double = 1.0 / 30) {
        clock.now += seconds
        c.advance(until: clock.now + 1)
    }

    @Test("a typed prime starts generation with the state's sampler and the fixed random seed")
    func startFromPrime() throws {
        let session = ScriptedSession()
        let c = controller(session)
        type("To be", into: c)
        c.handle(.enter)
        let start = try #require(session.starts.last)
        #expect(start.prime == "To be")
        #expect(start.samplers == [SamplerSettings(temperature: 0.8)])
        #expect(start.randomSeed == 7)
        #expect(c.texts[0].text == "To be")
        #expect(c.distributions[0]?.chosen == nil)  // the next character's distribution, nothing drawn
        #expect(c.distributions[0]?.candidates.isEmpty == false)
    }

    @Test("without --seed every start draws a new random seed and shows it")
    func randomSeeds() {
        let session = ScriptedSession()
        let c = controller(session, randomSeed: nil)
        var seen: Set<UInt64> = []
        for _ in 0..<5 {
            c.handle(.enter)
            seen.insert(session.starts.last!.randomSeed)
            #expect(c.randomSeed == session.starts.last!.randomSeed)
        }
        #expect(seen.count > 1)
    }

    @Test("text streams at the speed setting: 30 characters a second")
    func pacing() {
        let session = ScriptedSession(script: "abcdefghijklmnopqrstuvwxyz")
        let c = controller(session)
        c.handle(.enter)
        frame(c, seconds: 0)
        for _ in 0..<4 { frame(c, seconds: 0.125) }
        #expect(c.texts[0].generatedCount == 15)
        for _ in 0..<4 { frame(c, seconds: 0.125) }
        #expect(c.texts[0].generatedCount == 30)
        #expect(c.texts[0].text == "abcdefghijklmnopqrstuvwxyzabcd")
        #expect(c.distributions[0]?.chosen?.symbol == "d")
    }

    @Test("unlimited speed streams until the frame's deadline, at least one character")
    func unlimited() {
        let session = ScriptedSession()
        var state = PlayState()
        state.speedIndex = PlayState.speeds.count - 1
        let c = controller(session, state: state)
        c.handle(.enter)
        clock.now += 1
        c.advance(until: clock.now)  // deadline already reached: one character only
        #expect(c.texts[0].generatedCount == 1)
    }

    @Test("a long stall does not burst out a backlog of characters")
    func noBurst() {
        let session = ScriptedSession()
        let c = controller(session)
        c.handle(.enter)
        frame(c, seconds: 0)
        frame(c, seconds: 60)
        #expect(c.texts[0].generatedCount <= 30 / 4 + 1)
    }

    @Test("paused, nothing streams; Ctrl-N steps exactly one character")
    func pauseAndStep() {
        let session = ScriptedSession(script: "xyz")
        let c = controller(session)
        c.handle(.enter)
        c.handle(.control("p"))
        for _ in 0..<10 { frame(c) }
        #expect(c.texts[0].generatedCount == 0)
        c.handle(.control("n"))
        #expect(c.texts[0].text == "x")
        #expect(c.distributions[0]?.chosen?.symbol == "x")
        c.handle(.control("p"))
        frame(c, seconds: 0)
        frame(c, seconds: 0.125)
        #expect(c.texts[0].generatedCount == 1 + 3)
    }

    @Test("Up/Down change the running streams' temperature; paused, the bars are recomputed at once")
    func temperature() {
        let session = ScriptedSession()
        let c = controller(session)
        c.handle(.enter)
        c.handle(.control("p"))
        let before = c.distributions[0]?.candidates.first?.probability ?? 0
        c.handle(.up)
        #expect(session.samplers == [SamplerSettings(temperature: 0.85)])
        c.handle(.down)
        c.handle(.down)
        #expect(session.samplers == [SamplerSettings(temperature: 0.75)])
        let after = c.distributions[0]?.candidates.first?.probability ?? 0
        #expect(after > before)  // cooler: the top candidate gains
    }

    @Test("Ctrl-G runs greedy and sampled streams side by side from the same prime")
    func sideBySide() {
        let session = ScriptedSession(script: "ab")
        let c = controller(session)
        type("q", into: c)
        c.handle(.enter)
        c.handle(.control("g"))
        #expect(session.starts.last?.samplers.count == 2)
        #expect(session.starts.last?.samplers[0].isDeterministic == true)
        #expect(c.texts.count == 2 && c.distributions.count == 2)
        frame(c, seconds: 0)
        frame(c, seconds: 0.125)
        #expect(c.texts.map(\.text) == ["qaba", "qaba"])
        c.handle(.control("g"))
        #expect(c.texts.count == 1)
    }

    @Test("Ctrl-R forgets the text and the state")
    func reset() {
        let session = ScriptedSession()
        let c = controller(session)
        c.handle(.enter)
        frame(c, seconds: 0)
        frame(c)
        c.handle(.control("r"))
        #expect(session.resets == 1)
        #expect(c.texts[0].isEmpty && c.distributions[0] == nil)
        frame(c)
        #expect(c.texts[0].isEmpty)
    }

    @Test("Tab loads the next checkpoint and restarts from the running prime")
    func switchCheckpoint() {
        let session = ScriptedSession()
        let c = controller(session)
        type("hi", into: c)
        c.handle(.enter)
        c.handle(.tab)
        #expect(session.loaded == ["ck/b.safetensors"])
        #expect(session.model.name == "b")
        #expect(session.starts.count == 2 && session.starts.last?.prime == "hi")
        #expect(c.currentNotice?.text == "loaded b")
        c.handle(.backTab)
        #expect(session.loaded.last == "ck/a.safetensors")
    }

    @Test("--checkpoints DIR: Tab lists that folder instead of the checkpoint's")
    func checkpointFolder() {
        let session = ScriptedSession()
        var listed: [String] = []
        let c = PlayController(
            session: session, state: PlayState(), checkpoint: "ck/a.safetensors", checkpointFolder: "more",
            clock: clock.read,
            listCheckpoints: { folder in
                listed.append(folder)
                return ["more/x.safetensors"]
            })
        c.handle(.tab)
        #expect(listed == ["more"])
        #expect(session.loaded == ["more/x.safetensors"])
    }

    @Test("a checkpoint that fails to load shows its error and the previous one stays in use")
    func failedLoad() {
        let session = ScriptedSession()
        session.brokenCheckpoints["ck/b.safetensors"] = "ck/b.safetensors: not a charrnn checkpoint"
        let c = controller(session)
        c.handle(.enter)
        c.handle(.tab)
        #expect(session.loaded.isEmpty)
        #expect(session.model.name == "tiny")
        #expect(
            c.currentNotice
                == PlayController.Notice(
                    text: "ck/b.safetensors: not a charrnn checkpoint", isError: true,
                    until: clock.now + PlayController.noticeSeconds))
        #expect(c.checkpoints.current == "ck/a.safetensors")
        c.handle(.tab)  // moves past the broken one
        #expect(session.loaded == ["ck/c.safetensors"])
    }

    @Test("notices expire")
    func noticeExpiry() {
        let session = ScriptedSession()
        let c = controller(session, files: ["ck/a.safetensors"])
        c.handle(.tab)
        #expect(c.currentNotice?.text == "no other checkpoint in ck")
        clock.now += PlayController.noticeSeconds + 1
        #expect(c.currentNotice == nil)
    }

    @Test("prime characters outside the vocabulary are reported")
    func skippedPrimeCharacters() {
        let session = ScriptedSession()
        let c = controller(session)
        type("a#b", into: c)
        c.handle(.enter)
        #expect(c.currentNotice?.isError == true)
        #expect(c.currentNotice?.text.contains("skipped 1") == true)
        #expect(c.state.running)
    }

    @Test("a refused prime or a failing step shows the error instead of crashing")
    func errors() {
        let session = ScriptedSession()
        let c = controller(session)
        type("!fail", into: c)
        c.handle(.enter)
        #expect(!c.state.running)
        #expect(c.currentNotice?.text == "seed refused")
        c.handle(.control("u"))
        c.handle(.enter)
        session.failNextStep = true
        frame(c, seconds: 0)
        frame(c, seconds: 0.125)
        #expect(c.state.paused)
        #expect(c.currentNotice?.text == "engine failed")
    }

    @Test("Ctrl-C and Esc quit; Esc first closes the help")
    func quit() {
        let c = controller(ScriptedSession())
        c.handle(.function(1))
        c.handle(.escape)
        #expect(!c.quitRequested && !c.state.helpShown)
        c.handle(.escape)
        #expect(c.quitRequested)
        let d = controller(ScriptedSession())
        d.handle(.control("c"))
        #expect(d.quitRequested)
    }

    @Test("characters per second are measured over the last second")
    func rate() {
        let session = ScriptedSession()
        var state = PlayState()
        state.speedIndex = PlayState.speeds.firstIndex(of: 60)!
        let c = controller(session, state: state)
        c.handle(.enter)
        #expect(c.charactersPerSecond == nil)
        frame(c, seconds: 0)
        for _ in 0..<60 { frame(c) }
        let rate = c.charactersPerSecond ?? 0
        #expect(rate > 50 && rate < 70)
    }

    @Test("a bracketed paste goes into the prime as text, newlines and tabs too: nothing starts, Tab loads nothing")
    func bracketedPaste() throws {
        let session = ScriptedSession()
        let c = controller(session)
        type("NAME", into: c)
        c.handle(.pasteBegin)
        for key: Key in [.character("."), .enter, .character("A"), .tab, .character("b"), .enter] { c.handle(key) }
        c.handle(.pasteEnd)
        #expect(c.state.primeLine == "NAME.\nA\tb\n")
        #expect(session.starts.isEmpty && session.loaded.isEmpty && !c.state.running)
        c.handle(.enter)
        #expect(try #require(session.starts.last).prime == "NAME.\nA\tb\n")
    }

    @Test("a paste whose end marker is lost ends after pasteTimeout without input: Enter is Enter again")
    func lostPasteEnd() {
        let session = ScriptedSession()
        let c = controller(session)
        c.handle(.pasteBegin)
        type("ab", into: c)
        c.handle(.enter)
        clock.now += PlayController.pasteTimeout / 2
        c.handle(.enter)
        #expect(session.starts.isEmpty && c.state.primeLine == "ab\n\n")
        clock.now += PlayController.pasteTimeout * 1.5
        c.handle(.enter)
        #expect(!c.state.pasting && session.starts.last?.prime == "ab\n\n")
    }

    @Test("Alt-Enter puts a newline in the prime; Enter starts from it")
    func literalNewline() {
        let session = ScriptedSession()
        let c = controller(session)
        type("ROMEO.", into: c)
        c.handle(.altEnter)
        type("But", into: c)
        #expect(session.starts.isEmpty)
        c.handle(.enter)
        #expect(session.starts.last?.prime == "ROMEO.\nBut")
    }

    @Test("deferred keys: all their Enters make one start and their Tabs one load, when the loop finishes the work")
    func deferredWork() {
        let session = ScriptedSession()
        let c = controller(session, files: ["ck/a.safetensors", "ck/b.safetensors", "ck/c.safetensors"])
        let keys: [Key] = [
            .character("a"), .enter, .tab, .character("b"), .enter, .tab, .backTab, .tab, .control("g"), .up,
        ]
        for key in keys { c.handle(key, deferring: true) }
        #expect(session.starts.isEmpty && session.loaded.isEmpty && c.hasDeferredWork)
        c.finishDeferredWork()
        #expect(!c.hasDeferredWork)
        #expect(session.loaded == ["ck/c.safetensors"])  // two places on, loaded once
        #expect(session.starts.count == 1)
        #expect(session.starts.last?.prime == "ab" && session.starts.last?.samplers.count == 2)
        #expect(session.starts.last?.samplers[1].temperature == 0.85)
        #expect(c.texts.count == 2)
    }

    @Test("Ctrl-R forgets a deferred start; a full prime line says so")
    func deferredResetAndFullPrime() {
        let session = ScriptedSession()
        let c = controller(session)
        c.handle(.enter, deferring: true)
        c.handle(.control("r"), deferring: true)
        c.finishDeferredWork()
        #expect(session.starts.isEmpty && !c.state.running)
        for _ in 0...PlayState.primeLimit { c.handle(.character("z"), deferring: true) }
        #expect(c.currentNotice?.isError == true && c.currentNotice?.text.contains("4096") == true)
    }
}
