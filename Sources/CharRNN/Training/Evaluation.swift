import RealModule

public enum Evaluation {
    /// Runs in chunks of `chunk` characters; the state carries across chunks. `progress` gets the
    /// characters scored so far and the total after each chunk.
    public static func evaluate(
        _ model: CharRNNModel, tokens: [Int32], chunk: Int = 1000, compute: ComputePolicy,
        progress: (_ scored: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> EvaluationResult {
        let n = tokens.count - 1
        guard n >= 1 else { throw CharRNNError("text to evaluate needs at least 2 characters, has \(tokens.count)") }
        var graphs: [Int: SequenceGraph] = [:]
        var carried: SequenceGraph?
        var total = 0.0
        var start = 0
        while start < n {
            let length = min(chunk, n - start)
            let graph = graphs[length] ?? SequenceGraph(model: model, batch: 1, steps: length, compute: compute)
            graphs[length] = graph
            if let previous = carried {
                if previous !== graph { graph.copyInitialState(fromFinalStateOf: previous) } else { graph.carryState() }
            } else {
                graph.resetState()
            }
            total += tokens.withUnsafeBufferPointer {
                graph.forward(inputs: $0.baseAddress! + start, targets: $0.baseAddress! + start + 1)
            }
            carried = graph
            start += length
            progress(start, n)
        }
        return EvaluationResult(characters: n, natsPerCharacter: total / Double(n))
    }
}

extension SequenceGraph {
    /// This graph's initial state := the final state of `other` (same model, batch).
    func copyInitialState(fromFinalStateOf other: SequenceGraph) {
        for (mine, theirs) in zip(layers, other.layers) {
            let n = batch * mine.hiddenSize
            mine.hidden.pointer.update(from: theirs.hidden.pointer + theirs.steps * n, count: n)
            if mine.cell == .lstm {
                mine.cellState.pointer.update(from: theirs.cellState.pointer + theirs.steps * n, count: n)
            }
        }
    }
}
