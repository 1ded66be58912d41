import CharRNN
import Testing

@Suite("Number text")
struct NumberTextTests {
    @Test("digits are grouped in threes, sign kept")
    func grouped() {
        #expect(NumberText.grouped(0) == "0")
        #expect(NumberText.grouped(999) == "999")
        #expect(NumberText.grouped(1000) == "1,000")
        #expect(NumberText.grouped(1_234_567) == "1,234,567")
        #expect(NumberText.grouped(-1_234_567) == "-1,234,567")
        #expect(NumberText.grouped(Int.min) == "-9,223,372,036,854,775,808")
    }

    @Test("durations read as seconds, minutes and seconds, or hours and minutes; unknown is ?")
    func duration() {
        #expect(NumberText.duration(seconds: 42.9) == "42s")
        #expect(NumberText.duration(seconds: 185) == "3m5s")
        #expect(NumberText.duration(seconds: 7620) == "2h7m")
        for unknown in [Double.nan, .infinity, -1, 1e300] { #expect(NumberText.duration(seconds: unknown) == "?") }
    }
}
