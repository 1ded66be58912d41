/// A safetensors file: an 8-byte little-endian header length N, N bytes of JSON header
/// `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}`,
/// then the raw little-endian data, offsets counted from the start of the data section.
public struct SafetensorsFile: Equatable, Sendable {
    public var tensors: [String: Tensor]
    public var metadata: [String: String]

    public static let maximumHeaderLength = 100_000_000
    /// Dimensions of one tensor's shape. The header as a whole is bounded while it is parsed
    /// (`JSON.Limits`: 100,000 entries, 1,000,000 values, 16 MiB per string, 64 levels).
    public static let maximumRank = 8
    /// Bytes per element of each dtype read here.
    public static let dtypeSizes: [String: Int] = ["F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I32": 4, "I64": 8]
    static let metadataKey = "__metadata__"

    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public static func read(path: String) throws -> SafetensorsFile {
        try parse(try FileIO.readAll(path: path), name: path)
    }

    /// Parses and validates a whole file's bytes; `name` starts every error message.
    public static func parse(_ bytes: [UInt8], name: String) throws -> SafetensorsFile {
        func fail(_ what: String) -> CharRNNError { CharRNNError("\(name): \(what)") }
        guard bytes.count >= 8 else {
            throw fail("truncated: \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let declared = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
        // A header length that cannot be one with no JSON object after it: some other kind of file.
        let possible = declared <= UInt64(min(maximumHeaderLength, bytes.count - 8))
        guard possible || bytes.dropFirst(8).first == UInt8(ascii: "{") else {
            throw fail("not a charrnn checkpoint (safetensors header missing)")
        }
        guard declared <= UInt64(maximumHeaderLength) else {
            throw fail("absurd header length \(declared) bytes (limit \(maximumHeaderLength)): damaged checkpoint")
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw fail(
                "header length \(headerLength) bytes runs past the end of the \(bytes.count)-byte file (truncated?)"
            )
        }
        let header: JSON
        do {
            header = try JSON.parse(bytes[8..<(8 + headerLength)])
        } catch let error as JSON.TooLarge {
            throw fail("header refused: \(error.message)")
        } catch let error as CharRNNError {
            throw fail("header is not JSON: \(error.message)")
        }
        guard case .object(let entries) = header else { throw fail("header is not a JSON object") }

        let dataStart = 8 + headerLength
        var file = SafetensorsFile()
        for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
            if key == metadataKey {
                file.metadata = try metadata(entry, fail: fail)
                continue
            }
            file.tensors[key] = try tensor(key, entry, in: bytes, dataStart: dataStart, fail: fail)
        }
        return file
    }

    /// One header entry, checked against the data section, its values widened to Float.
    private static func tensor(
        _ key: String, _ entry: JSON, in bytes: [UInt8], dataStart: Int, fail: (String) -> CharRNNError
    ) throws -> Tensor {
        let tensorName = key.debugDescription
        let dataSize = bytes.count - dataStart
        guard case .object(let fields) = entry else {
            throw fail("tensor \(tensorName): entry is not a JSON object")
        }
        guard case .string(let dtype)? = fields["dtype"] else {
            throw fail("tensor \(tensorName): no \"dtype\" string")
        }
        guard case .array(let dims)? = fields["shape"] else {
            throw fail("tensor \(tensorName): no \"shape\" list")
        }
        guard case .array(let offsets)? = fields["data_offsets"] else {
            throw fail("tensor \(tensorName): no \"data_offsets\" list")
        }
        guard let elementSize = dtypeSizes[dtype] else {
            throw fail(
                "tensor \(tensorName): unsupported dtype \(dtype.debugDescription) (readable: F32, F16, BF16, F64, I32, I64)"
            )
        }
        guard dims.count <= maximumRank else {
            throw fail("tensor \(tensorName): shape has \(dims.count) dimensions (limit \(maximumRank))")
        }
        var shape: [Int] = []
        var count = 1
        for dim in dims {
            guard let d = dim.nonNegativeInteger else {
                throw fail("tensor \(tensorName): shape entries must be non-negative integers")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Int(UInt32.max) else {
                throw fail("tensor \(tensorName): shape \(dims.count)-D is absurdly large")
            }
            shape.append(d)
            count = product
        }
        guard offsets.count == 2, let begin = offsets[0].nonNegativeInteger, let end = offsets[1].nonNegativeInteger
        else {
            throw fail("tensor \(tensorName): data_offsets must be two non-negative integers")
        }
        guard begin <= end else {
            throw fail("tensor \(tensorName): data_offsets [\(begin), \(end)] end before they begin")
        }
        guard end <= dataSize else {
            throw fail(
                "tensor \(tensorName): data_offsets [\(begin), \(end)] lie outside the \(dataSize)-byte data section"
            )
        }
        guard end - begin == count * elementSize else {
            throw fail(
                "tensor \(tensorName): \(end - begin) bytes, but shape \(shape) of \(dtype) needs \(count * elementSize)"
            )
        }
        let values = decode(bytes, from: dataStart + begin, count: count, dtype: dtype)
        return Tensor(shape: shape, values: values, dtype: dtype)
    }

    private static func metadata(_ entry: JSON, fail: (String) -> CharRNNError) throws -> [String: String] {
        guard case .object(let pairs) = entry else { throw fail("__metadata__ is not a JSON object") }
        var metadata: [String: String] = [:]
        for (key, value) in pairs {
            guard case .string(let text) = value else {
                throw fail("__metadata__ value of \(key.debugDescription) is not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// Widens `count` little-endian elements of `dtype` starting at byte `start` to Float.
    private static func decode(_ bytes: [UInt8], from start: Int, count: Int, dtype: String) -> [Float] {
        bytes.withUnsafeBytes { raw in
            let source = UnsafeRawBufferPointer(rebasing: raw[start..<(start + count * dtypeSizes[dtype]!)])
            #if _endian(little)
                if dtype == "F32" {
                    return [Float](unsafeUninitializedCapacity: count) { values, initialized in
                        UnsafeMutableRawBufferPointer(values).copyMemory(from: source)
                        initialized = count
                    }
                }
            #endif
            func widen<T: FixedWidthInteger>(_: T.Type, _ convert: (T) -> Float) -> [Float] {
                [Float](unsafeUninitializedCapacity: count) { values, initialized in
                    for i in 0..<count {
                        let stored = source.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
                        values[i] = convert(T(littleEndian: stored))
                    }
                    initialized = count
                }
            }
            switch dtype {
            case "F32": return widen(UInt32.self) { Float(bitPattern: $0) }
            case "F16": return widen(UInt16.self) { Float(Float16(bitPattern: $0)) }
            case "BF16": return widen(UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
            case "F64": return widen(UInt64.self) { Float(Double(bitPattern: $0)) }
            case "I32": return widen(UInt32.self) { Float(Int32(bitPattern: $0)) }
            case "I64": return widen(UInt64.self) { Float(Int64(bitPattern: $0)) }
            default: preconditionFailure("dtype \(dtype) passed validation")
            }
        }
    }

    /// `values` as little-endian elements of `dtype`; integer dtypes were checked to fit.
    private static func encode(_ values: [Float], as dtype: String) -> [UInt8] {
        let size = dtypeSizes[dtype]!
        #if _endian(little)
            if dtype == "F32" { return values.withUnsafeBytes { Array($0) } }
        #endif
        func narrow<T: FixedWidthInteger>(_ convert: (Float) -> T) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: values.count * size) { bytes, initialized in
                let raw = UnsafeMutableRawBufferPointer(bytes)
                for (i, value) in values.enumerated() {
                    raw.storeBytes(of: convert(value).littleEndian, toByteOffset: i * size, as: T.self)
                }
                initialized = values.count * size
            }
        }
        switch dtype {
        case "F32": return narrow { $0.bitPattern }
        case "F16": return narrow { Float16($0).bitPattern }
        case "BF16": return narrow(bfloat16Bits)
        case "F64": return narrow { Double($0).bitPattern }
        case "I32": return narrow { Int32($0) }
        case "I64": return narrow { Int64($0) }
        default: preconditionFailure("dtype \(dtype) passed validation")
        }
    }

    /// The whole file: tensors in name order, header padded with spaces to a multiple of 8.
    /// Each tensor is stored in its own dtype (F32, F16, BF16, F64, I32 or I64).
    public func serialized(name: String = "safetensors") throws -> [UInt8] {
        func fail(_ what: String) -> CharRNNError { CharRNNError("\(name): \(what)") }
        var header = JSONObject()
        if !metadata.isEmpty {
            var pairs = JSONObject()
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { pairs[key] = .string(value) }
            header[SafetensorsFile.metadataKey] = .object(pairs)
        }
        var data: [UInt8] = []
        for (tensorName, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            guard tensorName != SafetensorsFile.metadataKey else { throw fail("a tensor cannot be named __metadata__") }
            guard SafetensorsFile.dtypeSizes[tensor.dtype] != nil else {
                throw fail("tensor \(tensorName): cannot write dtype \(tensor.dtype.debugDescription)")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 }), tensor.values.count == tensor.elementCount else {
                throw fail("tensor \(tensorName): \(tensor.values.count) values for shape \(tensor.shape)")
            }
            if tensor.dtype == "I32" || tensor.dtype == "I64" {
                let limit: Float = tensor.dtype == "I32" ? 2_147_483_648 : 9_223_372_036_854_775_808
                if let bad = tensor.values.firstIndex(where: { $0.rounded() != $0 || $0 < -limit || $0 >= limit }) {
                    throw fail(
                        "tensor \(tensorName): value \(tensor.values[bad]) at index \(bad) is not an \(tensor.dtype)")
                }
            }
            let begin = data.count
            data += SafetensorsFile.encode(tensor.values, as: tensor.dtype)
            header[tensorName] = .object([
                "dtype": .string(tensor.dtype), "shape": .array(tensor.shape.map(JSONValue.integer)),
                "data_offsets": .array([.integer(begin), .integer(data.count)]),
            ])
        }
        var headerBytes = Array(header.text().utf8)
        headerBytes.append(contentsOf: repeatElement(0x20, count: (8 - headerBytes.count % 8) % 8))
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + data.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(headerBytes.count) >> (8 * i))) }
        out += headerBytes
        out += data
        return out
    }

    /// Writes the file atomically: a crash leaves the old file or the new one, never half.
    public func write(path: String) throws {
        try FileIO.writeAtomically(path: path, bytes: try serialized(name: path))
    }

    /// Float → bfloat16 with round-to-nearest-even, NaN kept NaN (PyTorch's conversion).
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }
}
