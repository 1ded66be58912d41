/// Token ids ↔ Unicode scalars. A vocabulary built from a corpus is its distinct scalars
/// sorted by code point (Python's `sorted(set(text))`). The entry `[UNK]`, when present,
/// stands for every scalar outside the vocabulary.
public struct Vocabulary: Equatable, Sendable {
    public static let unknownSymbol = "[UNK]"

    /// symbols[id]: one Unicode scalar each, or `[UNK]`.
    public let symbols: [String]
    public let unknownID: Int?
    private let ids: [Unicode.Scalar: Int]

    public init(symbols: [String]) throws {
        guard !symbols.isEmpty else { throw CharRNNError("vocabulary is empty") }
        var ids: [Unicode.Scalar: Int] = [:]
        var unknownID: Int?
        for (i, s) in symbols.enumerated() {
            if s == Vocabulary.unknownSymbol {
                guard unknownID == nil else { throw CharRNNError("vocabulary has [UNK] twice") }
                unknownID = i
                continue
            }
            let scalars = s.unicodeScalars
            guard scalars.count == 1, let scalar = scalars.first else {
                throw CharRNNError("vocabulary entry \(i) is not a single Unicode scalar: \(s.debugDescription)")
            }
            guard ids.updateValue(i, forKey: scalar) == nil else {
                throw CharRNNError("vocabulary entry \(i) repeats \(s.debugDescription)")
            }
        }
        self.symbols = symbols
        self.unknownID = unknownID
        self.ids = ids
    }

    /// The distinct scalars of a text, sorted by code point.
    public init<S: Sequence>(corpus: S) where S.Element == Unicode.Scalar {
        let distinct = Set(corpus).sorted { $0.value < $1.value }
        try! self.init(symbols: distinct.map { String($0) })
    }

    public var count: Int { symbols.count }

    /// The id of a scalar; `[UNK]`'s id for unknown scalars when the vocabulary has it.
    public func id(of scalar: Unicode.Scalar) -> Int? { ids[scalar] ?? unknownID }

    /// The scalar of an id, nil for `[UNK]`.
    public func scalar(of id: Int) -> Unicode.Scalar? {
        let s = symbols[id]
        return s == Vocabulary.unknownSymbol ? nil : s.unicodeScalars.first
    }

    /// Encodes a text. Scalars with no id are left out and returned in `unknown`.
    public func encode<S: Sequence>(_ text: S) -> (ids: [Int32], unknown: Set<Unicode.Scalar>)
    where S.Element == Unicode.Scalar {
        var out: [Int32] = []
        var unknown: Set<Unicode.Scalar> = []
        for s in text {
            if let i = id(of: s) { out.append(Int32(i)) } else { unknown.insert(s) }
        }
        return (out, unknown)
    }

    /// Encodes a text, leaving out every scalar outside the vocabulary (even when it has `[UNK]`);
    /// `skipped` counts how often each was left out.
    public func encodeSkippingUnknown<S: Sequence>(_ text: S) -> (ids: [Int32], skipped: [Unicode.Scalar: Int])
    where S.Element == Unicode.Scalar {
        var out: [Int32] = []
        var skipped: [Unicode.Scalar: Int] = [:]
        for s in text {
            if let i = ids[s] { out.append(Int32(i)) } else { skipped[s, default: 0] += 1 }
        }
        return (out, skipped)
    }

    /// Encodes a text that must be fully representable; the error lists unknown characters.
    public func encodeAll<S: Sequence>(_ text: S, what: String) throws -> [Int32]
    where S.Element == Unicode.Scalar {
        let (ids, unknown) = encode(text)
        guard unknown.isEmpty else {
            let shown = unknown.sorted { $0.value < $1.value }.prefix(10)
                .map { String($0).debugDescription }.joined(separator: " ")
            throw CharRNNError(
                "\(what) has \(unknown.count) character(s) outside the vocabulary: \(shown)")
        }
        return ids
    }
}
