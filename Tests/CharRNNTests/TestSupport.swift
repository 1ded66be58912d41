import Foundation
@testable import CharRNN

/// A small model with random PyTorch-style initialisation and vocabulary "a", "b", ….
func makeModel(
    _ cell: Cell, vocabulary V: Int = 7, embedding E: Int = 4, hidden H: Int = 5, layers L: Int = 2,
    dropout: Float = 0, seed: UInt64 = 1
) -> CharRNNModel {
    let config = ModelConfig(
        cell: cell, vocabularySize: V, embeddingSize: E, hiddenSize: H, layers: L, dropout: dropout)
    let symbols = (0..<V).map { String(UnicodeScalar(UInt8(97 + $0))) }
    return CharRNNModel(config: config, vocabulary: try! Vocabulary(symbols: symbols), seed: seed)
}

/// Random token ids in 0..<V.
func randomTokens(_ count: Int, vocabulary V: Int, seed: UInt64) -> [Int32] {
    var rng = RandomGenerator(seed: seed)
    return (0..<count).map { _ in Int32(rng.nextInt(below: V)) }
}

/// Mean loss of one forward pass (dropout drawn from a fixed seed, so it is repeatable).
func meanLoss(
    _ graph: SequenceGraph, _ x: [Int32], _ y: [Int32], training: Bool = false, seed: UInt64 = 9
) -> Double {
    var rng = RandomGenerator(seed: seed)
    graph.resetState()
    let nll = training ? graph.trainingForward(inputs: x, targets: y, rng: &rng) : graph.forward(inputs: x, targets: y)
    return nll / Double(graph.batch * graph.steps)
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) vs \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// URL of a committed fixture file.
func fixturePath(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
}
