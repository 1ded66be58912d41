import Foundation
import Testing
@testable import CharRNN

/// The engine against PyTorch: committed fixtures made by scripts/make_fixtures.py
/// (logits, loss, every gradient, clipping, three Adam and RMSprop steps, streaming).
@Suite("Same numbers as PyTorch")
struct GoldenParityTests {
    struct Case {
        let model: CharRNNModel
        let expected: SafetensorsFile
        let x: [Int32], y: [Int32]
        var batch: Int { expected.tensors["x"]!.shape[0] }
        var steps: Int { expected.tensors["x"]!.shape[1] }

        init(_ name: String) throws {
            model = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
            expected = try SafetensorsFile.read(path: fixturePath("\(name).expected.safetensors"))
            x = expected.tensors["x"]!.values.map { Int32($0) }
            y = expected.tensors["y"]!.values.map { Int32($0) }
        }

        func tensor(_ name: String) throws -> [Float] { try #require(expected.tensors[name]).values }

        /// Zero grads, forward, backward; returns the mean loss.
        func lossAndGradients(_ graph: SequenceGraph) -> Double {
            model.parameters.zeroGradients()
            let loss = meanLoss(graph, x, y, training: true)
            graph.backward()
            return loss
        }
    }

    static let cases = ["gru", "lstm"]

    @Test("Logits, loss and final state match", arguments: cases)
    func forward(name: String) throws {
        let c = try Case(name)
        let graph = SequenceGraph(model: c.model, batch: c.batch, steps: c.steps, compute: .training)
        let loss = c.lossAndGradients(graph)
        #expect(abs(loss - Double(try c.tensor("loss")[0])) < 1e-5)
        // graph logits are time-major [T·B, V]; PyTorch's are [B, T, V]
        let V = c.model.config.vocabularySize, B = c.batch, T = c.steps
        let ours = graph.logits.array
        var batchMajor: [Float] = []
        for b in 0..<B {
            for t in 0..<T {
                let row = t * B + b
                batchMajor += ours[row * V..<(row + 1) * V]
            }
        }
        #expect(maxAbsDifference(batchMajor, try c.tensor("logits")) < 1e-5)
        let H = c.model.config.hiddenSize
        let finalHidden = graph.layers.flatMap { Array($0.hidden.array[T * B * H..<(T + 1) * B * H]) }
        #expect(maxAbsDifference(finalHidden, try c.tensor("h_n")) < 1e-5)
        if c.model.config.cell == .lstm {
            let finalCell = graph.layers.flatMap { Array($0.cellState.array[T * B * H..<(T + 1) * B * H]) }
            #expect(maxAbsDifference(finalCell, try c.tensor("c_n")) < 1e-5)
        }
    }

    @Test("Every gradient, the gradient norm and clipping match", arguments: cases)
    func gradients(name: String) throws {
        let c = try Case(name)
        let graph = SequenceGraph(model: c.model, batch: c.batch, steps: c.steps, compute: .training)
        _ = c.lossAndGradients(graph)
        let p = c.model.parameters
        for entry in p.entries {
            let expected = try c.tensor("grad.\(entry.name)")
            #expect(maxAbsDifference(p.gradientArray(entry.name), expected) < 2e-6, "grad of \(entry.name)")
        }
        let norm = clipGradientNorm(p, maxNorm: 0.1)
        #expect(abs(norm - (try c.tensor("grad_norm")[0])) < 1e-5)
        for entry in p.entries {
            #expect(
                maxAbsDifference(p.gradientArray(entry.name), try c.tensor("clipped_grad.\(entry.name)")) < 1e-6,
                "clipped grad of \(entry.name)")
        }
    }

    @Test("Three clipped optimizer steps match", arguments: cases, OptimizerKind.allCases)
    func optimizerSteps(name: String, kind: OptimizerKind) throws {
        let c = try Case(name)
        let graph = SequenceGraph(model: c.model, batch: c.batch, steps: c.steps, compute: .training)
        let optimizer = Optimizer(kind: kind, learningRate: 0.01, parameterCount: c.model.parameters.count)
        var norms: [Float] = []
        for _ in 0..<3 {
            _ = c.lossAndGradients(graph)
            norms.append(clipGradientNorm(c.model.parameters, maxNorm: 0.1))
            optimizer.update(c.model.parameters)
        }
        #expect(maxAbsDifference(norms, try c.tensor("\(kind.rawValue).grad_norms")) < 1e-5)
        for entry in c.model.parameters.entries {
            let expected = try c.tensor("\(kind.rawValue).\(entry.name)")
            #expect(maxAbsDifference(c.model.parameters.array(entry.name), expected) < 1e-5, "\(kind) \(entry.name)")
        }
    }

    @Test("Streaming one character at a time matches", arguments: cases)
    func streaming(name: String) throws {
        let c = try Case(name)
        let stream = StreamingModel(c.model, compute: .streaming())
        let state = stream.makeState()
        var logits: [Float] = []
        for token in c.x[0..<c.steps] + c.x[c.steps..<c.steps + 2] {
            stream.step(Int(token), state)
            logits += Array(state.logits)
        }
        #expect(maxAbsDifference(logits, try c.tensor("stream_logits")) < 1e-5)
    }

    @Test("Evaluation of a trained model matches PyTorch's nats/char", arguments: ["tiny-gru", "tiny-lstm"])
    func evaluation(name: String) throws {
        let model = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
        let text = try UTF8Text.read(path: fixturePath("\(name).eval.txt"))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: fixturePath("\(name).eval.json")))) as! [String: Any]
        let expected = try #require(json["nats_per_char"] as? Double)
        for chunk in [1000, 7] {  // one chunk, and many with carried state
            let r = try Evaluation.evaluate(model, tokens: try model.vocabulary.encodeAll(text, what: name), chunk: chunk, compute: .streaming())
            #expect(r.characters == text.count - 1)
            #expect(abs(r.natsPerCharacter - expected) < 1e-5 * expected, "chunk \(chunk)")
        }
    }
}
