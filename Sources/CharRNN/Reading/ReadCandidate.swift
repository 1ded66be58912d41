/// One of the characters a model expected at a position of a text it read, with its probability.
public struct ReadCandidate: Equatable, Sendable {
    public let token: Int32
    public let probability: Float

    public init(token: Int32, probability: Float) {
        self.token = token
        self.probability = probability
    }
}
