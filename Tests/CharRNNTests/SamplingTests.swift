import Foundation
import Testing

@testable import CharRNN

/// A reference pipeline in Double with a full sort, written independently of the sampler:
/// temperature → top-k → top-p → min-p → renormalise.
private func referenceDistribution(_ logits: [Float], _ s: SamplerSettings) -> [Double] {
    let v = logits.count
    if s.isDeterministic {
        let best = logits.indices.max { a, b in logits[a] < logits[b] || (logits[a] == logits[b] && a > b) }!
        return (0..<v).map { $0 == best ? 1 : 0 }
    }
    let scaled = logits.map { Double($0) / Double(s.temperature) }
    let order = (0..<v).sorted { scaled[$0] > scaled[$1] || (scaled[$0] == scaled[$1] && $0 < $1) }
    var kept = Array(order)
    func normalized(_ ids: [Int]) -> [Double] {
        let m = ids.map { scaled[$0] }.max()!
        let e = ids.map { exp(scaled[$0] - m) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }
    if let k = s.topK { kept = Array(kept.prefix(k)) }
    if let p = s.topP {
        let probs = normalized(kept)
        var cumulative = 0.0
        var n = 0
        while n < kept.count {
            cumulative += probs[n]
            n += 1
            if cumulative >= Double(p) { break }
        }
        kept = Array(kept.prefix(n))
    }
    if let minP = s.minP {
        let probs = normalized(kept)
        let pMax = probs.max()!
        kept = zip(kept, probs).filter { $0.1 >= Double(minP) * pMax }.map(\.0)
    }
    var out = [Double](repeating: 0, count: v)
    for (id, p) in zip(kept, normalized(kept)) { out[id] = p }
    return out
}

private func randomLogits(_ v: Int, seed: UInt64, scale: Float = 2) -> [Float] {
    var g = RandomGenerator(seed: seed)
    return (0..<v).map { _ in g.nextNormal() * scale }
}

private func counts(_ sampler: Sampler, _ logits: [Float], draws: Int) -> [Int] {
    var c = [Int](repeating: 0, count: logits.count)
    logits.withUnsafeBufferPointer { l in
        for _ in 0..<draws { c[sampler.sample(logits: l)] += 1 }
    }
    return c
}

/// Pearson's χ² of counts against expected probabilities, over bins with expected ≥ 5
/// (the rest pooled), with its degrees of freedom.
private func chiSquare(_ c: [Int], _ q: [Double]) -> (statistic: Double, df: Int) {
    let n = Double(c.reduce(0, +))
    var stat = 0.0, bins = 0, pooledCount = 0.0, pooledExpected = 0.0
    for i in c.indices where q[i] > 0 {
        if n * q[i] >= 5 {
            stat += pow(Double(c[i]) - n * q[i], 2) / (n * q[i])
            bins += 1
        } else {
            pooledCount += Double(c[i])
            pooledExpected += n * q[i]
        }
    }
    if pooledExpected > 0 {
        stat += pow(pooledCount - pooledExpected, 2) / pooledExpected
        bins += 1
    }
    return (stat, max(bins - 1, 1))
}

/// The 99.95 % quantile of χ²(df) (Wilson–Hilferty): a correct sampler stays below it.
private func chiSquareLimit(df: Int) -> Double {
    let d = Double(df), z = 3.29
    return d * pow(1 - 2 / (9 * d) + z * (2 / (9 * d)).squareRoot(), 3)
}

private let truncatingSettings: [SamplerSettings] = [
    .init(method: .multinomial, temperature: 1),
    .init(method: .multinomial, temperature: 0.7, topK: 5),
    .init(method: .multinomial, temperature: 1.3, topP: 0.8),
    .init(method: .gumbel, temperature: 1, minP: 0.05),
    .init(method: .gumbel, temperature: 0.9, topK: 12, topP: 0.9, minP: 0.02),
    .init(method: .multinomial, temperature: 2, topK: 30, topP: 0.6),
]

@Suite("Sampling")
struct SamplingTests {
    @Test("draws never leave the support allowed by top-k, top-p and min-p", arguments: truncatingSettings)
    func supportIsRespected(settings: SamplerSettings) throws {
        for seed in UInt64(1)...5 {
            let logits = randomLogits(40, seed: seed)
            let allowed = Set(referenceDistribution(logits, settings).indices.filter {
                referenceDistribution(logits, settings)[$0] > 0
            })
            let sampler = try Sampler(settings: settings, vocabularySize: 40, seed: seed)
            let c = counts(sampler, logits, draws: 2000)
            let outside = c.indices.filter { c[$0] > 0 && !allowed.contains($0) }
            #expect(outside.isEmpty, "drew \(outside) outside \(allowed.sorted())")
            let supported = Set(sampler.distribution(logits: logits).indices.filter {
                sampler.probabilities[$0] > 0
            })
            #expect(supported == allowed)
        }
    }

    @Test("the processed distribution equals a Double reference pipeline", arguments: truncatingSettings)
    func distributionMatchesReference(settings: SamplerSettings) throws {
        let logits = randomLogits(65, seed: 42, scale: 3)
        let sampler = try Sampler(settings: settings, vocabularySize: 65, seed: 0)
        let got = sampler.distribution(logits: logits)
        let want = referenceDistribution(logits, settings)
        for i in 0..<65 { #expect(abs(Double(got[i]) - want[i]) < 1e-5, "token \(i)") }
        #expect(abs(got.reduce(0, +) - 1) < 1e-5)
        let entropy = want.filter { $0 > 0 }.reduce(0) { $0 - $1 * log($1) }
        #expect(abs(sampler.entropy - entropy) < 1e-4)
        let top = want.indices.max { want[$0] < want[$1] }!
        #expect(abs(sampler.surprisal(of: top) - -log(want[top])) < 1e-4)
        if let dropped = want.indices.first(where: { want[$0] == 0 }) {
            #expect(sampler.surprisal(of: dropped) == .infinity)
        }
    }

    @Test("draw frequencies match the renormalised distribution (χ², fixed seeds)", arguments: truncatingSettings)
    func frequenciesMatch(settings: SamplerSettings) throws {
        let logits = randomLogits(20, seed: 7, scale: 1.5)
        let sampler = try Sampler(settings: settings, vocabularySize: 20, seed: 2024)
        let c = counts(sampler, logits, draws: 40_000)
        let (stat, df) = chiSquare(c, referenceDistribution(logits, settings))
        #expect(stat < chiSquareLimit(df: df), "χ² = \(stat) with \(df) degrees of freedom")
    }

    @Test("a sampler that ignored the temperature would fail the χ² test")
    func chiSquareCanFail() throws {
        let logits = randomLogits(20, seed: 7, scale: 1.5)
        let sampler = try Sampler(settings: .init(temperature: 1), vocabularySize: 20, seed: 3)
        let c = counts(sampler, logits, draws: 40_000)
        let (stat, df) = chiSquare(c, referenceDistribution(logits, .init(temperature: 0.7)))
        #expect(stat > chiSquareLimit(df: df))
    }

    @Test("Gumbel-max and multinomial draw from the same distribution")
    func gumbelAgreesWithMultinomial() throws {
        let logits = randomLogits(12, seed: 11, scale: 1.2)
        for base in [SamplerSettings(temperature: 0.8), .init(temperature: 1.5, topK: 6, minP: 0.1)] {
            var gumbel = base, multinomial = base
            gumbel.method = .gumbel
            multinomial.method = .multinomial
            let n = 40_000
            let cg = counts(try Sampler(settings: gumbel, vocabularySize: 12, seed: 5), logits, draws: n)
            let cm = counts(try Sampler(settings: multinomial, vocabularySize: 12, seed: 6), logits, draws: n)
            // Two-sample χ² over bins seen by either sampler.
            var stat = 0.0, bins = 0
            for i in 0..<12 where cg[i] + cm[i] > 0 {
                stat += pow(Double(cg[i] - cm[i]), 2) / Double(cg[i] + cm[i])
                bins += 1
            }
            #expect(stat < chiSquareLimit(df: bins - 1), "χ² = \(stat)")
            let (sg, dfg) = chiSquare(cg, referenceDistribution(logits, gumbel))
            #expect(sg < chiSquareLimit(df: dfg))
            #expect(Set(cg.indices.filter { cg[$0] > 0 }) == Set(cm.indices.filter { cm[$0] > 0 }))
        }
    }

    @Test("top-k = 1, T = 0 and greedy all give the argmax")
    func degenerateSettingsGiveArgmax() throws {
        for seed in UInt64(1)...20 {
            var logits = randomLogits(65, seed: seed)
            let argmax = logits.indices.max { logits[$0] < logits[$1] }!
            for settings in [
                SamplerSettings(method: .multinomial, topK: 1),
                .init(method: .gumbel, temperature: 3, topK: 1),
                .init(method: .multinomial, temperature: 0),
                .init(method: .gumbel, temperature: 0, topP: 0.5),
                .greedy,
            ] {
                let sampler = try Sampler(settings: settings, vocabularySize: 65, seed: seed)
                for _ in 0..<20 { #expect(sampler.sample(logits: logits) == argmax) }
                #expect(sampler.entropy == 0)
                #expect(sampler.surprisal(of: argmax) == 0)
            }
            // Ties go to the lower id.
            logits[64] = logits[argmax]
            #expect(try Sampler(settings: .greedy, vocabularySize: 65, seed: 0).sample(logits: logits) == min(argmax, 64))
        }
    }

    @Test(
        "a temperature below the floor is greedy, not uniform: 1/T would overflow",
        arguments: [Float(1e-40), .leastNonzeroMagnitude, 1e-30, 0.000_999])
    func subnormalTemperatureIsGreedy(temperature: Float) throws {
        let settings = SamplerSettings(method: .multinomial, temperature: temperature)
        #expect(settings.isDeterministic)
        #expect(settings.summary == "multinomial T=\(temperature) (greedy)")
        for seed in UInt64(1)...10 {
            let logits = randomLogits(65, seed: seed)
            let argmax = logits.indices.max { logits[$0] < logits[$1] }!
            let sampler = try Sampler(settings: settings, vocabularySize: 65, seed: seed)
            for _ in 0..<20 { #expect(sampler.sample(logits: logits) == argmax) }
            #expect(sampler.entropy == 0)
        }
        #expect(!SamplerSettings(temperature: SamplerSettings.minimumTemperature).isDeterministic)
    }

    @Test("adding a constant to every logit changes nothing")
    func shiftInvariance() throws {
        // Multiples of 1/64 shifted by 16 are exact in Float, so the results must be identical.
        var g = RandomGenerator(seed: 9)
        let logits = (0..<65).map { _ in Float(g.nextInt(below: 512) - 256) / 64 }
        let shifted = logits.map { $0 + 16 }
        for settings in truncatingSettings {
            let a = try Sampler(settings: settings, vocabularySize: 65, seed: 77)
            let b = try Sampler(settings: settings, vocabularySize: 65, seed: 77)
            #expect(a.distribution(logits: logits) == b.distribution(logits: shifted))
            let drawsA = (0..<300).map { _ in a.sample(logits: logits) }
            let drawsB = (0..<300).map { _ in b.sample(logits: shifted) }
            #expect(drawsA == drawsB)
        }
        // Not exact: still the same distribution to rounding.
        let real = randomLogits(65, seed: 4)
        let sampler = try Sampler(settings: .init(temperature: 0.9, topP: 0.95), vocabularySize: 65, seed: 1)
        let d1 = sampler.distribution(logits: real)
        let d2 = sampler.distribution(logits: real.map { $0 - 1234.5 })
        for i in 0..<65 { #expect(abs(d1[i] - d2[i]) < 1e-3 * max(d1[i], 1e-6)) }
    }

    @Test("the caller's logits are never written")
    func logitsAreUntouched() throws {
        let logits = randomLogits(65, seed: 3) + [-.infinity, .nan]
        for settings in truncatingSettings + [.greedy, .init(temperature: 0)] {
            let sampler = try Sampler(settings: settings, vocabularySize: 67, seed: 1)
            let copy = logits
            _ = sampler.sample(logits: copy)
            _ = sampler.distribution(logits: copy)
            #expect(copy.map(\.bitPattern) == logits.map(\.bitPattern))
        }
    }

    @Test("same seed, logits and settings give the same draws; another seed does not")
    func seedsReproduce() throws {
        let logits = randomLogits(65, seed: 8, scale: 0.5)
        for settings in truncatingSettings {
            let draws = { (seed: UInt64) in
                let s = try Sampler(settings: settings, vocabularySize: 65, seed: seed)
                return (0..<200).map { _ in s.sample(logits: logits) }
            }
            #expect(try draws(1) == draws(1))
            #expect(try draws(1) != draws(2))
        }
    }

    @Test("the pipeline order is temperature, top-k, top-p, min-p")
    func pipelineOrder() throws {
        // p = [0.4, 0.3, 0.2, 0.1]. top-k 2 renormalises to [0.571, 0.429], so top-p 0.5 keeps one;
        // top-p first would keep two.
        let logits: [Float] = [0.4, 0.3, 0.2, 0.1].map { Float(log($0)) }
        let s = try Sampler(settings: .init(topK: 2, topP: 0.5), vocabularySize: 4, seed: 0)
        #expect(s.distribution(logits: logits) == [1, 0, 0, 0])
        // Temperature comes first: a hotter distribution needs more characters to reach p.
        // T = 0.5: [0.53, 0.30, 0.13, 0.03] reaches 0.8 with two; T = 4: [0.29, 0.27, 0.24, 0.20] needs four.
        let cold = try Sampler(settings: .init(temperature: 0.5, topP: 0.8), vocabularySize: 4, seed: 0)
        let hot = try Sampler(settings: .init(temperature: 4, topP: 0.8), vocabularySize: 4, seed: 0)
        _ = cold.distribution(logits: logits)
        _ = hot.distribution(logits: logits)
        #expect(cold.supportSize == 2)
        #expect(hot.supportSize == 4)
        // min-p is relative to the largest probability: 0.1 / 0.4 = 0.25.
        let minP = try Sampler(settings: .init(minP: 0.26), vocabularySize: 4, seed: 0)
        _ = minP.distribution(logits: logits)
        #expect(minP.supportSize == 3)
    }

    @Test("top-k keeps exactly k, top-p = 1 and large k keep everything")
    func truncationEdges() throws {
        let logits: [Float] = [1, 1, 1, 1, 0, 0]
        let k3 = try Sampler(settings: .init(topK: 3), vocabularySize: 6, seed: 0)
        #expect(k3.distribution(logits: logits).map { $0 > 0 } == [true, true, true, false, false, false])
        for settings in [SamplerSettings(topK: 100), .init(topP: 1), .init(minP: 0)] {
            let s = try Sampler(settings: settings, vocabularySize: 6, seed: 0)
            _ = s.distribution(logits: logits)
            #expect(s.supportSize == 6)
        }
    }

    @Test("huge, −∞ and NaN logits give a valid distribution, not NaN or a crash")
    func numericalSafety() throws {
        let cases: [[Float]] = [
            [1e30, 1e30 - 1e24, -1e30, 0],
            [-.infinity, 3, -.infinity, 2],
            [.nan, 1, 2, .nan],
            [.nan, .nan, .nan, .nan],
            [-.infinity, -.infinity, -.infinity, -.infinity],
            [.infinity, 0, .infinity, 1],
        ]
        for logits in cases {
            for settings in [SamplerSettings(temperature: 1e-6), .init(temperature: 50, topP: 0.5), .init(method: .gumbel)] {
                let s = try Sampler(settings: settings, vocabularySize: 4, seed: 0)
                let d = s.distribution(logits: logits)
                #expect(d.allSatisfy { $0.isFinite && $0 >= 0 }, "\(logits) → \(d)")
                #expect(abs(d.reduce(0, +) - 1) < 1e-5)
                let t = s.draw()
                #expect(d[t] > 0, "drew \(t) from \(d)")
                #expect(s.entropy.isFinite)
            }
        }
        var before = [Float](repeating: 0, count: 4)
        let lse = [Float]([1000, 999, 0, -1000]).withUnsafeBufferPointer {
            Softmax.probabilities(of: $0.baseAddress!, count: 4, into: &before)
        }
        #expect(abs(lse - (1000 + log(1 + exp(-1.0)))) < 1e-6)
        #expect(abs(Double(before[0]) - 1 / (1 + exp(-1.0))) < 1e-6)
    }

    @Test(
        "invalid settings are rejected, never clamped",
        arguments: [
            SamplerSettings(temperature: -0.1), .init(temperature: .nan), .init(temperature: .infinity),
            .init(topK: 0), .init(topK: -5), .init(topP: 0), .init(topP: 1.01), .init(topP: .nan),
            .init(topP: -0.5), .init(minP: 1), .init(minP: -0.01), .init(minP: .nan),
        ])
    func invalidSettingsThrow(settings: SamplerSettings) throws {
        #expect(throws: CharRNNError.self) { try settings.validate() }
        #expect(throws: CharRNNError.self) { try Sampler(settings: settings, vocabularySize: 10, seed: 0) }
        let sampler = try Sampler(settings: .init(temperature: 0.5), vocabularySize: 10, seed: 0)
        #expect(throws: CharRNNError.self) { try sampler.update(settings: settings) }
        #expect(sampler.settings == .init(temperature: 0.5))
    }

    @Test("settings on the edge of the valid ranges are accepted")
    func validEdges() throws {
        for s in [SamplerSettings(temperature: 0), .init(topK: 1), .init(topP: 1), .init(topP: 1e-6), .init(minP: 0), .init(minP: 0.999)] {
            try s.validate()
        }
        #expect(throws: CharRNNError.self) { try Sampler(settings: .init(), vocabularySize: 0, seed: 0) }
    }

    @Test("changing settings between draws takes effect at the next draw")
    func updateSettings() throws {
        let logits = randomLogits(30, seed: 1)
        let argmax = logits.indices.max { logits[$0] < logits[$1] }!
        let s = try Sampler(settings: .init(temperature: 5), vocabularySize: 30, seed: 1)
        let hot = (0..<200).map { _ in s.sample(logits: logits) }
        #expect(Set(hot).count > 5)
        try s.update(settings: .init(temperature: 0))
        #expect((0..<50).allSatisfy { _ in s.sample(logits: logits) == argmax })
    }

    @Test("the pipeline description names the stages in order")
    func pipelineDescription() {
        let text = SamplerSettings.pipelineDescription
        let positions = ["temperature", "top-k", "top-p", "min-p", "renormalised"].map {
            text.range(of: $0)!.lowerBound
        }
        #expect(positions == positions.sorted())
    }
}

@Suite("Repetition penalty")
struct RepeatPenaltyTests {
    @Test("divides positive and multiplies negative logits of recent tokens, once each, before the temperature")
    func transform() throws {
        let settings = SamplerSettings(temperature: 0.5, repeatPenalty: 2)
        let sampler = try Sampler(settings: settings, vocabularySize: 4, seed: 0)
        for token in [0, 2, 0, 0] { sampler.remember(token) }
        let logits: [Float] = [2, 1, -1, 0.5]
        let penalized: [Float] = [1, 1, -2, 0.5]  // token 0 divided once, token 2 multiplied once
        let expected = try Sampler(settings: SamplerSettings(temperature: 0.5), vocabularySize: 4, seed: 0)
            .distribution(logits: penalized)
        let got = sampler.distribution(logits: logits)
        for i in 0..<4 { #expect(abs(got[i] - expected[i]) < 1e-6) }
        #expect(logits == [2, 1, -1, 0.5], "the caller's logits are not written")
    }

    @Test("changes the greedy choice; P = 1 and tokens outside the window change nothing")
    func greedy() throws {
        let penalized = try Sampler(
            settings: SamplerSettings(method: .greedy, repeatPenalty: 2), vocabularySize: 3, seed: 0)
        penalized.remember(0)
        #expect(penalized.sample(logits: [2, 1.5, -1]) == 1)
        let off = try Sampler(settings: SamplerSettings(method: .greedy, repeatPenalty: 1), vocabularySize: 3, seed: 0)
        off.remember(0)
        #expect(off.sample(logits: [2, 1.5, -1]) == 0)
        let window = try Sampler(
            settings: SamplerSettings(method: .greedy, repeatPenalty: 2, repeatLastN: 2), vocabularySize: 3, seed: 0)
        for token in [0, 1, 1] { window.remember(token) }
        #expect(window.recent.tokens == [1, 1])
        #expect(window.sample(logits: [2, 1.5, -1]) == 0)
    }

    @Test("P must be finite and > 0, the window ≥ 0", arguments: [Float(0), -1, .nan, .infinity])
    func validation(penalty: Float) {
        #expect(throws: CharRNNError.self) { try SamplerSettings(repeatPenalty: penalty).validate() }
    }

    @Test("a negative window is refused")
    func negativeWindow() {
        #expect(throws: CharRNNError.self) { try SamplerSettings(repeatLastN: -1).validate() }
        #expect(throws: Never.self) { try SamplerSettings(repeatPenalty: 1.3, repeatLastN: 0).validate() }
    }
}
