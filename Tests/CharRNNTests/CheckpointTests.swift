import CharRNN
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

private let trickySymbols = ["\n", " ", "\"", "\\", "\u{0}", "a", "é", "😀", "\u{301}", Vocabulary.unknownSymbol]

/// A checkpoint whose every value is different and reproducible: value i of tensor t is
/// sin(1 + 7t + i) / 3.
private func makeCheckpoint(
    cell: Cell = .gru, symbols: [String] = trickySymbols, embedding: Int = 3, hidden: Int = 4, layers: Int = 2,
    dropout: Float = 0.125, metadata: [String: String] = ["epoch": "7", "val_loss": "1.2345"]
) throws -> Checkpoint {
    let vocabulary = try Vocabulary(symbols: symbols)
    let config = ModelConfig(
        cell: cell, vocabularySize: vocabulary.count, embeddingSize: embedding, hiddenSize: hidden, layers: layers,
        dropout: dropout)
    let parameters = ParameterSet(shapes: config.parameterShapes)
    for (t, entry) in parameters.entries.enumerated() {
        parameters.set(entry.name, (0..<entry.count).map { Float(sin(Double(1 + 7 * t + $0)) / 3) })
    }
    return Checkpoint(config: config, vocabulary: vocabulary, parameters: parameters, metadata: metadata)
}

private func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

private func fixture(_ name: String) throws -> String {
    try #require(Bundle.module.path(forResource: name, ofType: "safetensors", inDirectory: "Fixtures"))
}

/// The message `Checkpoint.load` refuses `bytes` with (written to a file first), or nil,
/// recorded as a failure, when it accepts them. Checks the message is one line naming the file.
private func refusal(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
    let path = try temporaryFolder() + "/bad.safetensors"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    do {
        _ = try Checkpoint.load(path: path)
        Issue.record("loaded a malformed checkpoint", sourceLocation: sourceLocation)
        return nil
    } catch let error as CharRNNError {
        #expect(error.message.hasPrefix(path + ": "), sourceLocation: sourceLocation)
        #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
        return error.message
    }
}

/// The refusal for a good checkpoint's file after `change`.
private func refusal(
    after change: (inout SafetensorsFile) -> Void, sourceLocation: SourceLocation = #_sourceLocation
) throws -> String? {
    var file = try SafetensorsFile.parse(try makeCheckpoint().serialized(), name: "good")
    change(&file)
    return try refusal(try file.serialized(), sourceLocation: sourceLocation)
}

private func expectSameValues(_ a: ParameterSet, _ b: ParameterSet, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.entries.map(\.name) == b.entries.map(\.name), sourceLocation: sourceLocation)
    for entry in a.entries {
        #expect(
            a.array(entry.name).map(\.bitPattern) == b.array(entry.name).map(\.bitPattern), "\(entry.name)",
            sourceLocation: sourceLocation)
    }
}

@Suite("Checkpoint")
struct CheckpointTests {
    @Test("save then load gives the same config, vocabulary, floats and metadata", arguments: [Cell.gru, .lstm])
    func roundTrip(cell: Cell) throws {
        let original = try makeCheckpoint(
            cell: cell, metadata: ["corpus": "tiny\n\"shakespeare\"", "epoch": "7", "note": "é😀"])
        let path = try temporaryFolder() + "/model.safetensors"
        try original.save(path: path)
        let loaded = try Checkpoint.load(path: path)
        #expect(loaded.config == original.config)
        #expect(loaded.config.dropout == 0.125)
        #expect(loaded.vocabulary.symbols == trickySymbols)
        #expect(loaded.vocabulary.unknownID == trickySymbols.count - 1)
        #expect(loaded.metadata == original.metadata)
        expectSameValues(loaded.parameters, original.parameters)
        // The format's own keys are in the file, not in `metadata`.
        let raw = try SafetensorsFile.read(path: path)
        #expect(raw.metadata["format"] == "charrnn-v1")
        #expect(raw.metadata["cell"] == cell.rawValue)
        #expect(raw.metadata["dropout"] == "0.125")
        #expect(raw.tensors.values.allSatisfy { $0.dtype == "F32" })
    }

