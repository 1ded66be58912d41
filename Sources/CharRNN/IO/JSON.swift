/// A small, strict JSON (RFC 8259) reader and string writer for safetensors headers and
/// checkpoint metadata. Numbers keep their text so offsets are read as exact integers;
/// duplicate object keys, lone surrogates and invalid UTF-8 are errors, not silent guesses.
/// Input may be hostile, so the reader is bounded by `Limits` as it goes.
enum JSON: Equatable {
    case object([String: JSON])
    case array([JSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// How much one document may hold. The parser counts as it reads and stops at the first
    /// excess, so a hostile document is refused before it builds a large tree: at most
    /// `values` nodes, whatever the input's size.
    struct Limits {
        /// Objects and arrays nested inside each other.
        var depth = 64
        /// Values of every kind in the whole document (keys not counted).
        var values = 1_000_000
        /// Members of one object, or elements of one array.
        var length = 100_000
        /// Bytes of one string, key or number as written (escapes counted as written).
        var textBytes = 16 << 20
    }

    /// A document over its `Limits`: refused whether or not it is valid JSON.
    struct TooLarge: Error {
        let message: String
    }

    /// Parses one JSON value that fills `bytes` (surrounding whitespace allowed).
    /// Errors are one line, without a file name: callers prefix it. Syntax errors throw
    /// `CharRNNError`, a document over `limits` throws `TooLarge`.
    static func parse(_ bytes: ArraySlice<UInt8>, limits: Limits = Limits()) throws -> JSON {
        var parser = Parser(bytes: bytes, limits: limits)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    static func parse(_ text: String, limits: Limits = Limits()) throws -> JSON {
        try parse(ArraySlice(Array(text.utf8)), limits: limits)
    }

    /// The value as an exact non-negative integer, nil for anything else (1.0, -1, 1e3, "1").
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return Int(text)
    }

    /// The value as a floating-point number, nil for anything that is not a JSON number.
    var number: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// A JSON string literal for `s`: quotes, backslashes and control characters escaped,
    /// everything else written as UTF-8. `parse` reads it back to the same scalars.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
