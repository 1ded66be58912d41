/// One generated character and everything about how it was chosen.
public struct StepReport {
    /// The stream's index in the session.
    public let stream: Int
    /// 0 for the first character generated after priming (or a reset), then 1, 2, …
    public let step: Int
    public let token: Int
    /// The character; U+FFFD for `[UNK]`.
    public let character: Unicode.Scalar
    /// −ln p(token) under the sampled distribution (`distribution.after`); 0 for greedy.
    public let surprisal: Float
    /// −ln p(token) under softmax(logits) at T = 1.
    public let surprisalAtT1: Float
    /// 1 + how many characters are strictly more likely at T = 1 (1 = the most likely).
    public let rank: Int
    /// The distribution the character was drawn from, before and after processing.
    public let distribution: NextCharacterDistribution

    public var entropy: Float { distribution.entropy }
    public var top: TopEntries { distribution.top }
}
