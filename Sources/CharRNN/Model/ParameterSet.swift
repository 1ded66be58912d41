/// All parameters of a model in one allocation, with named views, and their gradients in a
/// second one of the same layout — so zeroing, clipping, the optimiser and saving are each
/// one loop over `count` floats.
public final class ParameterSet {
    public struct Entry: Sendable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    public let entries: [Entry]
    public let count: Int
    /// values[count]
    public let values: UnsafeMutablePointer<Float>
    /// gradients[count], same layout as `values`.
    public let gradients: UnsafeMutablePointer<Float>
    private let index: [String: Int]

    public init(shapes: [(name: String, shape: [Int])]) {
        var entries: [Entry] = []
        var offset = 0
        for (name, shape) in shapes {
            entries.append(Entry(name: name, shape: shape, offset: offset))
            offset += shape.reduce(1, *)
        }
        self.entries = entries
        self.count = offset
        self.values = .allocate(capacity: max(offset, 1))
        self.values.initialize(repeating: 0, count: max(offset, 1))
        self.gradients = .allocate(capacity: max(offset, 1))
        self.gradients.initialize(repeating: 0, count: max(offset, 1))
        self.index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// The values of one named tensor. Traps on an unknown name: names come from the config.
    public func value(_ name: String) -> UnsafeMutablePointer<Float> {
        values + entries[index[name]!].offset
    }

    public func gradient(_ name: String) -> UnsafeMutablePointer<Float> {
        gradients + entries[index[name]!].offset
    }

    public func zeroGradients() { gradients.update(repeating: 0, count: count) }

    public func copyValues(from other: ParameterSet) {
        precondition(other.count == count)
        values.update(from: other.values, count: count)
    }

    /// Values of one tensor as an array (tests, checkpoints).
    public func array(_ name: String) -> [Float] {
        let e = entries[index[name]!]
        return Array(UnsafeBufferPointer(start: values + e.offset, count: e.count))
    }

    public func gradientArray(_ name: String) -> [Float] {
        let e = entries[index[name]!]
        return Array(UnsafeBufferPointer(start: gradients + e.offset, count: e.count))
    }

    public func set(_ name: String, _ array: [Float]) {
        let e = entries[index[name]!]
        precondition(array.count == e.count, "\(name): \(array.count) values for \(e.shape)")
        array.withUnsafeBufferPointer { (values + e.offset).update(from: $0.baseAddress!, count: e.count) }
    }
}
