import CharRNN
import Testing

@testable import CharRNNPlay

@Suite("Play state machine")
struct PlayStateTests {
    @Test("typing edits the prime line; Backspace and Ctrl-U delete")
    func primeEditing() {
        var s = PlayState()
        for c in "Ab漢" { _ = s.apply(.insert(c.unicodeScalars.first!)) }
        #expect(s.primeLine == "Ab漢")
        #expect(s.apply(.deleteBackward) == [])
        #expect(s.primeLine == "Ab")
        _ = s.apply(.clearPrime)
        #expect(s.primeLine == "")
        _ = s.apply(.deleteBackward)
        #expect(s.primeLine == "")
    }

    @Test("Enter starts from the prime line and unpauses")
    func start() {
        var s = PlayState(primeLine: "To be")
        s.paused = true
        #expect(s.apply(.start) == [.start(prime: "To be")])
        #expect(s.running && !s.paused && s.activePrime == "To be")
    }

    @Test("temperature moves by 0.05, never below 0 (greedy) nor drifts in float error")
    func temperature() {
        var s = PlayState(sampler: SamplerSettings(temperature: 0.1))
        #expect(s.apply(.cooler) == [])  // not running: nothing to update
        #expect(s.temperatureText == "0.05")
        _ = s.apply(.cooler)
        #expect(s.sampler.temperature == 0)
        #expect(s.sampler.methodSummary == "greedy")
        _ = s.apply(.cooler)
        #expect(s.sampler.temperature == 0)
        for _ in 0..<20 { _ = s.apply(.warmer) }
        #expect(s.sampler.temperature == 1)
        #expect(s.temperatureText == "1.00")
        _ = s.apply(.start)
        #expect(s.apply(.warmer) == [.updateSamplers])
        #expect(s.temperatureText == "1.05")
        var hot = PlayState(sampler: SamplerSettings(temperature: 9))
        _ = hot.apply(.warmer)
        #expect(hot.sampler.temperature == 9)
        _ = hot.apply(.cooler)
        #expect(hot.temperatureText == "8.95")
        var top = PlayState(sampler: SamplerSettings(temperature: 4.98))
        _ = top.apply(.warmer)
        #expect(top.sampler.temperature == PlayState.maximumTemperature)
    }

    @Test("the sampler text names the method and the truncations that are set")
    func methodSummaryText() {
        #expect(SamplerSettings(temperature: 0.8).methodSummary == "multinomial")
        #expect(
            SamplerSettings(temperature: 0.8, topK: 40, topP: 0.9).methodSummary == "multinomial top-k 40 top-p 0.90")
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

    @Test("side by side: greedy beside the sampled stream, restarted from the running prime")
    func sideBySide() {
        var s = PlayState(primeLine: "ab", sampler: SamplerSettings(temperature: 0.7, topK: 5))
        #expect(s.apply(.toggleSideBySide) == [])
        #expect(s.samplers.count == 2)
        #expect(s.samplers[0].isDeterministic && !s.samplers[1].isDeterministic)
        #expect(s.samplers[1] == SamplerSettings(temperature: 0.7, topK: 5))
        #expect(s.streamLabels == ["greedy", "sampled T=0.70"])
        _ = s.apply(.start)
        _ = s.apply(.insert("c"))
        #expect(s.apply(.toggleSideBySide) == [.start(prime: "ab")])
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

    @Test("the prime line holds at most primeLimit characters; more are refused with an effect, never cut in")
    func primeLimit() {
        var s = PlayState()
        for _ in 0..<PlayState.primeLimit { #expect(s.apply(.insert("é")) == []) }
        #expect(s.apply(.insert("x")) == [.primeFull])
        #expect(s.primeLine.unicodeScalars.count == PlayState.primeLimit && !s.primeLine.contains("x"))
        _ = s.apply(.deleteBackward)
        #expect(s.apply(.insert("x")) == [])
        #expect(s.primeLine.hasSuffix("éx"))
        _ = s.apply(.clearPrime)
        #expect(s.apply(.insert("y")) == [] && s.primeLine == "y")
        let long = String(repeating: "a", count: PlayState.primeLimit + 10)
        var given = PlayState(primeLine: long)  // --prime is taken whole; keys may only shorten it
        #expect(given.apply(.insert("b")) == [.primeFull] && given.primeLine == long)
        _ = given.apply(.deleteBackward)
        #expect(given.primeLine.unicodeScalars.count == PlayState.primeLimit + 9)
    }

    @Test("a paste is marked from its start to its end")
    func pasting() {
        var s = PlayState()
        #expect(s.apply(.beginPaste) == [] && s.pasting)
        #expect(s.apply(.endPaste) == [] && !s.pasting)
    }
}
