import CharRNN

/// F5–F9: how the unit keys move the tinted unit.
public enum UnitMove: Equatable, Sendable {
    /// F5 / F6: the previous / next unit of the same layer and kind (wrapping).
    case previous, next
    /// F7: the same unit of the next layer (wrapping).
    case layer
    /// F8: `h` ⇄ `c` (LSTMs only).
    case kind
    /// F9: the best unit of the next feature that the ranking found.
    case feature
    /// Shift-F9: the next unit in the current feature's ranking.
    case nextRanked
}

/// The unit the F4 tint follows, and the ranked feature it was jumped to with (if any).
public struct UnitSelection: Equatable, Sendable {
    public private(set) var unit = HiddenUnit(layer: 0, kind: .h, index: 0)
    /// Set by F9 / Shift-F9; cleared by the other moves.
    public private(set) var feature: (feature: TextFeature, rank: Int, correlation: Double)?

    public init() {}

    /// The unit, moved back inside `config` after a checkpoint switch to a smaller model.
    public func unit(in config: ModelConfig) -> HiddenUnit {
        let kind = StateKind.kinds(of: config.cell).contains(unit.kind) ? unit.kind : .h
        return HiddenUnit(
            layer: min(unit.layer, config.layers - 1), kind: kind, index: min(unit.index, config.hiddenSize - 1))
    }

    /// Applies a move inside `config`; returns a message when it is refused (`c` on a GRU, no
    /// ranking yet).
    public mutating func apply(_ move: UnitMove, in config: ModelConfig, ranking: UnitRanking?) -> String? {
        let u = unit(in: config)
        let H = config.hiddenSize
        switch move {
        case .previous, .next:
            let index = (u.index + (move == .next ? 1 : H - 1)) % H
            select(HiddenUnit(layer: u.layer, kind: u.kind, index: index))
        case .layer:
            select(HiddenUnit(layer: (u.layer + 1) % config.layers, kind: u.kind, index: u.index))
        case .kind:
            guard config.cell == .lstm else { return "a GRU has only h: no cell state c to show" }
            select(HiddenUnit(layer: u.layer, kind: u.kind == .h ? .c : .h, index: u.index))
        case .feature, .nextRanked:
            guard let ranking else { return "ranking the units on the text shown: try again in a moment" }
            let features = TextFeature.allCases.filter { !ranking.ranked($0).isEmpty }
            guard !features.isEmpty else { return "no feature varies over the text shown: nothing to rank" }
            var (feature, rank) = (features[0], 0)
            if let current = self.feature {
                if move == .nextRanked, !ranking.ranked(current.feature).isEmpty {
                    (feature, rank) = (current.feature, (current.rank + 1) % ranking.ranked(current.feature).count)
                } else if move == .feature {
                    let next = TextFeature.allCases.firstIndex(of: current.feature)! + 1
                    feature = features.first { TextFeature.allCases.firstIndex(of: $0)! >= next } ?? features[0]
                }
            }
            let entry = ranking.ranked(feature)[rank]
            unit = entry.unit
            self.feature = (feature, rank, entry.correlation)
        }
        return nil
    }

    private mutating func select(_ unit: HiddenUnit) {
        self.unit = unit
        feature = nil
    }

    /// "L0 h 17", then "quote #1 r=+0.83" after a jump to a ranked unit.
    public var label: String {
        guard let feature else { return unit.label }
        let r = (feature.correlation >= 0 ? "+" : "") + NumberText.fixed(feature.correlation, decimals: 2)
        return "\(unit.label) \(feature.feature.rawValue) #\(feature.rank + 1) r=\(r)"
    }

    public static func == (a: UnitSelection, b: UnitSelection) -> Bool {
        a.unit == b.unit && a.feature?.feature == b.feature?.feature && a.feature?.rank == b.feature?.rank
    }

    /// Eight levels for a sparkline of values in −1…1 (beyond: the ends; NaN: the middle).
    public static func sparkline(_ values: [Float]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(
            values.map { v in
                let x = v.isNaN ? 0 : min(1, max(-1, v))
                return blocks[Int(((x + 1) / 2 * 7).rounded())]
            })
    }
}
