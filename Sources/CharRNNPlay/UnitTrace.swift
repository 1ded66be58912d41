import CharRNN

/// Every hidden unit's value after each character of a run of text (write mode: a stream's
/// most recent characters; read mode: the characters the pane shows), with the characters, so
/// that the tint can follow any unit at once and the ranking can read the run. Characters are
/// numbered as their owner numbers them (a stream's generated characters, a text's positions);
/// only the last `capacity` are kept.
public struct UnitTrace: Sendable {
    /// Enough for any screenful of text: 2,048 characters × 2,048 units (an LSTM 2×512) is 16 MiB.
    public static let defaultCapacity = 2048

    public let unitCount: Int
    public let capacity: Int
    /// The number of the first character kept.
    public private(set) var first: Int
    /// nil for `[UNK]`.
    public private(set) var symbols: [Unicode.Scalar?] = []
    /// [symbols.count, unitCount]
    public private(set) var values: [Float] = []

    public init(unitCount: Int, first: Int = 0, capacity: Int = UnitTrace.defaultCapacity) {
        self.unitCount = unitCount
        self.first = first
        self.capacity = capacity
    }

    /// The number after the last character kept.
    public var end: Int { first + symbols.count }

    /// Adds the next character and every unit's value [U] after it; the oldest quarter goes when full.
    public mutating func append(_ symbol: Unicode.Scalar?, units: UnsafeBufferPointer<Float>) {
        precondition(units.count == unitCount)
        if symbols.count == capacity {
            let dropped = capacity / 4
            symbols.removeFirst(dropped)
            values.removeFirst(dropped * unitCount)
            first += dropped
        }
        symbols.append(symbol)
        values.append(contentsOf: units)
    }

    /// Unit `unit`'s value (its `flatIndex`) after character `number`; nil when it is not kept.
    public func value(at number: Int, unit: Int) -> Float? {
        guard number >= first, number < end else { return nil }
        return values[(number - first) * unitCount + unit]
    }

    /// Ranks every unit against every feature over the characters kept.
    public func ranking(units: [HiddenUnit]) -> UnitRanking {
        var reader = TextFeatureReader()
        var correlations = UnitCorrelations(unitCount: unitCount)
        values.withUnsafeBufferPointer { all in
            for i in symbols.indices {
                let row = UnsafeBufferPointer(rebasing: all[(i * unitCount)..<((i + 1) * unitCount)])
                correlations.add(units: row, features: reader.values(at: i, of: symbols))
            }
        }
        return UnitRanking(correlations, units: units)
    }
}
