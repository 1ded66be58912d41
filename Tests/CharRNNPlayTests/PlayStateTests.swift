import Testing

@testable import CharRNNPlay

@Suite("Play state machine")
struct PlayStateTests {
    @Test("typing edits the seed line; Backspace and Ctrl-U delete")
    func seedEditing() {
        var s = PlayState()
        for c in "Ab漢" { _ = s.apply(.insert(c.unicodeScalars.first!)) }
        #expect(s.seedLine == "Ab漢")
        #expect(s.apply(.deleteBackward) == [])
        #expect(s.seedLine == "Ab")
        _ = s.apply(.clearSeed)
        #expect(s.seedLine == "")
        _ = s.apply(.deleteBackward)
        #expect(s.seedLine == "")
    }

    @Test("Enter starts from the seed line and unpauses")
    func start() {
        var s = PlayState(seedLine: "To be")
        s.paused = true
        #expect(s.apply(.start) == [.start(seed: "To be")])
        #expect(s.running && !s.paused && s.activeSeed == "To be")
    }

    @Test("temperature moves by 0.05, never below 0 (greedy) nor drifts in float error")
    func temperature() {
        var s = PlayState(temperature: 0.1)
        #expect(s.apply(.cooler) == [])  // not running: nothing to update
        #expect(s.temperatureText == "0.05")
        _ = s.apply(.cooler)
        #expect(s.temperature == 0)
        #expect(s.samplerText == "greedy")
        _ = s.apply(.cooler)
        #expect(s.temperature == 0)
        for _ in 0..<20 { _ = s.apply(.warmer) }
        #expect(s.temperature == 1)
        #expect(s.temperatureText == "1.00")
        _ = s.apply(.start)
        #expect(s.apply(.warmer) == [.updateSamplers])
        #expect(s.temperatureText == "1.05")
        var hot = PlayState(temperature: 9)
        _ = hot.apply(.warmer)
        #expect(hot.temperature == 9)
        _ = hot.apply(.cooler)
        #expect(hot.temperatureText == "8.95")
        var top = PlayState(temperature: 4.98)
        _ = top.apply(.warmer)
        #expect(top.temperature == PlayState.maximumTemperature)
    }

    @Test("the sampler text names the method and the truncations that are set")
    func samplerText() {
        #expect(PlayState(temperature: 0.8).samplerText == "multinomial")
        #expect(PlayState(temperature: 0.8, topK: 40, topP: 0.9).samplerText == "multinomial top-k 40 top-p 0.90")
    }

    @Test("bars stay within their range")
    func bars() {
        var s = PlayState()
        #expect(s.barCount == 10)
        for _ in 0..<50 { _ = s.apply(.moreBars) }
        #expect(s.barCount == PlayState.barRange.upperBound)
        for _ in 0..<50 { _ = s.apply(.fewerBars) }
        #expect(s.barCount == 1)
    }

    @Test("speed goes from a readable pace to unlimited")
    func speed() {
        var s = PlayState()
        #expect(s.speed == 30)
        for _ in 0..<30 { _ = s.apply(.faster) }
        #expect(s.speed == nil)
        #expect(s.speedText == "speed max")
        for _ in 0..<30 { _ = s.apply(.slower) }
        #expect(s.speed == 1)
        #expect(s.speedText == "speed 1/s")
    }

    @Test("side by side: greedy beside the sampled stream, restarted from the running seed")
    func sideBySide() {
        var s = PlayState(seedLine: "ab", temperature: 0.7, topK: 5)
        #expect(s.apply(.toggleSideBySide) == [])
        #expect(s.samplers.count == 2)
        #expect(s.samplers[0].isGreedy && !s.samplers[1].isGreedy)
        #expect(s.samplers[1] == PlaySampler(temperature: 0.7, topK: 5))
        #expect(s.streamLabels == ["greedy", "sampled T=0.70"])
        _ = s.apply(.start)
        _ = s.apply(.insert("c"))
        #expect(s.apply(.toggleSideBySide) == [.start(seed: "ab")])
        #expect(s.samplers.count == 1)
    }

    @Test("pause, and single steps only while paused")
    func pause() {
        var s = PlayState()
        _ = s.apply(.start)
        #expect(s.apply(.stepOnce) == [])
        _ = s.apply(.togglePause)
        #expect(s.paused)
        #expect(s.apply(.stepOnce) == [.step])
        _ = s.apply(.togglePause)
        #expect(!s.paused)
    }

    @Test("reset stops the run; keys for checkpoints, resize and quit become effects")
    func effects() {
        var s = PlayState()
        _ = s.apply(.start)
        #expect(s.apply(.reset) == [.reset])
        #expect(!s.running)
        #expect(s.apply(.nextCheckpoint) == [.switchCheckpoint(forward: true)])
        #expect(s.apply(.previousCheckpoint) == [.switchCheckpoint(forward: false)])
        #expect(s.apply(.relayout) == [.relayout])
        #expect(s.apply(.quit) == [.quit])
        _ = s.apply(.toggleHelp)
        #expect(s.helpShown)
    }
}
