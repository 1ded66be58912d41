import Testing
@testable import CharRNN

/// Central finite differences of the mean loss along a random direction restricted to one
/// tensor, against the analytic gradient's projection on that direction.
@Suite("Backward matches finite differences")
struct GradientTests {
    func check(_ model: CharRNNModel, batch B: Int = 3, steps T: Int = 5, inputTable: Bool? = nil) {
        let graph = SequenceGraph(model: model, batch: B, steps: T, compute: .training, inputTable: inputTable)
        Self.check(model, analytic: graph, numeric: graph) { _, analytic in 2e-4 + 2e-3 * abs(analytic) }
    }

    /// For each tensor: `analytic`'s gradient projected on a random direction against central
    /// differences of `numeric`'s mean loss along it, within `bound(numeric, analytic)`.
    static func check(
        _ model: CharRNNModel, analytic: SequenceGraph, numeric: SequenceGraph,
        within bound: (_ numeric: Double, _ analytic: Double) -> Double
    ) {
        let V = model.config.vocabularySize, count = analytic.batch * analytic.steps
        let x = randomTokens(count, vocabulary: V, seed: 11)
        let y = randomTokens(count, vocabulary: V, seed: 12)
        let p = model.parameters
        p.zeroGradients()
        _ = meanLoss(analytic, x, y, training: true)
        analytic.backward()
        var rng = RandomGenerator(seed: 5)
        for entry in p.entries {
            let direction = (0..<entry.count).map { _ in rng.nextNormal() }
            let projected = zip(p.gradientArray(entry.name), direction).reduce(0.0) { $0 + Double($1.0 * $1.1) }
            let original = p.array(entry.name)
            let eps: Float = 1e-2
            p.set(entry.name, zip(original, direction).map { $0 + eps * $1 })
            let plus = meanLoss(numeric, x, y, training: true)
            p.set(entry.name, zip(original, direction).map { $0 - eps * $1 })
            let minus = meanLoss(numeric, x, y, training: true)
            p.set(entry.name, original)
            let differences = (plus - minus) / Double(2 * eps)
            #expect(
                abs(differences - projected) <= bound(differences, projected),
                "\(model.config.cell) \(entry.name): numeric \(differences) vs analytic \(projected)")
        }
    }

    @Test("GRU, two layers") func gru() { check(makeModel(.gru)) }
    @Test("LSTM, two layers") func lstm() { check(makeModel(.lstm)) }
    @Test("GRU, three layers, wide input") func gruDeep() {
        check(makeModel(.gru, vocabulary: 9, embedding: 6, hidden: 4, layers: 3))
    }
    @Test("LSTM, one layer") func lstmSingle() { check(makeModel(.lstm, layers: 1)) }
    @Test("GRU without the layer-0 input table") func gruDirect() { check(makeModel(.gru), inputTable: false) }
    @Test("LSTM without the layer-0 input table") func lstmDirect() { check(makeModel(.lstm), inputTable: false) }
    @Test("GRU with dropout (fixed mask)") func gruDropout() { check(makeModel(.gru, dropout: 0.3)) }
    @Test("LSTM with dropout (fixed mask)") func lstmDropout() { check(makeModel(.lstm, dropout: 0.3)) }

    @Test("The input table and the direct path give the same loss and gradients", arguments: Cell.allCases)
    func tableEqualsDirect(cell: Cell) {
        let model = makeModel(cell)
        let x = randomTokens(15, vocabulary: 7, seed: 3), y = randomTokens(15, vocabulary: 7, seed: 4)
        var results: [(Double, [Float])] = []
        for table in [true, false] {
            let graph = SequenceGraph(model: model, batch: 3, steps: 5, compute: .training, inputTable: table)
            model.parameters.zeroGradients()
            let loss = meanLoss(graph, x, y, training: true)
            graph.backward()
            results.append((loss, Array(UnsafeBufferPointer(start: model.parameters.gradients, count: model.parameters.count))))
        }
        #expect(abs(results[0].0 - results[1].0) < 1e-6)
        #expect(maxAbsDifference(results[0].1, results[1].1) < 1e-5)
    }
}
