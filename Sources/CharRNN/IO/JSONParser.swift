extension JSON {
    /// The reader behind `JSON.parse`: one pass over the bytes, strict (RFC 8259), counting what
    /// it builds against `Limits` so a hostile document is refused before it costs much memory.
    struct Parser {
        let bytes: ArraySlice<UInt8>
        let limits: Limits
        var position: Int
        /// Values read so far, against `limits.values`.
        var valueCount = 0

        init(bytes: ArraySlice<UInt8>, limits: Limits) {
            self.bytes = bytes
            self.limits = limits
            self.position = bytes.startIndex
        }

        var atEnd: Bool { position >= bytes.endIndex }
        var offset: Int { position - bytes.startIndex }

        func failure(_ what: String) -> CharRNNError {
            CharRNNError("\(what) at byte \(offset)")
        }

        func tooLarge(_ what: String, at start: Int) -> TooLarge {
            TooLarge(message: "\(what) at byte \(start)")
        }

        /// Throws when `length` bytes of a string or number (as written) exceed `limits.textBytes`.
        func checkTextLength(_ length: Int, _ what: String, startingAt start: Int) throws {
            guard length <= limits.textBytes else {
                throw tooLarge("\(what) of more than \(limits.textBytes) bytes", at: start)
            }
        }

        mutating func skipWhitespace() {
            while !atEnd, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ literal: String) throws {
            for byte in literal.utf8 {
                guard !atEnd, bytes[position] == byte else { throw failure("invalid JSON literal") }
                position += 1
            }
        }

        mutating func value(depth: Int) throws -> JSON {
            guard depth < limits.depth else {
                throw tooLarge("JSON nested too deeply (more than \(limits.depth) levels)", at: offset)
            }
            guard !atEnd else { throw failure("unexpected end of JSON") }
            valueCount += 1
            guard valueCount <= limits.values else {
                throw tooLarge("JSON with more than \(limits.values) values", at: offset)
            }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure("unexpected character in JSON")
            }
        }

        mutating func object(depth: Int) throws -> JSON {
            let start = offset
            position += 1  // {
            var members: [String: JSON] = [:]
            skipWhitespace()
            if !atEnd, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard !atEnd, bytes[position] == UInt8(ascii: "\"") else {
                    throw failure("expected a quoted key in JSON object")
                }
                let keyOffset = offset
                let key = try string()
                skipWhitespace()
                guard !atEnd, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':' in JSON object") }
                position += 1
                skipWhitespace()
                guard members.count < limits.length else {
                    throw tooLarge("JSON object with more than \(limits.length) members", at: start)
                }
                let member = try value(depth: depth + 1)
                guard members.updateValue(member, forKey: key) == nil else {
                    throw CharRNNError("duplicate key \(key.debugDescription) at byte \(keyOffset)")
                }
                skipWhitespace()
                guard !atEnd else { throw failure("unexpected end of JSON object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                } else {
                    throw failure("expected ',' or '}' in JSON object")
                }
            }
        }

        mutating func array(depth: Int) throws -> JSON {
            let start = offset
            position += 1  // [
            var elements: [JSON] = []
            skipWhitespace()
            if !atEnd, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                guard elements.count < limits.length else {
                    throw tooLarge("JSON array with more than \(limits.length) elements", at: start)
                }
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard !atEnd else { throw failure("unexpected end of JSON array") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(elements)
                } else {
                    throw failure("expected ',' or ']' in JSON array")
                }
            }
        }

        mutating func number() throws -> JSON {
            let start = position
            func digits(_ p: inout Parser) -> Int {
                var n = 0
                while !p.atEnd, (0x30...0x39).contains(p.bytes[p.position]) {
                    p.position += 1
                    n += 1
                }
                return n
            }
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            let integerDigits = digits(&self)
            guard integerDigits > 0 else { throw failure("invalid JSON number") }
            if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
                throw failure("JSON number with a leading zero")
            }
            if !atEnd, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits(&self) > 0 else { throw failure("invalid JSON number") }
            }
            if !atEnd, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if !atEnd, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digits(&self) > 0 else { throw failure("invalid JSON number") }
            }
            try checkTextLength(position - start, "JSON number", startingAt: start - bytes.startIndex)
            return .number(String(decoding: bytes[start..<position], as: UTF8.self))
        }

        /// Reads a string literal; `position` is at its opening quote.
        mutating func string() throws -> String {
            let start = offset
            position += 1
            var raw: [UInt8] = []
            while true {
                guard !atEnd else { throw CharRNNError("unterminated JSON string starting at byte \(start)") }
                try checkTextLength(offset - start - 1, "JSON string", startingAt: start)
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: raw, as: UTF8.self) else {
                        throw CharRNNError("invalid UTF-8 in JSON string starting at byte \(start)")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    let scalar = try escape()
                    raw.append(contentsOf: String(scalar).utf8)
                case 0x00..<0x20:
                    throw failure("unescaped control character in JSON string")
                default:
                    raw.append(byte)
                }
            }
        }

        /// Reads the escape after a backslash, joining surrogate pairs.
        mutating func escape() throws -> Unicode.Scalar {
            guard !atEnd else { throw failure("unterminated escape in JSON string") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let unit = try hex4()
                switch unit {
                case 0xD800...0xDBFF:
                    guard position + 1 < bytes.endIndex, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { throw failure("lone high surrogate in JSON string") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw failure("high surrogate not followed by a low one in JSON string")
                    }
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
                case 0xDC00...0xDFFF:
                    throw failure("lone low surrogate in JSON string")
                default:
                    return Unicode.Scalar(unit)!
                }
            default:
                throw failure("invalid escape in JSON string")
            }
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard !atEnd, let digit = hexValue(bytes[position]) else {
                    throw failure("invalid \\u escape in JSON string")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x30...0x39: return UInt32(byte - 0x30)
            case 0x41...0x46: return UInt32(byte - 0x41 + 10)
            case 0x61...0x66: return UInt32(byte - 0x61 + 10)
            default: return nil
            }
        }
    }
}
