import Testing

@testable import CharRNNPlay

@Suite("Stream text wrapping")
struct StreamTextTests {
    func text(prime: String, generated: String) -> StreamText {
        var t = StreamText()
        t.appendPrime(prime)
        for s in generated.unicodeScalars { t.append(GeneratedCharacter(symbol: s, surprisal: 2)) }
        return t
    }

    func plain(_ rows: [[StreamText.Cell]]) -> [String] {
        rows.map { $0.map(\.text).joined() }
    }

    @Test("long lines wrap at the pane width and only the last rows are kept")
    func wrapping() {
        let t = text(prime: "", generated: "abcdefghij")
        #expect(plain(t.lastRows(width: 4, height: 10, tint: false)) == ["abcd", "efgh", "ij"])
        #expect(plain(t.lastRows(width: 4, height: 2, tint: false)) == ["efgh", "ij"])
    }

    @Test("rows break between words; a word longer than a row breaks inside")
    func wordWrapping() {
        let t = text(prime: "", generated: "to be or not to be")
        #expect(plain(t.lastRows(width: 8, height: 10, tint: false)) == ["to be or", "not to ", "be"])
        let long = text(prime: "", generated: "a wonderfully long word")
        #expect(plain(long.lastRows(width: 6, height: 10, tint: false)) == ["a ", "wonder", "fully ", "long ", "word"])
    }

    @Test("a space that reaches the edge ends the row and is not drawn")
    func spaceAtEdge() {
        let t = text(prime: "", generated: "abcd efgh")
        #expect(plain(t.lastRows(width: 4, height: 10, tint: false)) == ["abcd", "efgh"])
        let rows = t.lastRows(width: 4, height: 10, tint: false)
        #expect(rows.allSatisfy { $0.map(\.columns).reduce(0, +) <= 4 })
    }

    @Test("a word moves to the next row as it grows past the edge")
    func growingWord() {
        var t = text(prime: "", generated: "one tw")
        #expect(plain(t.lastRows(width: 7, height: 10, tint: false)) == ["one tw"])
        for s in "o!".unicodeScalars { t.append(GeneratedCharacter(symbol: s, surprisal: 0)) }
        #expect(plain(t.lastRows(width: 7, height: 10, tint: false)) == ["one ", "two!"])
    }

    @Test("newlines end rows; after a final newline the last row is empty")
    func newlines() {
        let t = text(prime: "ab\n", generated: "cd\n")
        #expect(plain(t.lastRows(width: 10, height: 5, tint: false)) == ["ab", "cd", ""])
    }

    @Test("tabs run to the next multiple of eight columns")
    func tabs() {
        let t = text(prime: "", generated: "ab\tc")
        let rows = t.lastRows(width: 20, height: 1, tint: false)
        #expect(plain(rows) == ["ab      c"])
        #expect(rows[0].map(\.columns).reduce(0, +) == 9)
    }

    @Test("a tab near the end of a row stops at the edge")
    func tabAtEdge() {
        let t = text(prime: "", generated: "abcdef\tg")
        #expect(plain(t.lastRows(width: 7, height: 3, tint: false)) == ["abcdef ", "g"])
    }

    @Test("wide characters wrap whole, never split across rows")
    func wideCharacters() {
        let t = text(prime: "", generated: "abc漢字")
        #expect(plain(t.lastRows(width: 4, height: 3, tint: false)) == ["abc", "漢字"])
    }

    @Test("control characters and [UNK] show as symbols; combining marks join their letter")
    func symbols() {
        var t = text(prime: "", generated: "a\r\u{1B}e\u{301}")
        t.append(GeneratedCharacter(symbol: nil, surprisal: 1))
        #expect(plain(t.lastRows(width: 10, height: 1, tint: false)) == ["a␍␛e\u{301}�"])
    }

    @Test("the prime is styled apart from the generated text")
    func primeStyle() {
        let rows = text(prime: "ab", generated: "cd").lastRows(width: 10, height: 1, tint: false)
        #expect(rows[0].map(\.style) == [.prime, .prime, .plain, .plain])
    }

    @Test("tinting styles generated characters by surprisal band")
    func tint() {
        var t = StreamText()
        for bits: Float in [0.5, 2, 4, 9] { t.append(GeneratedCharacter(symbol: "x", surprisal: bits)) }
        let rows = t.lastRows(width: 10, height: 1, tint: true)
        #expect(rows[0].map(\.style) == [.surprisal(0), .surprisal(1), .surprisal(2), .surprisal(3)])
    }

    @Test("the buffer keeps the most recent characters when full")
    func capacity() {
        var t = StreamText(capacity: 16)
        for i in 0..<40 {
            t.append(GeneratedCharacter(symbol: Unicode.Scalar(UInt8(65 + i % 26)), surprisal: 0))
        }
        #expect(t.characters.count <= 16)
        #expect(t.text.hasSuffix("HIJKLMN"))
        #expect(t.generatedCount == 40)
    }
}
