/// How the next character is chosen from the processed distribution.
public enum SamplingMethod: String, Sendable, CaseIterable, Codable {
    /// The most likely character (the first one on ties); settings other than the method are ignored.
    case greedy
    /// A draw from the processed distribution by inverting its cumulative sum.
    case multinomial
    /// The Gumbel-max trick: argmax of scaled logits + Gumbel noise over the kept characters;
    /// it draws from exactly the same distribution as `multinomial`, with other random numbers.
    case gumbel
}
