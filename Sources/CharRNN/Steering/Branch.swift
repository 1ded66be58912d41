import RealModule

/// One continuation in a `SteeringSession`'s tree: the characters generated after the prime along
/// it (those it shares with its parent included), each with its log-probability at T = 1.
public struct Branch: Equatable, Sendable {
    /// Position in `SteeringSession.branches`.
    public let index: Int
    /// The branch it split off from; nil for the first.
    public let parent: Int?
    /// How many generated characters it shares with its parent: where it left it (0 for the first).
    public let forkPosition: Int
    /// Token ids generated after the prime, [count].
    public internal(set) var tokens: [Int]
    /// The generated text (U+FFFD for `[UNK]`), one character per token.
    public internal(set) var text: String
    /// ln p(token) under softmax(logits) at T = 1 for each token, [count].
    public internal(set) var logProbabilities: [Double]
    /// Σ `logProbabilities`: the log-probability of the whole text after the prime.
    public internal(set) var logProbability: Double = 0

    public var count: Int { tokens.count }

    /// −logProbability / count in bits; nil while the branch is empty.
    public var meanBitsPerCharacter: Double? {
        count == 0 ? nil : -logProbability / Double(count) / Double.log(2)
    }

    /// A branch holding the first `position` characters of `source`.
    init(index: Int, parent: Int?, forkPosition: Int, prefixOf source: Branch?, position: Int) {
        self.index = index
        self.parent = parent
        self.forkPosition = forkPosition
        tokens = Array(source?.tokens.prefix(position) ?? [])
        text = source.map { String($0.text.unicodeScalars.prefix(position)) } ?? ""
        logProbabilities = Array(source?.logProbabilities.prefix(position) ?? [])
        logProbability = logProbabilities.reduce(0, +)
    }

    mutating func append(_ token: Int, _ character: Unicode.Scalar, logProbability p: Double) {
        tokens.append(token)
        text.unicodeScalars.append(character)
        logProbabilities.append(p)
        logProbability += p
    }
}
