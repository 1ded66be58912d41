import Testing

@testable import CharRNNPlay

/// A terminal that replays keys, one batch per frame, and keeps what was drawn.
final class ScriptedTerminal: PlayTerminal {
    var size: (width: Int, height: Int) = (80, 24)
    let columnWidth = ColumnWidth.standard
    var frames: [[Key]]
    var drawn: [Frame] = []
    var pendingSignal: Int32?
    var signalAfterFrames: Int?
    let clock: ManualClock
    private var current: [Key] = []

    init(frames: [[Key]], clock: ManualClock) {
        self.frames = frames
        self.clock = clock
    }

    func readKey(waitingMilliseconds milliseconds: Int) -> Key? {
        if !current.isEmpty { return current.removeFirst() }
        if milliseconds > 0 {
            clock.now += Double(milliseconds) / 1000  // the frame's wait passes
            if !frames.isEmpty { current = frames.removeFirst() }
        }
        return nil
    }

    func draw(_ frame: Frame) {
        drawn.append(frame)
        if let n = signalAfterFrames, drawn.count >= n { pendingSignal = 15 }
        if drawn.count > 500 { pendingSignal = 9 }  // a runaway loop fails the test instead of hanging
    }
}

@Suite("Frame loop")
struct PlayLoopTests {
    @Test("keys are handled every frame while text streams; Ctrl-C ends the loop")
    func loop() {
        let clock = ManualClock()
        let c = PlayController(
            session: ScriptedSession(), state: PlayState(), checkpoint: "ck/a.safetensors", randomSeed: 1,
            clock: clock.read, listCheckpoints: { _ in [] })
        var frames: [[Key]] = [[.character("a"), .enter]]
        frames += Array(repeating: [], count: 30)
        frames += [[.up], [], [.resize], [], [.control("c")]]
        let terminal = ScriptedTerminal(frames: frames, clock: clock)
        let exit = PlayLoop.run(c, on: terminal, clock: clock.read)
        #expect(exit == .quit)
        #expect(c.state.temperatureText == "0.85")
        #expect(c.texts[0].generatedCount >= 25)
        #expect(terminal.drawn.count >= 34 && terminal.drawn.count < 40)
        #expect(terminal.drawn.last?.lines()[0].contains("T=0.85") == true)
    }

    @Test("a stop signal ends the loop with that signal, so the caller can restore and re-raise")
    func signal() {
        let clock = ManualClock()
        let c = PlayController(
            session: ScriptedSession(), state: PlayState(), checkpoint: "ck/a.safetensors",
            clock: clock.read, listCheckpoints: { _ in [] })
        let terminal = ScriptedTerminal(frames: [], clock: clock)
        terminal.signalAfterFrames = 3
        #expect(PlayLoop.run(c, on: terminal, clock: clock.read) == .signal(15))
        #expect(terminal.drawn.count == 3)
    }

    @Test("resizing redraws at the new size")
    func resize() {
        let clock = ManualClock()
        let c = PlayController(
            session: ScriptedSession(), state: PlayState(), checkpoint: "ck/a.safetensors",
            clock: clock.read, listCheckpoints: { _ in [] })
        let terminal = ScriptedTerminal(frames: [[], [.resize], [], [.control("c")]], clock: clock)
        terminal.size = (100, 30)
        var sizes: [Int] = []
        let exit = PlayLoop.run(
            c, on: ResizingTerminal(terminal, after: 2, to: (20, 5)) { sizes.append($0.width) }, clock: clock.read)
        #expect(exit == .quit)
        #expect(sizes.first == 100 && sizes.last == 20)
        #expect(terminal.drawn.last?.lines()[0].contains("too small") == true)
    }
}

/// Wraps a scripted terminal and shrinks it after some frames.
final class ResizingTerminal: PlayTerminal {
    let inner: ScriptedTerminal
    let after: Int
    let newSize: (width: Int, height: Int)
    let onDraw: (Frame) -> Void

    init(_ inner: ScriptedTerminal, after: Int, to size: (width: Int, height: Int), onDraw: @escaping (Frame) -> Void) {
        self.inner = inner
        self.after = after
        self.newSize = size
        self.onDraw = onDraw
    }

    var size: (width: Int, height: Int) { inner.drawn.count >= after ? newSize : inner.size }
    var columnWidth: ColumnWidth { inner.columnWidth }
    var pendingSignal: Int32? { inner.pendingSignal }
    func readKey(waitingMilliseconds milliseconds: Int) -> Key? { inner.readKey(waitingMilliseconds: milliseconds) }
    func draw(_ frame: Frame) {
        onDraw(frame)
        inner.draw(frame)
    }
}

