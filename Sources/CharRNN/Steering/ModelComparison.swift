/// Two models continuing the same prime side by side, each with the same sampler settings and
/// seed, and how far apart their next-character distributions are at each step.
///
/// Each model runs exactly as it would alone (its own session, its vocabulary's handling of the
/// prime's characters), so its text is the one `generate` writes with that checkpoint. At step i
/// `klDivergenceBits` compares the two models' distributions at T = 1 (`before`) for their next
/// character, each after its own text so far: the same prime at step 0, diverging contexts once the
/// texts differ. KL is taken over the union of the vocabularies (`VocabularyUnion`).
public final class ModelComparison {
    public let first: GenerationSession
    public let second: GenerationSession
    public let union: VocabularyUnion

    /// One step of both models.
    public struct Step {
        public let first: StepReport
        public let second: StepReport
        /// KL(first ‖ second) in bits, before the characters were drawn.
        public let klDivergenceBits: Double
    }

    public init(
        _ firstModel: CharRNNModel, _ secondModel: CharRNNModel, settings: SamplerSettings, seed: UInt64,
        topCount: Int = 10, compute: ComputePolicy
    ) throws {
        first = try GenerationSession(model: firstModel, topCount: topCount, compute: compute)
        second = try GenerationSession(model: secondModel, topCount: topCount, compute: compute)
        for session in [first, second] { try session.addStream(settings: settings, seed: seed) }
        union = VocabularyUnion(firstModel.vocabulary, secondModel.vocabulary)
    }

    /// Primes both; returns each one's report (characters outside a vocabulary).
    @discardableResult
    public func prime(with text: String) -> (first: PrimeReport, second: PrimeReport) {
        (first.prime(with: text), second.prime(with: text))
    }

    /// One character from each model.
    public func step() -> Step {
        let a = first.step(stream: 0), b = second.step(stream: 0)
        return Step(
            first: a, second: b,
            klDivergenceBits: union.klDivergenceBits(a.distribution.before, b.distribution.before))
    }
}
