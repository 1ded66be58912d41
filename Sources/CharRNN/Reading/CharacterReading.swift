import RealModule

/// What a model made of one character of a text it read, from the distribution that predicted it:
/// 16 bytes, so that a long text's figures stay small (the candidates are kept apart, see `TextReading`).
public struct CharacterReading: Equatable, Sendable {
    /// The actual character.
    public let token: Int32
    /// 1 for the model's first choice; ties share the better rank (1 + the number of characters
    /// with a strictly greater probability).
    public let rank: Int32
    /// The probability the model gave the actual character.
    public let probability: Float
    /// −log₂ of that probability, from the logits (finite even where the probability underflows to 0).
    public let surprisalBits: Float
    /// The entropy of the whole distribution, in bits.
    public let entropyBits: Float

    public var bucket: RankBucket { RankBucket(rank: Int(rank)) }

    /// The figures of `target` under logits[count]; fills probabilities[count] with the softmax.
    init(
        logits: UnsafePointer<Float>, count: Int, target: Int32, probabilities: UnsafeMutablePointer<Float>
    ) {
        let lse = Softmax.probabilities(of: logits, count: count, into: probabilities)
        let p = probabilities[Int(target)]
        var above: Int32 = 0
        for i in 0..<count where probabilities[i] > p { above += 1 }
        token = target
        rank = above + 1
        probability = p
        surprisalBits = Float((lse - Double(logits[Int(target)])) / Double.log(2))
        entropyBits = Float(Softmax.entropy(probabilities, count: count) / Double.log(2))
    }
}
