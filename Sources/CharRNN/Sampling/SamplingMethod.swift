/// How the next character is chosen from the processed distribution.
public enum SamplingMethod: String, Sendable, CaseIterable, Codable {
    /// The most likely character (the first one on ties); settings other than the method are ignored.
    case greedy
    /// A draw from the processed distribution by inverting its cumulative sum.
    case multinomial
    /// The Gumbel-max trick: argmax of scaled logits + Gumbel noise over the kept characters;
    /// it draws from exactly the same distribution as `multinomial`, with other random numbers.
    case gumbel
    /// Beam search: the continuation with the highest total log-probability that a search keeping
    /// the `beamWidth` best partial continuations finds (`BeamSearch`). It chooses whole
    /// continuations, not one character at a time, so a `Sampler` refuses it.
    case beam
}
