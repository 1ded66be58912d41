import RealModule

/// One continuation inside a `GenerationSession`: its own hidden state, sampler (settings and
/// random generator), buffers for its reports, and the text so far. Change it through the
/// session; read it freely.
public final class GenerationStream {
    /// Position in `session.streams`.
    public internal(set) var index: Int
    /// The prime as given (characters left out of the model's input included).
    public internal(set) var primeText: String
    /// The characters this stream generated since priming or its last reset.
    public internal(set) var generatedText: String = ""
    /// How many characters `generatedText` holds.
    public internal(set) var generatedCount = 0
    /// The report of the latest step; its buffers are current only until the next step or query.
    public internal(set) var lastReport: StepReport?

    public var settings: SamplerSettings { sampler.settings }
    public var generator: RandomGenerator { sampler.generator }
    /// The prime followed by the generated text.
    public var text: String { primeText + generatedText }
    /// Every layer's hidden (and cell) values: for tests and inspection.
    public var hiddenValues: [Float] { state.hiddenValues }

    var sampler: Sampler
    var state: StreamingState
    var before: ProbabilityBuffer  // [V]
    var after: ProbabilityBuffer  // [V]
    private var top = TopEntries()

    init(index: Int, model: StreamingModel, sampler: Sampler, primeText: String) {
        self.index = index
        self.sampler = sampler
        self.primeText = primeText
        state = model.makeState()
        before = ProbabilityBuffer(count: model.config.vocabularySize)
        after = ProbabilityBuffer(count: model.config.vocabularySize)
    }

    /// A sampler for another vocabulary size with this stream's settings and random generator.
    func samplerFor(vocabularySize v: Int) throws -> Sampler {
        try Sampler(settings: sampler.settings, vocabularySize: v, generator: sampler.generator)
    }

    /// Fresh state and buffers for another model, with a sampler from `samplerFor`.
    func adopt(_ model: StreamingModel, sampler: Sampler) {
        let v = model.config.vocabularySize
        self.sampler = sampler
        state = model.makeState()
        before = ProbabilityBuffer(count: v)
        after = ProbabilityBuffer(count: v)
        lastReport = nil
    }

    func clearGenerated() {
        generatedText = ""
        generatedCount = 0
        lastReport = nil
    }

    /// Fills `before`, `after` and the top entries from the current logits; draws nothing.
    /// Returns log Σ exp(logits), for surprisal at T = 1.
    func describeNext(topCount: Int) -> (NextCharacterDistribution, logNormalizer: Double) {
        let logits = state.logits
        let v = logits.count
        let lse = Softmax.probabilities(of: logits.baseAddress!, count: v, into: before.values)
        sampler.prepare(logits: logits)
        after.update(from: sampler.probabilities)
        top.fill(probabilities: before.values, sampled: after.values, count: v, limit: topCount)
        var expected: Double = 0
        for i in 0..<v where before.values[i] > 0 { expected += Double(before.values[i]) * Double(logits[i]) }
        let entropyAtT1 = lse.isFinite ? max(lse - expected, 0) : Softmax.entropy(before.values, count: v)
        let distribution = NextCharacterDistribution(
            before: before, after: after, top: top, entropy: Float(sampler.entropy),
            entropyAtT1: Float(entropyAtT1), supportSize: sampler.supportSize)
        return (distribution, lse)
    }

    /// Draws the next character from the current logits (or takes `chosen`, drawing nothing),
    /// records it and feeds it to the model.
    func step(model: StreamingModel, characters: [Unicode.Scalar], topCount: Int, chosen: Int? = nil) -> StepReport {
        let (distribution, lse) = describeNext(topCount: topCount)
        let token = chosen ?? sampler.draw()
        let logit = state.logits[token]
        let surprisalAtT1 =
            lse.isFinite && logit.isFinite
            ? lse - Double(logit) : -Double.log(Double(before.values[token]))
        let character = characters[token]
        let report = StepReport(
            stream: index, step: generatedCount, token: token, character: character,
            surprisal: Float(sampler.surprisal(of: token)), surprisalAtT1: Float(surprisalAtT1),
            rank: rank(of: token), distribution: distribution)
        generatedText.unicodeScalars.append(character)
        generatedCount += 1
        lastReport = report
        sampler.remember(token)
        model.step(token, state)
        return report
    }

    /// 1 + how many characters `before` gives a strictly greater probability than `token`.
    private func rank(of token: Int) -> Int {
        let p = before.values[token]
        var above = 0
        for i in 0..<before.count where before.values[i] > p { above += 1 }
        return above + 1
    }
}
