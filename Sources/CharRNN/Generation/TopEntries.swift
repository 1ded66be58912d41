/// The most likely next characters, best first (ranked by the T = 1 probability, which is also
/// the order of the sampled one; lower id first on ties), in fixed inline storage: no allocation.
public struct TopEntries: RandomAccessCollection, Sendable {
    public static let capacity = 16
    private var storage: InlineArray<16, RankedToken>
    public private(set) var count = 0

    public init() {
        storage = InlineArray(repeating: RankedToken(token: 0, probability: 0, sampledProbability: 0))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> RankedToken {
        precondition(position >= 0 && position < count, "entry \(position) out of range 0..<\(count)")
        return storage[position]
    }

    /// Keeps the `limit` (≤ capacity) largest of probabilities[V], one pass of insertions.
    mutating func fill(
        probabilities: UnsafePointer<Float>, sampled: UnsafePointer<Float>, count v: Int, limit: Int
    ) {
        let n = Swift.min(limit, Self.capacity, v)
        count = 0
        guard n > 0 else { return }
        for token in 0..<v {
            let p = probabilities[token]
            if count == n && !(p > storage[n - 1].probability) { continue }
            // Insert after every entry at least as likely: earlier ids stay first on ties.
            var slot = Swift.min(count, n - 1)
            while slot > 0 && storage[slot - 1].probability < p {
                storage[slot] = storage[slot - 1]
                slot -= 1
            }
            storage[slot] = RankedToken(token: token, probability: p, sampledProbability: sampled[token])
            if count < n { count += 1 }
        }
    }
}
