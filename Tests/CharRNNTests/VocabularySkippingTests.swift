import CharRNN
import Testing

@Suite("Vocabulary.encodeSkippingUnknown")
struct VocabularySkippingTests {
    @Test("leaves out scalars outside the vocabulary, [UNK] or not, and counts each")
    func skipsAndCounts() throws {
        for symbols in [["a", "b", "c"], ["a", "b", "c", Vocabulary.unknownSymbol]] {
            let vocabulary = try Vocabulary(symbols: symbols)
            let (ids, skipped) = vocabulary.encodeSkippingUnknown("abxcáx".unicodeScalars)
            #expect(ids == [0, 1, 2])
            #expect(skipped == ["x": 2, "á": 1])
        }
    }
}
