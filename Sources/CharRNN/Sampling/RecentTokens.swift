/// The last `capacity` tokens a stream read or wrote, oldest first: the window the repetition
/// penalty looks at. A ring buffer sized once, so remembering a token allocates nothing.
public struct RecentTokens: Equatable, Sendable {
    public let capacity: Int
    private var storage: [Int]
    private var start = 0
    public private(set) var count = 0

    public init(capacity: Int) {
        self.capacity = max(capacity, 0)
        storage = Array(repeating: 0, count: self.capacity)
    }

    public mutating func append(_ token: Int) {
        guard capacity > 0 else { return }
        if count < capacity {
            storage[(start + count) % capacity] = token
            count += 1
        } else {
            storage[start] = token
            start = (start + 1) % capacity
        }
    }

    public mutating func removeAll() {
        start = 0
        count = 0
    }

    /// The tokens, oldest first.
    public var tokens: [Int] { (0..<count).map { storage[(start + $0) % capacity] } }

    func forEach(_ body: (Int) -> Void) {
        for i in 0..<count { body(storage[(start + i) % capacity]) }
    }
}
