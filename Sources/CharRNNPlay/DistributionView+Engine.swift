import CharRNN

extension DistributionView {
    /// The bars of an engine distribution. A sampling stream's bars show what it draws from
    /// (after temperature and truncation), labelled with the temperature of `settings`; a
    /// deterministic stream (greedy, or T = 0) draws from a point mass, so its bars show the
    /// model's T = 1 distribution instead. `chosen`: the token drawn from it, if any.
    public init(
        _ d: NextCharacterDistribution, vocabulary: Vocabulary, settings: SamplerSettings, count: Int, chosen: Int?
    ) {
        let modelView = settings.isDeterministic
        let candidates = d.top.prefix(count).map { entry in
            Candidate(
                symbol: vocabulary.scalar(of: entry.token),
                probability: modelView ? entry.probability : entry.sampledProbability)
        }
        let chosenCandidate = chosen.map { token in
            Candidate(symbol: vocabulary.scalar(of: token), probability: modelView ? d.before[token] : d.after[token])
        }
        self.init(
            candidates: candidates, chosen: chosenCandidate,
            entropy: (modelView ? d.entropyAtT1 : d.entropy) / Float(0.693_147_18),
            temperature: modelView ? 1 : settings.temperature, greedy: modelView)
    }
}
