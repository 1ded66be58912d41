/// A distribution over the vocabulary, [V], owned by a generation stream and rewritten in place
/// at that stream's next step or query: read it (or copy it with `Array(buffer)`) before then.
/// Reports hold a reference, so a step allocates nothing for it.
public final class ProbabilityBuffer: RandomAccessCollection {
    public let count: Int
    /// values[count]
    let values: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: Swift.max(count, 1))
        values.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    deinit { values.deallocate() }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(token: Int) -> Float {
        precondition(token >= 0 && token < count, "token \(token) out of range 0..<\(count)")
        return values[token]
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: values, count: count))
    }

    func update(from source: UnsafeBufferPointer<Float>) {
        precondition(source.count == count)
        values.update(from: source.baseAddress!, count: count)
    }
}
