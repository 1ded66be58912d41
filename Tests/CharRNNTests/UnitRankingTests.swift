import Testing

@testable import CharRNN

/// Units ranked by |Pearson correlation| with each feature, from running sums.
@Suite("Units: ranking by correlation")
struct UnitRankingTests {
    /// Pearson's r the textbook way: two passes, means first.
    func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        let cov = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let vx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        let vy = y.map { ($0 - my) * ($0 - my) }.reduce(0, +)
        return cov / (vx * vy).squareRoot()
    }

    /// Feeds `units[t]` and `features[t]` (all features) for every position t.
    func correlations(_ units: [[Float]], _ features: [[Double]]) -> UnitCorrelations {
        var c = UnitCorrelations(unitCount: units[0].count)
        for (u, f) in zip(units, features) { u.withUnsafeBufferPointer { c.add(units: $0, features: f) } }
        return c
    }

    @Test("Running sums give the two-pass correlation, even for values far from 0")
    func matchesTwoPass() {
        var rng = RandomGenerator(seed: 3)
        let F = TextFeature.allCases.count
        let n = 500
        // unit 0: noise around 1000 plus a share of feature 0; unit 1: noise; unit 2: minus feature 3
        let features = (0..<n).map { _ in (0..<F).map { _ in Double(rng.nextInt(below: 4)) } }
        let units = features.map { f -> [Float] in
            let noise = { Float(rng.nextInt(below: 1000)) / 1000 }
            return [1000 + Float(f[0]) * 0.01 + noise() * 0.01, noise(), -Float(f[3]) + noise() * 0.1]
        }
        let c = correlations(units, features)
        #expect(c.count == n)
        for u in 0..<3 {
            for (f, feature) in TextFeature.allCases.enumerated() {
                let expected = pearson(units.map { Double($0[u]) }, features.map { $0[f] })
                let r = c.correlation(unit: u, feature)
                #expect(
                    r != nil && abs(r! - expected) < 1e-9,
                    "unit \(u) \(feature): \(String(describing: r)) vs \(expected)")
            }
        }
        #expect(c.correlation(unit: 2, .wordStart)! < -0.99)  // feature 3
    }

    @Test("A constant unit or feature, or fewer than 2 positions, has no correlation: absent, never NaN")
    func constantIsAbsent() {
        let F = TextFeature.allCases.count
        // unit 0 constant at 0.7; unit 1 varies; feature `quote` constant, the others vary
        let features: [[Double]] = (0..<50).map { (t: Int) -> [Double] in
            (0..<F).map { (f: Int) -> Double in f == 0 ? 1 : Double(t * (f + 1) % 3) }
        }
        let units: [[Float]] = (0..<50).map { (t: Int) -> [Float] in [0.7, Float(t % 5)] }
        let c = correlations(units, features)
        #expect(c.correlation(unit: 0, .bracket) == nil)
        #expect(c.correlation(unit: 1, .quote) == nil)
        #expect(c.correlation(unit: 1, .bracket) != nil)
        #expect(correlations([[0.5, 1]], [features[0]]).correlation(unit: 1, .bracket) == nil)

        let ranking = UnitRanking(c, units: [0, 1].map { HiddenUnit(layer: 0, kind: .h, index: $0) })
        #expect(ranking.ranked(.quote).isEmpty)
        #expect(ranking.ranked(.bracket).map(\.unit.index) == [1])
    }

    @Test("A feature the text never shows is absent for a real model, and no figure is NaN")
    func absentOnModel() throws {
        let model = makeModel(.lstm, vocabulary: 4, hidden: 6, layers: 2)  // a b c d: no quotes, digits…
        let tokens = randomTokens(200, vocabulary: 4, seed: 5)
        let ranking = try UnitRanking.rank(StreamingModel(model, compute: .streaming()), tokens: tokens)
        #expect(ranking.characters == 200)
        for feature in [TextFeature.quote, .bracket, .uppercaseWord, .newline, .digit, .space] {
            #expect(ranking.ranked(feature).isEmpty, "\(feature)")
        }
        for feature in [TextFeature.wordStart, .vowel, .linePosition] {
            let ranked = ranking.ranked(feature)
            #expect(ranked.count == 2 * 2 * 6, "\(feature)")
            #expect(ranked.allSatisfy { $0.correlation.isFinite && abs($0.correlation) <= 1 })
            #expect(zip(ranked, ranked.dropFirst()).allSatisfy { abs($0.correlation) >= abs($1.correlation) })
        }
        let one = try UnitRanking.rank(StreamingModel(model, compute: .streaming()), tokens: [1])
        #expect(TextFeature.allCases.allSatisfy { one.ranked($0).isEmpty })
    }

    /// A GRU whose unit 3 of layer 0 flips sign at every `"` and holds its value otherwise:
    /// z = σ(20 − 40·[x is "]) keeps h except at a quote, where h ← tanh(−5 − 10·h) (0 → −1,
    /// −1 → +1, +1 → −1). Its embedding column 0 marks the quote; nothing else reads the unit.
    func plantedModel() throws -> (CharRNNModel, HiddenUnit) {
        let config = ModelConfig(cell: .gru, vocabularySize: 5, embeddingSize: 4, hiddenSize: 6, layers: 2)
        let model = try CharRNNModel(
            config: config, vocabulary: Vocabulary(symbols: ["\"", "a", "b", " ", "\n"]), seed: 8)
        let p = model.parameters
        let H = 6
        let E = 4
        let u = 3
        var embedding = p.array("embedding.weight")
        for token in 0..<5 { embedding[token * E] = token == 0 ? 1 : 0 }
        p.set("embedding.weight", embedding)
        var wih = p.array("rnn.weight_ih_l0")
        var whh = p.array("rnn.weight_hh_l0")
        var bih = p.array("rnn.bias_ih_l0")
        var bhh = p.array("rnn.bias_hh_l0")
        for gate in 0..<3 {  // r, z, n rows of unit u: read nothing but what is set below
            let row = gate * H + u
            for e in 0..<E { wih[row * E + e] = 0 }
            for j in 0..<H { whh[row * H + j] = 0 }
            (bih[row], bhh[row]) = (0, 0)
        }
        bih[u] = 20  // r = 1
        (wih[(H + u) * E], bih[H + u]) = (-40, 20)  // z = 0 at a quote, else 1
        (whh[(2 * H + u) * H + u], bih[2 * H + u]) = (-10, -5)  // n = tanh(−5 − 10 h)
        for j in 0..<H where j != u {
            whh[j * H + u] = 0
            whh[(H + j) * H + u] = 0
            whh[(2 * H + j) * H + u] = 0
        }
        p.set("rnn.weight_ih_l0", wih)
        p.set("rnn.weight_hh_l0", whh)
        p.set("rnn.bias_ih_l0", bih)
        p.set("rnn.bias_hh_l0", bhh)
        var upper = p.array("rnn.weight_ih_l1")  // [3H, H]: layer 1 does not read unit u either
        for row in 0..<3 * H { upper[row * H + u] = 0 }
        p.set("rnn.weight_ih_l1", upper)
        return (model, HiddenUnit(layer: 0, kind: .h, index: u))
    }

    @Test("A unit planted to flip sign at every quote ranks first for quote")
    func plantedUnit() throws {
        let (model, planted) = try plantedModel()
        var rng = RandomGenerator(seed: 21)
        let tokens = (0..<600).map { _ in Int32(rng.nextInt(below: 12) == 0 ? 0 : 1 + rng.nextInt(below: 4)) }
        let streaming = StreamingModel(model, compute: .streaming())
        var flips: [Float] = []
        try streaming.forEachState(tokens) { position, state in
            if tokens[position] == 0 { flips.append(state.value(of: planted)) }
        }
        #expect(flips.count > 20)
        #expect(flips.enumerated().allSatisfy { abs($0.element - ($0.offset % 2 == 0 ? -1 : 1)) < 1e-3 })

        let ranking = try UnitRanking.rank(streaming, tokens: tokens)
        let quote = ranking.ranked(.quote)
        #expect(quote.first?.unit == planted)
        #expect((quote.first?.correlation ?? 0) < -0.9)  // −1 inside quotes
        #expect(abs(quote[1].correlation) < abs(quote[0].correlation) - 0.2, "\(quote[1])")
    }

    @Test("The diverging tint: nine steps, white at 0, the same colour in 256 colours and CSS")
    func tint() {
        #expect(DivergingTint(0).step == 0 && DivergingTint(1).step == 4 && DivergingTint(-1).step == -4)
        #expect(DivergingTint(7).step == 4 && DivergingTint(-.infinity).step == -4 && DivergingTint(.nan).step == 0)
        #expect(DivergingTint(0.1).step == 0 && DivergingTint(0.13).step == 1 && DivergingTint(-0.63).step == -3)
        #expect(DivergingTint(0).xterm256 == 231 && DivergingTint(0).css == "#ffffff")
        #expect(DivergingTint(1).xterm256 == 16 + 36 * 5 + 6 + 1 && DivergingTint(1).css == "#ff5f5f")
        #expect(DivergingTint(-1).xterm256 == 16 + 36 + 6 + 5 && DivergingTint(-1).css == "#5f5fff")
        // the cube's channel levels 0x5f, 0x87, 0xaf, 0xd7, 0xff are the CSS channels
        let levels = [0, 0x5f, 0x87, 0xaf, 0xd7, 0xff]
        for step in DivergingTint.steps {
            let tint = DivergingTint(Float(step) / 4)
            let i = tint.xterm256 - 16
            let rgb = [i / 36, i / 6 % 6, i % 6].map { String(levels[$0], radix: 16) }.map {
                $0.count == 1 ? "0" + $0 : $0
            }
            #expect("#" + rgb.joined() == tint.css, "step \(step)")
        }
        #expect(DivergingTint.steps.map { DivergingTint(Float($0) / 4).ansi8 } == [4, 4, 6, 6, 7, 3, 3, 1, 1])
        #expect(String(DivergingTint.steps.map { DivergingTint(Float($0) / 4).mark }) == "==-- ++##")
    }
}
