/// Pearson correlations between every hidden unit and every `TextFeature` over a text, kept as
/// running sums (Σx, Σx², Σy, Σy², Σxy per unit and feature, in Double), so a text of any
/// length costs O(units × features) memory. Each value is taken relative to its first
/// observation before it is summed, which keeps the sums small and makes a constant exactly
/// constant: a unit or feature that never changes has no correlation (nil), never a NaN.
public struct UnitCorrelations: Sendable {
    public let unitCount: Int
    /// Positions added so far.
    public private(set) var count = 0
    private let featureCount = TextFeature.allCases.count
    private var firstUnits: [Double], firstFeatures: [Double]
    private var sumX: [Double], sumXX: [Double]  // [U]
    private var sumY: [Double], sumYY: [Double]  // [F]
    private var sumXY: [Double]  // [F, U]
    private var shifted: [Double]  // scratch [U]

    public init(unitCount: Int) {
        self.unitCount = unitCount
        let zeros = { (count: Int) in [Double](repeating: 0, count: count) }
        let U = unitCount
        let F = featureCount
        (firstUnits, sumX, sumXX, shifted) = (zeros(U), zeros(U), zeros(U), zeros(U))
        (firstFeatures, sumY, sumYY) = (zeros(F), zeros(F), zeros(F))
        sumXY = zeros(F * U)
    }

    /// One position: every unit's value [U] and every feature's [F] (`TextFeature.allCases` order).
    public mutating func add(units: UnsafeBufferPointer<Float>, features: [Double]) {
        precondition(units.count == unitCount && features.count == featureCount)
        let U = unitCount
        if count == 0 {
            firstUnits = units.map(Double.init)
            firstFeatures = features
        }
        count += 1
        for u in 0..<U {
            let a = Double(units[u]) - firstUnits[u]
            shifted[u] = a
            sumX[u] += a
            sumXX[u] += a * a
        }
        for f in 0..<featureCount {
            let b = features[f] - firstFeatures[f]
            sumY[f] += b
            sumYY[f] += b * b
            guard b != 0 else { continue }
            for u in 0..<U { sumXY[f * U + u] += b * shifted[u] }
        }
    }

    /// The correlation of unit `unit` (its `flatIndex`) with `feature` over the positions added,
    /// in −1…1; nil when either is constant over them (or fewer than 2 were added).
    public func correlation(unit u: Int, _ feature: TextFeature) -> Double? {
        let f = TextFeature.allCases.firstIndex(of: feature)!
        let n = Double(count)
        let varianceX = sumXX[u] - sumX[u] * sumX[u] / n
        let varianceY = sumYY[f] - sumY[f] * sumY[f] / n
        guard count >= 2, varianceX > 0, varianceY > 0 else { return nil }
        let r = (sumXY[f * unitCount + u] - sumX[u] * sumY[f] / n) / (varianceX * varianceY).squareRoot()
        return r.isFinite ? min(1, max(-1, r)) : nil
    }
}
