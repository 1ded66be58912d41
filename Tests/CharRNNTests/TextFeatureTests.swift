import Testing

@testable import CharRNN

/// The features units are ranked against, at each position i after reading text[i].
@Suite("Units: text features")
struct TextFeatureTests {
    /// Each feature over `text`, one value a position.
    func features(_ text: String) -> [TextFeature: [Double]] {
        let scalars = text.unicodeScalars.map { Optional($0) }
        var reader = TextFeatureReader()
        let rows = scalars.indices.map { reader.values(at: $0, of: scalars) }
        var out: [TextFeature: [Double]] = [:]
        for (f, feature) in TextFeature.allCases.enumerated() { out[feature] = rows.map { $0[f] } }
        return out
    }

    /// "1" and "0" per position, for reading the expectations against the text.
    func flags(_ values: [Double]?) -> String { String((values ?? []).map { $0 == 1 ? "1" : "0" }) }

    @Test("Each feature, position by position, on a text that has them all")
    func everyFeature() {
        let text = "ROMEO: \"Ay (me).\"\nI [2] x)"
        let f = features(text)
        #expect(text.unicodeScalars.count == 26)
        // ROMEO: "Ay (me)."↵I [2] x)
        #expect(flags(f[.quote]) == "00000001111111110000000000")
        #expect(flags(f[.bracket]) == "00000000000111000000110000")
        #expect(flags(f[.wordStart]) == "10000000100010000010000010")
        #expect(flags(f[.uppercaseWord]) == "11111000000000000000000000")
        #expect(flags(f[.newline]) == "00000000000000000100000000")
        #expect(flags(f[.vowel]) == "01011000100001000010000000")
        #expect(flags(f[.digit]) == "00000000000000000000010000")
        #expect(flags(f[.space]) == "00000010001000000001000100")
        #expect(f[.linePosition] == (1...17).map(Double.init) + [0] + (1...8).map(Double.init))
    }

    @Test("A closer with nothing open leaves the depth at 0; nesting counts every kind of bracket")
    func bracketDepth() {
        #expect(flags(features(")(a[b)c]d")[.bracket]) == "011111100")
    }

    @Test("A single capital is not an uppercase word; a run of two or more is, to its last letter")
    func uppercaseRuns() {
        #expect(flags(features("A Be CD I AM")[.uppercaseWord]) == "000001100011")
        #expect(flags(features("I AMx")[.uppercaseWord]) == "00110")
    }

    @Test("Characters outside the vocabulary (nil) are no letter, digit, space or newline")
    func unknown() {
        var reader = TextFeatureReader()
        let text: [Unicode.Scalar?] = ["a", nil, "b"]
        let rows = (0..<3).map { reader.values(at: $0, of: text) }
        let wordStart = TextFeature.allCases.firstIndex(of: .wordStart)!
        #expect(rows.map { $0[wordStart] } == [1, 0, 1])
        #expect(rows[1].enumerated().allSatisfy { $0.element == 0 || TextFeature.allCases[$0.offset] == .linePosition })
    }

    @Test("Feature names are the ones --json prints")
    func names() {
        #expect(
            TextFeature.allCases.map(\.rawValue) == [
                "quote", "bracket", "line_position", "word_start", "uppercase_word", "newline", "vowel", "digit",
                "space",
            ])
    }
}
