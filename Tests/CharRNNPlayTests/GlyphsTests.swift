import CharRNN
import Testing

@testable import CharRNNPlay

@Suite("Glyphs and column widths")
struct GlyphsTests {
    @Test("space, newline and tab get visible symbols in the bars")
    func whitespaceSymbols() {
        #expect(Glyphs.label(" ") == "␣")
        #expect(Glyphs.label("\n") == "⏎")
        #expect(Glyphs.label("\t") == "⇥")
        #expect(Glyphs.label("e") == "e")
    }

    @Test("control characters, DEL and [UNK] are shown as symbols, never raw")
    func controlSymbols() {
        #expect(Glyphs.label("\u{0}") == "␀")
        #expect(Glyphs.label("\r") == "␍")
        #expect(Glyphs.label("\u{1B}") == "␛")
        #expect(Glyphs.label("\u{7F}") == "␡")
        #expect(Glyphs.label(nil) == "�")
        #expect(Glyphs.controlPicture("a") == nil)
    }

    @Test("a lone combining mark sits on a dotted circle")
    func combiningMark() {
        #expect(Glyphs.label("\u{301}") == "◌\u{301}")
    }

    @Test("column widths: ASCII 1, CJK and emoji 2, combining marks 0")
    func widths() {
        let w = ColumnWidth.standard
        #expect(w.columns("a") == 1)
        #expect(w.columns("é") == 1)
        #expect(w.columns("漢") == 2)
        #expect(w.columns("😀") == 2)
        #expect(w.columns("\u{301}") == 0)
        #expect(w.columns(of: "a漢b") == 4)
    }

    @Test("prefix, suffix and fit count columns, not characters")
    func cutting() {
        let w = ColumnWidth.standard
        #expect(w.prefix("漢字abc", columns: 3) == "漢")
        #expect(w.suffix("abc漢字", columns: 5) == "c漢字")
        #expect(w.fit("ab", columns: 4) == "ab  ")
        #expect(w.fit("abcdef", columns: 4) == "abcd")
    }

    @Test("numbers: fixed decimals and percentages")
    func numbers() {
        #expect(NumberText.fixed(0.8, decimals: 2) == "0.80")
        #expect(NumberText.fixed(1.005, decimals: 1) == "1.0")
        #expect(NumberText.fixed(0.05, decimals: 2) == "0.05")
        #expect(NumberText.fixed(12.345, decimals: 0) == "12")
        #expect(NumberText.fixed(-0.25, decimals: 2) == "-0.25")
        #expect(NumberText.percent(0.412) == "41.2%")
        #expect(NumberText.percent(1) == "100.0%")
        #expect(NumberText.percent(0.0001) == "<0.1%")
        #expect(NumberText.percent(0) == "0.0%")
    }
}