    @Test("a file written by PyTorch and Python's safetensors loads with every value in place")
    func torchFixtureGRU() throws {
        let checkpoint = try Checkpoint.load(path: try fixture("torch-gru-f32"))
        #expect(
            checkpoint.config
                == ModelConfig(cell: .gru, vocabularySize: 8, embeddingSize: 3, hiddenSize: 4, layers: 2, dropout: 0.25)
        )
        #expect(checkpoint.vocabulary.symbols == ["\n", " ", "\"", "\\", "a", "é", "😀", "[UNK]"])
        #expect(checkpoint.metadata == ["epoch": "3", "corpus": "tiny\ttext"])
        expectFixtureValues(checkpoint)
    }

    @Test("a BF16 LSTM written by PyTorch loads as the same floats")
    func torchFixtureLSTM() throws {
        let checkpoint = try Checkpoint.load(path: try fixture("torch-lstm-bf16"))
        #expect(
            checkpoint.config == ModelConfig(cell: .lstm, vocabularySize: 3, embeddingSize: 2, hiddenSize: 3, layers: 1)
        )
        #expect(checkpoint.vocabulary.symbols == ["a", "b", "c"])
        #expect(checkpoint.metadata.isEmpty)
        expectFixtureValues(checkpoint)
    }

    /// make_torch_checkpoints.py: value(t, i) = ((7i + 13t) mod 19 − 9) / 16.
    private func expectFixtureValues(_ checkpoint: Checkpoint) {
        for (t, entry) in checkpoint.parameters.entries.enumerated() {
            let expected = (0..<entry.count).map { Float((7 * $0 + 13 * t) % 19 - 9) / 16 }
            #expect(checkpoint.parameters.array(entry.name) == expected, "\(entry.name)")
        }
    }

    @Test("F16 and BF16 weights load as the floats they hold")
    func halfPrecisionWeights() throws {
        let original = try makeCheckpoint()
        for dtype in ["F16", "BF16"] {
            var file = try SafetensorsFile.parse(try original.serialized(), name: "good")
            for name in Array(file.tensors.keys) { file.tensors[name]!.dtype = dtype }
            let path = try temporaryFolder() + "/half.safetensors"
            try file.write(path: path)
            let halved = try SafetensorsFile.read(path: path)
            let loaded = try Checkpoint.load(path: path)
            #expect(loaded.config == original.config)
            for entry in loaded.parameters.entries {
                let stored = try #require(halved.tensors[entry.name])
                #expect(stored.dtype == dtype)
                #expect(loaded.parameters.array(entry.name) == stored.values)
                // Rounded, not garbage: within half-precision error of the F32 original.
                let tolerance: Float = dtype == "F16" ? 1e-3 : 4e-3
                let worst = zip(stored.values, original.parameters.array(entry.name)).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= tolerance, "\(dtype) \(entry.name)")
            }
        }
    }

    @Test("truncated files, absurd header lengths and headers that are not JSON are refused")
    func brokenFiles() throws {
        let good = try makeCheckpoint().serialized()
        #expect(try refusal(Array(good.prefix(5)))?.contains("truncated") == true)
        #expect(try refusal(Array(good.prefix(40)))?.contains("past the end") == true)
        #expect(try refusal(Array(good.dropLast(4)))?.contains("outside the") == true)
        var absurd = good
        absurd[7] = 0x7F
        #expect(try refusal(absurd)?.contains("absurd header length") == true)
        var notJSON = good
        notJSON[8] = UInt8(ascii: "x")
        #expect(try refusal(notJSON)?.contains("header is not JSON") == true)
        #expect(try refusal(Array("not a checkpoint at all, just text".utf8)) != nil)
    }

    @Test("weights in other dtypes are refused, naming the tensor")
    func wrongDtype() throws {
        let message = try refusal {
            $0.tensors["fc.bias"]!.dtype = "I64"
            $0.tensors["fc.bias"]!.values = [Float](repeating: 1, count: 10)
        }
        #expect(message?.contains("fc.bias has dtype I64") == true)
    }

    @Test("missing and unexpected tensors are named")
    func missingAndExtra() throws {
        let missing = try refusal {
            $0.tensors["fc.bias"] = nil
            $0.tensors["rnn.bias_hh_l1"] = nil
        }
        #expect(missing?.contains("missing tensors: rnn.bias_hh_l1, fc.bias") == true, "\(missing ?? "")")
        let extra = try refusal {
            $0.tensors["decoder.weight"] = Tensor(shape: [1], values: [0])
            $0.tensors["rnn.weight_hh_l2"] = Tensor(shape: [1], values: [0])
        }
        #expect(extra?.contains("unexpected tensors: decoder.weight, rnn.weight_hh_l2") == true, "\(extra ?? "")")
        let noLayers = try refusal { file in
            for name in file.tensors.keys where name.hasPrefix("rnn.") { file.tensors[name] = nil }
        }
        #expect(noLayers?.contains("missing tensor rnn.weight_ih_l0") == true)
    }

    @Test("a gap in the layer numbers is refused")
    func layerGap() throws {
        var file = try SafetensorsFile.parse(try makeCheckpoint(layers: 3).serialized(), name: "good")
        for name in Array(file.tensors.keys) where name.hasSuffix("_l1") { file.tensors[name] = nil }
        let message = try refusal(try file.serialized())
        #expect(message?.contains("has rnn.weight_ih_l2 but no rnn.weight_ih_l1") == true, "\(message ?? "")")
    }

    @Test("shapes that disagree with each other or with the vocabulary are refused")
    func inconsistentShapes() throws {
        let wideOutput = try refusal {
            $0.tensors["fc.weight"] = Tensor(shape: [10, 5], values: .init(repeating: 0, count: 50))
        }
        #expect(wideOutput?.contains("fc.weight has shape [10, 5], expected [10, 4]") == true, "\(wideOutput ?? "")")
        let vocabulary = try refusal { $0.metadata["vocab"] = #"["a","b","c"]"# }
        #expect(vocabulary?.contains("embedding.weight has 10 rows but the vocabulary has 3 symbols") == true)
        let cell = try refusal { $0.metadata["cell"] = "lstm" }  // GRU weights: 3·H rows, not 4·H
        #expect(
            cell?.contains("rnn.weight_hh_l0 has shape [12, 4], expected [4·H, H] for LSTM") == true, "\(cell ?? "")")
        let flatEmbedding = try refusal { $0.tensors["embedding.weight"]!.shape = [30] }
        #expect(flatEmbedding?.contains("embedding.weight has shape [30], expected [V, E]") == true)
        let layerInput = try refusal { $0.tensors["rnn.weight_ih_l1"]!.shape = [4, 12] }
        #expect(layerInput?.contains("rnn.weight_ih_l1 has shape [4, 12], expected [12, 4]") == true)
        let bias = try refusal {
            $0.tensors["rnn.bias_ih_l0"] = Tensor(shape: [3, 4], values: .init(repeating: 0, count: 12))
        }
        #expect(bias?.contains("rnn.bias_ih_l0 has shape [3, 4], expected [12]") == true)
        let zeroHidden = try refusal { file in
            for (name, tensor) in file.tensors where name.hasPrefix("rnn.") || name == "fc.weight" {
                file.tensors[name] = Tensor(shape: tensor.shape.map { $0 == 12 ? 0 : $0 == 4 ? 0 : $0 }, values: [])
            }
        }
        #expect(zeroHidden?.contains("hidden size must be positive") == true, "\(zeroHidden ?? "")")
    }

    @Test(
        "a zero-element recurrent weight with an enormous H is refused, not an overflow",
        arguments: [(Cell.gru, 4_611_686_018_427_387_904), (.gru, Int.max / 3 + 1), (.lstm, Int.max / 4 + 1), (.gru, 16_385)])
    func enormousHidden(cell: Cell, hidden: Int) throws {
        let message = try refusal {
            $0.metadata["cell"] = cell.rawValue
            $0.tensors["rnn.weight_hh_l0"] = Tensor(shape: [0, hidden], values: [])
        }
        #expect(
            message?.contains("rnn.weight_hh_l0 has shape") == true || message?.contains("hidden size must be at most 16,384") == true,
            "\(message ?? "")")
    }

    @Test("sizes past the documented bounds are refused on load and by ModelConfig")
    func sizeBounds() throws {
        let wide = try refusal { file in
            file.tensors["embedding.weight"] = Tensor(shape: [10, 16_385], values: .init(repeating: 0, count: 163_850))
        }
        #expect(wide?.contains("embedding size must be at most 16,384, got 16,385") == true, "\(wide ?? "")")
        for (config, message) in [
            (ModelConfig(vocabularySize: 65_537), "vocabulary size must be at most 65,536, got 65,537"),
            (ModelConfig(vocabularySize: 65, hiddenSize: Int.max), "hidden size must be at most 16,384, got 9,223,372,036,854,775,807"),
            (ModelConfig(vocabularySize: 65, layers: 1_000_000), "layers must be at most 64, got 1,000,000"),
        ] {
            #expect(throws: CharRNNError(message)) { try config.validate() }
        }
        try ModelConfig(vocabularySize: 65_536, embeddingSize: 16_384, hiddenSize: 16_384, layers: 64).validate()
    }

    @Test("NaN and infinite weights are refused, naming the tensor", arguments: [Float.nan, .infinity, -.infinity])
    func nonFinite(bad: Float) throws {
        let message = try refusal { $0.tensors["rnn.weight_hh_l1"]!.values[5] = bad }
        #expect(message?.contains("tensor rnn.weight_hh_l1 has a non-finite value") == true, "\(message ?? "")")
        #expect(message?.contains("index 5") == true)
    }

    @Test("finite weights whose outputs overflow (fc ±3e38, a huge embedding) are refused on load")
    func overflowingWeights() throws {
        let fc = try refusal { file in
            let n = file.tensors["fc.weight"]!.values.count
            file.tensors["fc.weight"]!.values = (0..<n).map { $0 % 2 == 0 ? 3e38 : -3e38 }
        }
        #expect(fc?.contains("tensor fc.weight can make the outputs non-finite") == true, "\(fc ?? "")")
        let embedding = try refusal { $0.tensors["embedding.weight"]!.values[0] = 1e38 }
        #expect(embedding?.contains("tensor rnn.weight_ih_l0 can make the outputs non-finite") == true)
        let hidden = try refusal { $0.tensors["rnn.bias_hh_l1"]!.values[0] = -3e38 }
        #expect(hidden?.contains("tensor rnn.weight_hh_l1 can make the outputs non-finite") == true)
    }

    @Test("missing or unknown format and cell are refused")
    func formatAndCell() throws {
        #expect(try refusal { $0.metadata["format"] = nil }?.contains("no \"format\"") == true)
        #expect(try refusal { $0.metadata = [:] }?.contains("no \"format\"") == true)
        #expect(
            try refusal { $0.metadata["format"] = "charrnn-v2" }?.contains("unsupported format \"charrnn-v2\"") == true)
        #expect(try refusal { $0.metadata["cell"] = nil }?.contains("no \"cell\"") == true)
        #expect(try refusal { $0.metadata["cell"] = "GRU" }?.contains("unknown cell \"GRU\"") == true)
        #expect(try refusal { $0.metadata["dropout"] = "1.5" }?.contains("\"dropout\"") == true)
        #expect(try refusal { $0.metadata["dropout"] = "lots" }?.contains("\"dropout\"") == true)
    }

    @Test("a vocab that is not a JSON list of single scalars, or repeats one, is refused")
    func badVocabulary() throws {
        let cases: [(String?, String)] = [
            (nil, "no \"vocab\""),
            ("a,b", "not JSON"),
            (#"{"a":0}"#, "not a JSON list"),
            (#"["a",1]"#, "entry 1 is not a string"),
            (#"["a","bc"]"#, "entry 1 is not a single Unicode scalar"),
            (#"["a","e\u0301"]"#, "entry 1 is not a single Unicode scalar"),
            (#"["a",""]"#, "entry 1 is not a single Unicode scalar"),
            (#"["a","\ud83d"]"#, "lone high surrogate"),
            (#"["a","b","a"]"#, "entry 2 repeats \"a\""),
            (#"["[UNK]","x","[UNK]"]"#, "[UNK] twice"),
            ("[]", "vocabulary is empty"),
        ]
        for (vocab, problem) in cases {
            let message = try refusal { $0.metadata["vocab"] = vocab }
            #expect(message?.contains(problem) == true, "\(vocab ?? "nil") → \(message ?? "accepted")")
            #expect(message?.contains("vocab") == true)
        }
    }

    @Test("a vocab of more than 100,000 symbols is refused as too large, in one line")
    func vocabularyTooLarge() throws {
        let symbols = (0..<100_001).map { "\"\\u\(String(0x4E00 + $0 % 0x5000, radix: 16))\"" }
        let message = try refusal { $0.metadata["vocab"] = "[" + symbols.joined(separator: ",") + "]" }
        #expect(message?.hasSuffix(#"metadata "vocab": JSON array with more than 100000 elements at byte 0"#) == true)
    }

    @Test("the shipped checkpoints load", arguments: ["milton-gru512", "shakespeare-gru512", "shakespeare-lstm2x512"])
    func shippedCheckpoints(name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let checkpoint = try Checkpoint.load(path: root.appendingPathComponent("checkpoints/\(name).safetensors").path)
        #expect(checkpoint.config.hiddenSize == 512)
        #expect(checkpoint.vocabulary.count > 80)
    }

    @Test("vocab entries written with \\u escapes or raw UTF-8 load the same")
    func vocabularyEscapes() throws {
        let escaped = #"["\n","\u0022","\\","\u0000","\u00e9","\ud83d\ude00","\/","[UNK]","\u0009","ß","\u0301"]"#
        let symbols = ["\n", "\"", "\\", "\u{0}", "é", "😀", "/", "[UNK]", "\t", "ß", "\u{301}"]
        var file = try SafetensorsFile.parse(try makeCheckpoint(symbols: symbols).serialized(), name: "good")
        #expect(file.metadata["vocab"]?.contains("é") == true, "charrnn writes non-ASCII as UTF-8")
        file.metadata["vocab"] = escaped
        let path = try temporaryFolder() + "/escaped.safetensors"
        try file.write(path: path)
        #expect(try Checkpoint.load(path: path).vocabulary.symbols == symbols)
    }

    @Test("saving into a folder that does not exist throws and creates nothing")
    func saveIntoMissingFolder() throws {
        let folder = try temporaryFolder() + "/not/there"
        let path = folder + "/model.safetensors"
        let error = #expect(throws: CharRNNError.self) { try makeCheckpoint().save(path: path) }
        #expect(error?.message.hasPrefix(path) == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test("saving over a checkpoint replaces it whole and leaves no temporary file")
    func saveReplaces() throws {
        let folder = try temporaryFolder()
        let path = folder + "/model.safetensors"
        try makeCheckpoint(hidden: 16, layers: 3).save(path: path)
        let smaller = try makeCheckpoint(cell: .lstm, hidden: 2, layers: 1, metadata: ["epoch": "8"])
        try smaller.save(path: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
        #expect(try FileIO.readAll(path: path) == (try smaller.serialized()))
        let loaded = try Checkpoint.load(path: path)
        #expect(loaded.config == smaller.config)
        #expect(loaded.metadata == ["epoch": "8"])
        expectSameValues(loaded.parameters, smaller.parameters)
    }

    @Test("a save that fails part-way leaves the old file intact")
    func failedSaveKeepsOldFile() throws {
        // Root can write anywhere, and temporary names cannot be guessed: put the file so deep
        // that its path is just short enough and its temporary's is too long.
        var folder = try temporaryFolder()
        let shallow = folder + "/model.safetensors"
        while folder.count + 200 < 4_080 - 18 { folder += "/" + String(repeating: "d", count: 199) }
        folder += "/" + String(repeating: "e", count: 4_080 - 18 - folder.count - 1)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/model.safetensors"
        #expect(path.utf8.count == 4_080)
        try makeCheckpoint().save(path: shallow)
        #expect(rename(shallow, path) == 0)
        let before = try FileIO.readAll(path: path)
        #expect(throws: CharRNNError.self) { try makeCheckpoint(hidden: 8).save(path: path) }
        #expect(try FileIO.readAll(path: path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
    }

    @Test("a checkpoint load would refuse is not saved, and the old file stays")
    func invalidSaveKeepsOldFile() throws {
        let folder = try temporaryFolder()
        let path = folder + "/model.safetensors"
        try makeCheckpoint().save(path: path)
        let before = try FileIO.readAll(path: path)

        let diverged = try makeCheckpoint()
        diverged.parameters.value("fc.bias")[3] = .nan
        let nanError = #expect(throws: CharRNNError.self) { try diverged.save(path: path) }
        #expect(nanError?.message.contains("fc.bias has a non-finite value") == true, "\(nanError?.message ?? "")")
        var reserved = try makeCheckpoint()
        reserved.metadata["cell"] = "lstm"
        let reservedError = #expect(throws: CharRNNError.self) { try reserved.save(path: path) }
        #expect(reservedError?.message.contains("\"cell\" is reserved") == true, "\(reservedError?.message ?? "")")
        var mismatched = try makeCheckpoint()
        mismatched.vocabulary = try Vocabulary(symbols: ["a", "b"])
        let sizeError = #expect(throws: CharRNNError.self) { try mismatched.save(path: path) }
        #expect(
            sizeError?.message.contains("the vocabulary has 2 symbols but the model has V=10") == true,
            "\(sizeError?.message ?? "")")
        var relabelled = try makeCheckpoint()
        relabelled.config.hiddenSize = 5
        let layoutError = #expect(throws: CharRNNError.self) { try relabelled.save(path: path) }
        #expect(layoutError?.message.contains("not laid out") == true, "\(layoutError?.message ?? "")")
        #expect(try FileIO.readAll(path: path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
    }
}
