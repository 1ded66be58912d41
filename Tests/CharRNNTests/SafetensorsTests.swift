import CharRNN
import Foundation
import Testing

/// A safetensors file made by hand: the 8-byte little-endian length, the header text as given
/// (no padding), then `data`.
private func crafted(header: String, data: [UInt8] = []) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    return littleEndian(UInt64(headerBytes.count)) + headerBytes + data
}

private func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// The message `parse` refuses `bytes` with, or nil (recorded as a failure) if it accepts them.
private func refusal(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    do {
        _ = try SafetensorsFile.parse(bytes, name: "bad.safetensors")
        Issue.record("accepted a malformed file", sourceLocation: sourceLocation)
        return nil
    } catch let error as CharRNNError {
        #expect(error.message.hasPrefix("bad.safetensors: "), sourceLocation: sourceLocation)
        #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("threw \(error), not a CharRNNError", sourceLocation: sourceLocation)
        return nil
    }
}

private func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

private func bitPatterns(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

@Suite("Safetensors")
struct SafetensorsTests {
    @Test("write then read gives identical bits, shapes, dtypes and metadata")
    func roundTrip() throws {
        let special: [Float] = [0, -0.0, 1, -1.5, .pi, .leastNonzeroMagnitude, -3.4028235e38, .infinity, -.infinity, .nan, 0x1p-126]
        var file = SafetensorsFile()
        file.tensors["weights"] = Tensor(shape: [special.count], values: special)
        file.tensors["matrix"] = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        file.tensors["scalar"] = Tensor(shape: [], values: [42])
        file.tensors["empty"] = Tensor(shape: [0, 5], values: [])
        file.tensors["half"] = Tensor(shape: [3], values: [0.5, -2, 65504], dtype: "F16")
        file.tensors["brain"] = Tensor(shape: [3], values: [1, -2, 3.140625], dtype: "BF16")
        file.tensors["double"] = Tensor(shape: [1], values: [0.1], dtype: "F64")
        file.tensors["ids"] = Tensor(shape: [4], values: [0, 7, -3, 16_777_216], dtype: "I64")
        file.tensors["small ids"] = Tensor(shape: [2], values: [-2_147_483_648, 5], dtype: "I32")
        file.metadata = [
            "plain": "text", "quotes": "\"q\" \\ /", "controls": "a\nb\tc\r\u{0}\u{1F}\u{7F}",
            "unicode": "é 😀 \u{2028} ∑", "": "empty key",
        ]
        let folder = try temporaryFolder()
        let path = folder + "/round.safetensors"
        try file.write(path: path)
        let back = try SafetensorsFile.read(path: path)

        #expect(back.metadata == file.metadata)
        #expect(Set(back.tensors.keys) == Set(file.tensors.keys))
        for (name, tensor) in file.tensors {
            let read = try #require(back.tensors[name])
            #expect(read.shape == tensor.shape, "\(name)")
            #expect(read.dtype == tensor.dtype, "\(name)")
            #expect(bitPatterns(read.values) == bitPatterns(tensor.values), "\(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["round.safetensors"])
    }

    @Test("the written layout is what the spec and Python's safetensors expect")
    func layoutByHand() throws {
        var file = SafetensorsFile(metadata: ["k": "v"])
        file.tensors["b"] = Tensor(shape: [2], values: [1, 2])
        file.tensors["a"] = Tensor(shape: [1, 1], values: [-1])
        let bytes = try file.serialized()

        // Parse it here without the reader: length, header text, data.
        let length = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(length % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        let expected =
            #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(header.hasPrefix(expected))
        #expect(header.dropFirst(expected.count).allSatisfy { $0 == " " })
        #expect(length - expected.utf8.count < 8)
        let data = Array(bytes[(8 + length)...])
        #expect(
            data == littleEndian(Float(-1).bitPattern) + littleEndian(Float(1).bitPattern)
                + littleEndian(Float(2).bitPattern))
    }

    @Test("F16 and BF16 bytes made by hand read as the right floats")
    func halfPrecision() throws {
        let f16: [UInt16] = [0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x7C00, 0x8000]
        let f16Expected: [Float] = [1, -2, 0.5, 65504, 0x1p-24, .infinity, -0.0]
        let bf16: [UInt16] = [0x3F80, 0xC000, 0x4049, 0x0001, 0xFF80]
        let bf16Expected: [Float] = [1, -2, 3.140625, Float(bitPattern: 0x0001_0000), -.infinity]
        let data = f16.flatMap(littleEndian) + bf16.flatMap(littleEndian)
        let header =
            #"{"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]},"#
            + #""b":{"dtype":"BF16","shape":[5],"data_offsets":[14,24]}}"#
        let file = try SafetensorsFile.parse(crafted(header: header, data: data), name: "half")
        #expect(bitPatterns(file.tensors["h"]!.values) == bitPatterns(f16Expected))
        #expect(bitPatterns(file.tensors["b"]!.values) == bitPatterns(bf16Expected))
        #expect(file.tensors["h"]!.dtype == "F16")
        #expect(file.tensors["b"]!.dtype == "BF16")
    }

    @Test("I32 and I64 token ids read as floats; offsets may come in any order")
    func integersAndOrder() throws {
        let data = littleEndian(Int64(-5)) + littleEndian(Int64(1 << 20)) + littleEndian(Int32(7))
        let header =
            #"{"ids32":{"dtype":"I32","shape":[1],"data_offsets":[16,20]},"#
            + #""ids64":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}"#
        let file = try SafetensorsFile.parse(crafted(header: header, data: data), name: "ints")
        #expect(file.tensors["ids64"]!.values == [-5, 1_048_576])
        #expect(file.tensors["ids32"]!.values == [7])
        #expect(file.metadata.isEmpty)
    }

    @Test("JSON escapes, \\u escapes and surrogate pairs in the header are decoded")
    func headerEscapes() throws {
        let header = #"{"__metadata__":{"e\u0301":"\ud83d\ude00\n\"\\\/\u0000\u00e9","raw":"é😀"}}"#
        let file = try SafetensorsFile.parse(crafted(header: header), name: "esc")
        #expect(file.metadata["e\u{301}"] == "😀\n\"\\/\u{0}é")
        #expect(file.metadata["raw"] == "é😀")
    }

    @Test("a file shorter than the 8-byte length is refused as truncated")
    func truncated() {
        #expect(refusal([]).map { $0.contains("truncated") } == true)
        #expect(refusal([1, 0, 0]).map { $0.contains("truncated") } == true)
    }

    @Test("a header length past the file or above 100 MB is refused")
    func absurdHeaderLength() {
        let pastEnd = littleEndian(UInt64(64)) + Array("{}".utf8)
        #expect(refusal(pastEnd).map { $0.contains("header length 64") && $0.contains("past the end") } == true)
        let huge = littleEndian(UInt64(200_000_000)) + Array("{}".utf8)
        #expect(refusal(huge).map { $0.contains("absurd header length") } == true)
        let allOnes = [UInt8](repeating: 0xFF, count: 16)
        #expect(refusal(allOnes).map { $0.contains("not a charrnn checkpoint (safetensors header missing)") } == true)
    }

    @Test("a header that is not a JSON object is refused")
    func notJSON() {
        for header in [
            "{\"a\":", "not json", "{\"a\":1,}", "{\"a\" 1}", "{}x", "{\"a\":\"\u{1}\"}", "{\"x\":\"\\ud800\"}",
        ] {
            #expect(refusal(crafted(header: header)).map { $0.contains("not JSON") } == true, "\(header)")
        }
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(refusal(crafted(header: deep)).map { $0.contains("nested too deeply") } == true)
        var invalidUTF8 = crafted(header: "{\"__metadata__\":{\"k\":\"ab\"}}")
        invalidUTF8[8 + 23] = 0xC3  // 'b' → a lead byte followed by the closing quote
        #expect(refusal(invalidUTF8).map { $0.contains("UTF-8") } == true)
        #expect(refusal(crafted(header: "[1, 2]")).map { $0.contains("not a JSON object") } == true)
        let duplicate = #"{"__metadata__":{"k":"1","k":"2"}}"#
        #expect(refusal(crafted(header: duplicate)).map { $0.contains("duplicate key \"k\"") } == true)
    }

    @Test("a header over the parser's limits is refused early with one line, before building a big tree")
    func headerLimits() {
        let tensors = (0...100_000).map { #""t\#($0)":{}"# }.joined(separator: ",")
        #expect(
            refusal(crafted(header: "{" + tensors + "}"))
                == "bad.safetensors: header refused: JSON object with more than 100000 members at byte 0")
        let longShape = #"{"t":{"dtype":"F32","shape":["# + String(repeating: "0,", count: 100_000) + "0]}}"
        #expect(
            refusal(crafted(header: longShape))
                == "bad.safetensors: header refused: JSON array with more than 100000 elements at byte 28")
        let chunk = "[" + String(repeating: "{},", count: 99_999) + "{}]"
        let manyValues = #"{"x":["# + Array(repeating: chunk, count: 11).joined(separator: ",") + "]}"
        #expect(
            refusal(crafted(header: manyValues)).map {
                $0.contains("header refused: JSON with more than 1000000 values")
            } == true)
    }

    @Test("a shape of more than 8 dimensions is refused, naming the tensor; 8 are read")
    func rank() throws {
        let eight = #"{"t":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}"#
        let file = try SafetensorsFile.parse(crafted(header: eight, data: [0, 0, 0, 0]), name: "eight")
        #expect(file.tensors["t"]?.shape == [1, 1, 1, 1, 1, 1, 1, 1])
        let nine = #"{"t":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}"#
        #expect(
            refusal(crafted(header: nine, data: [0, 0, 0, 0]))
                == "bad.safetensors: tensor \"t\": shape has 9 dimensions (limit 8)")
    }

    @Test("entries without dtype, shape or data_offsets, or with bad values, are refused")
    func badEntries() {
        let four = [UInt8](repeating: 0, count: 4)
        let cases: [(String, String)] = [
            (#"{"t":{"shape":[1],"data_offsets":[0,4]}}"#, "no \"dtype\""),
            (#"{"t":{"dtype":"F32","data_offsets":[0,4]}}"#, "no \"shape\""),
            (#"{"t":{"dtype":"F32","shape":[1]}}"#, "no \"data_offsets\""),
            (#"{"t":[1]}"#, "not a JSON object"),
            (#"{"t":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, "unsupported dtype \"Q7\""),
            (#"{"t":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#, "unsupported dtype \"U8\""),
            (#"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, "non-negative"),
            (#"{"t":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, "non-negative"),
            (#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, "shape [2] of F32 needs 8"),
            (#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, "outside"),
            (#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, "end before they begin"),
            (#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, "two non-negative integers"),
            (#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, "two non-negative integers"),
            (#"{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, "absurdly large"),
            (#"{"__metadata__":{"epoch":3}}"#, "not a string"),
            (#"{"__metadata__":["a"]}"#, "__metadata__ is not a JSON object"),
        ]
        for (header, problem) in cases {
            let message = refusal(crafted(header: header, data: four))
            #expect(message.map { $0.contains(problem) } == true, "\(header) → \(message ?? "accepted")")
            if header.contains("\"t\"") {
                #expect(message.map { $0.contains("tensor \"t\"") } == true, "names the tensor")
            }
        }
    }

    @Test("writing refuses values that do not fit their shape or dtype, and a missing folder")
    func writeRefusals() throws {
        func refusesToWrite(_ tensor: Tensor, _ problem: String) {
            let file = SafetensorsFile(tensors: ["t": tensor])
            let error = #expect(throws: CharRNNError.self) { try file.serialized() }
            #expect(error?.message.contains(problem) == true, "\(error?.message ?? "accepted")")
        }
        refusesToWrite(Tensor(shape: [3], values: [1, 2]), "2 values for shape [3]")
        refusesToWrite(Tensor(shape: [1], values: [1], dtype: "U8"), "cannot write dtype")
        refusesToWrite(Tensor(shape: [1], values: [0.5], dtype: "I64"), "not an I64")
        refusesToWrite(Tensor(shape: [1], values: [3e9], dtype: "I32"), "not an I32")
        #expect(throws: CharRNNError.self) {
            try SafetensorsFile(tensors: ["__metadata__": Tensor(shape: [], values: [1])]).serialized()
        }
        let folder = try temporaryFolder() + "/missing/deeper"
        #expect(throws: CharRNNError.self) {
            try SafetensorsFile(tensors: ["t": Tensor(shape: [], values: [1])]).write(path: folder + "/x.safetensors")
        }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}
