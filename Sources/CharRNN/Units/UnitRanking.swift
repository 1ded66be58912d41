/// For each `TextFeature`, a model's hidden units (every layer, `h` and `c`) ranked by the
/// absolute Pearson correlation between the unit's value and the feature over a text, the unit's
/// value and the feature both taken after reading each character.
public struct UnitRanking: Sendable {
    public struct Entry: Equatable, Sendable {
        public let unit: HiddenUnit
        /// In −1…1; its sign says whether the unit rises (+) or falls (−) with the feature.
        public let correlation: Double
    }

    /// Positions the correlations were taken over.
    public let characters: Int
    private let entries: [TextFeature: [Entry]]

    /// Ranks `units` (the `HiddenUnit.all` order that `correlations` was filled in).
    public init(_ correlations: UnitCorrelations, units: [HiddenUnit]) {
        precondition(units.count == correlations.unitCount)
        characters = correlations.count
        var entries: [TextFeature: [Entry]] = [:]
        for feature in TextFeature.allCases {
            let found = units.enumerated().compactMap { u, unit in
                correlations.correlation(unit: u, feature).map { Entry(unit: unit, correlation: $0) }
            }
            // Stable on ties: the earlier unit (lower layer, h before c, lower index) first.
            entries[feature] = found.enumerated().sorted {
                (abs($0.element.correlation), -$0.offset) > (abs($1.element.correlation), -$1.offset)
            }.map(\.element)
        }
        self.entries = entries
    }

    /// The units best first; empty when the feature is absent: constant over the text (no `"`
    /// at all, say), or the text shorter than 2 characters, or every unit constant.
    public func ranked(_ feature: TextFeature) -> [Entry] { entries[feature] ?? [] }

    /// Reads `tokens` through `model` from the zero state (see `StreamingModel.forEachState`) and
    /// ranks every unit against every feature; `progress` gets the characters read and the total
    /// every 1,000 characters and at the end.
    public static func rank(
        _ model: StreamingModel, tokens: [Int32], progress: (_ read: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> UnitRanking {
        let units = HiddenUnit.all(in: model.config)
        let text = tokens.map { model.vocabulary.scalar(of: Int($0)) }
        var reader = TextFeatureReader()
        var correlations = UnitCorrelations(unitCount: units.count)
        let values = Buffer(units.count)
        try model.forEachState(tokens) { position, state in
            state.copyUnits(into: values.pointer)
            correlations.add(
                units: UnsafeBufferPointer(start: values.pointer, count: values.count),
                features: reader.values(at: position, of: text))
            if position % 1000 == 999 || position == tokens.count - 1 { progress(position + 1, tokens.count) }
        }
        return UnitRanking(correlations, units: units)
    }
}
