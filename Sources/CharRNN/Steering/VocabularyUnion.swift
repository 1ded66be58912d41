import RealModule

/// The symbols of two vocabularies together, for comparing two models' next-character
/// distributions symbol by symbol (two checkpoints need not share a vocabulary or its order).
///
/// KL divergence is taken over this union. A symbol missing from one vocabulary has probability 0
/// in that model; so that the divergence stays finite, both distributions are then smoothed
/// alike, p' = (p + ε) / (1 + nε) over the n symbols of the union with ε = `smoothing`. Identical
/// distributions over identical vocabularies give exactly 0.
public struct VocabularyUnion: Sendable {
    public static let smoothing = 1e-6
    /// Every symbol of either vocabulary: the first's in its order, then the second's others.
    public let symbols: [String]
    /// For each union symbol, its id in the first and in the second vocabulary (nil: missing).
    let ids: [(first: Int?, second: Int?)]

    public init(_ first: Vocabulary, _ second: Vocabulary) {
        let secondIDs = Dictionary(second.symbols.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let firstSet = Set(first.symbols)
        var symbols: [String] = [], ids: [(first: Int?, second: Int?)] = []
        for (i, s) in first.symbols.enumerated() {
            symbols.append(s)
            ids.append((i, secondIDs[s]))
        }
        for (j, s) in second.symbols.enumerated() where !firstSet.contains(s) {
            symbols.append(s)
            ids.append((nil, j))
        }
        self.symbols = symbols
        self.ids = ids
    }

    /// KL(P ‖ Q) in bits, P over the first vocabulary, Q over the second (each [V] summing to 1).
    public func klDivergenceBits<P: RandomAccessCollection, Q: RandomAccessCollection>(_ p: P, _ q: Q) -> Double
    where P.Element == Float, P.Index == Int, Q.Element == Float, Q.Index == Int {
        let n = Double(ids.count), e = Self.smoothing
        var kl: Double = 0
        for (i, j) in ids {
            let a = (Double(i.map { p[$0] } ?? 0) + e) / (1 + n * e)
            let b = (Double(j.map { q[$0] } ?? 0) + e) / (1 + n * e)
            kl += a * Double.log2(a / b)
        }
        return max(kl, 0)
    }
}
