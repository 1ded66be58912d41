import Testing

@testable import CharRNN

/// The states `StreamingModel.forEachState` hands on are PyTorch's: committed fixtures made by
/// scripts/make_fixtures.py (`*.states.safetensors`, every layer's h and c after each character).
@Suite("Units: every layer's state after each character, as PyTorch computes it")
struct UnitStateParityTests {
    /// 2-layer GRU and LSTM (untrained), 1-layer GRU and 2-layer LSTM (trained on the sonnets).
    @Test(
        "h (and c) of every layer after every character match PyTorch (rel 1e-4)",
        arguments: ["gru", "lstm", "tiny-gru", "tiny-lstm"])
    func states(name: String) throws {
        let model = try CharRNNModel.load(path: fixturePath("\(name).safetensors"))
        let expected = try SafetensorsFile.read(path: fixturePath("\(name).states.safetensors"))
        let text = try #require(expected.metadata["text"])
        let tokens = try model.vocabulary.encodeAll(text.unicodeScalars, what: name)
        #expect(tokens.map(Float.init) == expected.tensors["tokens"]?.values)

        var ours: [String: [Float]] = [:]
        var positions: [Int] = []
        try StreamingModel(model, compute: .streaming()).forEachState(tokens) { position, state in
            positions.append(position)
            for layer in 0..<model.config.layers {
                for kind in StateKind.kinds(of: model.config.cell) {
                    ours["\(kind.rawValue)_l\(layer)", default: []] += state.values(kind, layer: layer)
                }
            }
        }
        #expect(positions == Array(tokens.indices))
        #expect(Set(ours.keys) == Set(expected.tensors.keys).subtracting(["tokens"]))
        for (key, values) in ours {
            let theirs = try #require(expected.tensors[key])
            #expect(theirs.shape == [tokens.count, model.config.hiddenSize])
            let worst = zip(values, theirs.values).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
            #expect(worst <= 1e-4, "\(name) \(key): \(worst)")
        }
    }

    @Test("A unit's value is its entry in its layer's state")
    func unitValue() throws {
        let model = makeModel(.lstm, hidden: 5, layers: 2)
        try StreamingModel(model, compute: .streaming()).forEachState([1, 2, 3]) { _, state in
            for unit in HiddenUnit.all(in: model.config) {
                #expect(state.value(of: unit) == state.values(unit.kind, layer: unit.layer)[unit.index])
            }
        }
    }

    @Test("Every unit once, layer by layer, h before c, at its flat index")
    func allUnits() {
        let lstm = makeModel(.lstm, hidden: 3, layers: 2).config
        let units = HiddenUnit.all(in: lstm)
        #expect(units.count == 2 * 2 * 3)
        #expect(units.map(\.description).prefix(7) == ["0.h.0", "0.h.1", "0.h.2", "0.c.0", "0.c.1", "0.c.2", "1.h.0"])
        #expect(units.enumerated().allSatisfy { $0.offset == $0.element.flatIndex(in: lstm) })
        #expect(HiddenUnit.all(in: makeModel(.gru, hidden: 3, layers: 2).config).allSatisfy { $0.kind == .h })
    }

    @Test("LAYER.KIND.INDEX is parsed, and refused outside the model with the valid ranges")
    func parsing() throws {
        let lstm = makeModel(.lstm, hidden: 5, layers: 2).config
        let gru = makeModel(.gru, hidden: 5, layers: 2).config
        #expect(try HiddenUnit(parsing: "1.c.4", in: lstm) == HiddenUnit(layer: 1, kind: .c, index: 4))
        #expect(try HiddenUnit(parsing: "0.h.0", in: gru).label == "L0 h 0")
        let message = { (text: String) in
            do {
                _ = try HiddenUnit(parsing: text, in: gru)
                return "accepted"
            } catch { return (error as? CharRNNError)?.message ?? "\(error)" }
        }
        for bad in ["2.h.0", "-1.h.0", "0.h.5", "0.x.1", "0.h", "0.h.1.2", "", "a.h.1", "0.c.1"] {
            #expect(message(bad).hasSuffix("has layer 0…1, kind h, unit 0…4"), "\(bad): \(message(bad))")
        }
        #expect(message("0.c.1").contains("a GRU has no cell state c"))
        #expect(message("0.c.1").contains("kind h,") && !message("0.h.9").contains("kind h or c"))
        #expect(message("0.h.9").hasPrefix("unit 0.h.9 is outside this GRU 2×5 model"))
    }

    @Test("A state that turns non-finite is an error naming the character, not a NaN handed on")
    func nonFinite() throws {
        let model = makeModel(.gru, hidden: 5, layers: 1)
        var weights = model.parameters.array("rnn.weight_hh_l0")
        weights[0] = .nan
        model.parameters.set("rnn.weight_hh_l0", weights)
        var seen = 0
        #expect {
            try StreamingModel(model, compute: .streaming()).forEachState([0, 1, 2]) { _, _ in seen += 1 }
        } throws: { error in
            (error as? CharRNNError)?.message.hasPrefix("non-finite state at character") ?? false
        }
        #expect(seen < 3)
    }
}
