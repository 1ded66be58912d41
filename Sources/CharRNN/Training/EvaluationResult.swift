import RealModule

/// How well a model predicts a text: mean negative log-likelihood of text[1…] given
/// text[…n−2], from a zero state carried through the whole text (batch 1).
public struct EvaluationResult: Equatable, Sendable {
    public let characters: Int
    public let natsPerCharacter: Double
    public var bitsPerCharacter: Double { natsPerCharacter / Double.log(2) }
    public var perplexity: Double { Double.exp(natsPerCharacter) }
}
