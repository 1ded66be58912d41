import Testing

@testable import CharRNN

/// The message `JSON.parse` refuses `text` with for being over `limits`, or nil (recorded as
/// a failure) if it accepts it or refuses it for another reason.
private func overLimit(
    _ text: String, _ limits: JSON.Limits, sourceLocation: SourceLocation = #_sourceLocation
) -> String? {
    do {
        _ = try JSON.parse(text, limits: limits)
        Issue.record("accepted \(text)", sourceLocation: sourceLocation)
        return nil
    } catch let error as JSON.TooLarge {
        #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("threw \(error), not JSON.TooLarge", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("JSON limits")
struct JSONTests {
    @Test("nesting deeper than the limit is refused; at the limit it is read")
    func depth() throws {
        let limits = JSON.Limits(depth: 3)
        #expect(try JSON.parse("[[[]]]", limits: limits) == .array([.array([.array([])])]))
        #expect(
            overLimit("[[[[]]]]", limits) == "JSON nested too deeply (more than 3 levels) at byte 3")
        #expect(
            overLimit(#"{"a":{"b":[1]}}"#, limits)
                == "JSON nested too deeply (more than 3 levels) at byte 11")
    }

    @Test("more values in the whole document than the limit are refused, containers counted")
    func values() throws {
        let limits = JSON.Limits(values: 4)
        #expect(
            try JSON.parse(#"[1,"a",null]"#, limits: limits)
                == .array([.number("1"), .string("a"), .null]))
        #expect(overLimit("[1,2,3,4]", limits) == "JSON with more than 4 values at byte 7")
        #expect(overLimit("[[],[],[],[]]", limits) == "JSON with more than 4 values at byte 10")
        #expect(
            overLimit(#"{"a":{},"b":{},"c":true,"d":null}"#, limits)
                == "JSON with more than 4 values at byte 28")
    }

    @Test("an object with more members, or an array with more elements, than the limit is refused")
    func length() throws {
        let limits = JSON.Limits(length: 2)
        #expect(try JSON.parse(#"{"a":[1,2],"b":{}}"#, limits: limits) != .null)
        #expect(
            overLimit(#"{"a":1,"b":2,"c":3}"#, limits) == "JSON object with more than 2 members at byte 0"
        )
        #expect(
            overLimit(#"{"a":[1,2,3]}"#, limits) == "JSON array with more than 2 elements at byte 5")
    }

    @Test("strings, keys and numbers longer than the limit (as written) are refused")
    func textBytes() throws {
        let limits = JSON.Limits(textBytes: 4)
        #expect(try JSON.parse(#"{"abcd":"\n\t","b":1234}"#, limits: limits) != .null)
        #expect(overLimit(#"["abcde"]"#, limits) == "JSON string of more than 4 bytes at byte 1")
        #expect(overLimit(#"{"abcde":1}"#, limits) == "JSON string of more than 4 bytes at byte 1")
        #expect(overLimit(#"["\u00e9"]"#, limits) == "JSON string of more than 4 bytes at byte 1")
        #expect(overLimit("[12345]", limits) == "JSON number of more than 4 bytes at byte 1")
        #expect(overLimit("[-1.5e3]", limits) == "JSON number of more than 4 bytes at byte 1")
    }

    @Test("the limits are checked as the parser goes: a huge document fails at the first excess")
    func refusedEarly() {
        let huge = "[" + String(repeating: "{},", count: 200_000) + "{}]"
        #expect(overLimit(huge, JSON.Limits(values: 10)) == "JSON with more than 10 values at byte 28")
        #expect(overLimit(huge, JSON.Limits()) == "JSON array with more than 100000 elements at byte 0")
    }

    @Test("syntax errors stay CharRNNErrors, not limit refusals")
    func syntaxIsNotALimit() {
        #expect(throws: CharRNNError.self) { try JSON.parse("[1,]") }
        #expect(throws: CharRNNError.self) {
            try JSON.parse(#"{"a":1,"a":2}"#, limits: JSON.Limits(length: 2))
        }
    }
}
