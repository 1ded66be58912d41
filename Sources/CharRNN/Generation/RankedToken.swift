/// One of the most likely next characters: its probability at T = 1 and in the distribution the
/// stream actually samples from (after temperature and truncation; 0 when truncated away).
public struct RankedToken: Equatable, Sendable {
    public var token: Int
    public var probability: Float
    public var sampledProbability: Float

    public init(token: Int, probability: Float, sampledProbability: Float) {
        self.token = token
        self.probability = probability
        self.sampledProbability = sampledProbability
    }
}