/// A terminal with a long queue of keys waiting at once (a paste, a storm), read in O(1) each,
/// then a pause and Ctrl-C; each read may move the clock, and a signal may arrive after some reads.
final class BurstTerminal: PlayTerminal {
    var size: (width: Int, height: Int) = (80, 24)
    let columnWidth = ColumnWidth.standard
    /// nil: a read that finds nothing waiting (time passes).
    let keys: [Key?]
    let clock: ManualClock
    let secondsPerKey: Double
    var signalAfterKeys: Int?
    private(set) var read = 0
    private(set) var drawn = 0

    init(_ keys: [Key], clock: ManualClock, secondsPerKey: Double = 0) {
        self.keys = keys + [nil, nil, .control("c")]
        self.clock = clock
        self.secondsPerKey = secondsPerKey
    }

    var pendingSignal: Int32? { signalAfterKeys.map { read >= $0 } == true ? 15 : nil }

    func readKey(waitingMilliseconds milliseconds: Int) -> Key? {
        guard read < keys.count, let key = keys[read] ?? nil else {
            clock.now += Double(milliseconds) / 1000
            read += 1
            return nil
        }
        clock.now += secondsPerKey
        read += 1
        return key
    }

    func draw(_ frame: Frame) {
        drawn += 1
    }
}

@Suite("Frame loop under a paste or a storm of keys")
struct PlayLoopBurstTests {
    /// 20,000 characters of text in lines, as a paste delivers them (newlines as Enter).
    static let pasted: [Key] = (0..<20_000).map { (i: Int) -> Key in
        if i % 50 == 49 { return .enter }
        if i % 97 == 0 { return .tab }
        return .character(Unicode.Scalar(UInt8(97 + i % 26)))
    }

    func controller(_ session: ScriptedSession, clock: ManualClock) -> PlayController {
        PlayController(
            session: session, state: PlayState(), checkpoint: "ck/a.safetensors", randomSeed: 1, clock: clock.read,
            listCheckpoints: { _ in ["ck/a.safetensors", "ck/b.safetensors"] })
    }

    @Test("a bracketed 20,000-character paste is text: linear time, no start or load, the prime cut at its limit")
    func bracketedPaste() {
        let clock = ManualClock()
        let session = ScriptedSession()
        let c = controller(session, clock: clock)
        let terminal = BurstTerminal([.pasteBegin] + Self.pasted + [.pasteEnd], clock: clock)
        let started = ContinuousClock.now
        #expect(PlayLoop.run(c, on: terminal, clock: clock.read) == .quit)
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(session.starts.isEmpty && session.loaded.isEmpty)
        #expect(c.state.primeLine.unicodeScalars.count == PlayState.primeLimit)
        #expect(c.state.primeLine.contains("\n") && c.state.primeLine.contains("\t"))
        #expect(c.currentNotice?.text.contains("4096") == true)
    }

    @Test("an unbracketed 20,000-character paste with 400 Enters and 207 Tabs starts once and loads once")
    func unbracketedPaste() {
        let clock = ManualClock()
        let session = ScriptedSession()
        let c = controller(session, clock: clock)
        let terminal = BurstTerminal(Self.pasted, clock: clock)
        let started = ContinuousClock.now
        #expect(PlayLoop.run(c, on: terminal, clock: clock.read) == .quit)
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(session.starts.count == 1 && session.loaded == ["ck/b.safetensors"])
        #expect(session.starts.last?.prime.unicodeScalars.count == PlayState.primeLimit)
    }

    @Test("keys are read in slices, signals checked between them: a signal behind 20,000 keys ends the loop in one")
    func signalBetweenSlices() {
        let clock = ManualClock()
        let session = ScriptedSession()
        let c = controller(session, clock: clock)
        let terminal = BurstTerminal(Self.pasted, clock: clock)
        terminal.signalAfterKeys = 10
        #expect(PlayLoop.run(c, on: terminal, clock: clock.read) == .signal(15))
        #expect(terminal.read <= PlayLoop.keysPerSlice)
        #expect(session.starts.isEmpty)
    }

    @Test("slow keys are cut into slices by time: the screen is drawn while a long burst is worked off")
    func timeSlices() {
        let clock = ManualClock()
        let session = ScriptedSession()
        let c = controller(session, clock: clock)
        let terminal = BurstTerminal(Array(Self.pasted.prefix(5000)), clock: clock, secondsPerKey: 0.001)  // 1 ms a key
        #expect(PlayLoop.run(c, on: terminal, clock: clock.read) == .quit)
        // 5 s of keys, read in 5 ms slices for half of each 1/30 s frame: about 250 frames drawn.
        #expect(terminal.drawn >= 225)
        #expect(session.starts.count <= 1)
    }
}
