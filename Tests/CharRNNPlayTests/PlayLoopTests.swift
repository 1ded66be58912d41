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
