/// What a stream knows about its next character before drawing it. `before` and `after` are the
/// stream's own buffers (see `ProbabilityBuffer`): valid until that stream's next step or query.
public struct NextCharacterDistribution {
    /// softmax(logits) at T = 1, [V].
    public let before: ProbabilityBuffer
    /// After temperature and truncation, renormalised: what the stream samples from, [V].
    /// A point mass on the argmax for greedy or T = 0.
    public let after: ProbabilityBuffer
    /// The most likely characters, best first, with both probabilities.
    public let top: TopEntries
    /// Entropy (nats) of `after`.
    public let entropy: Float
    /// Entropy (nats) of `before`.
    public let entropyAtT1: Float
    /// How many characters `after` allows.
    public let supportSize: Int
}
