/// A named property of a text at each position i, after reading text[i], that hidden units are
/// ranked against. Binary features are 0 or 1; `bracket` and `line_position` count.
public enum TextFeature: String, CaseIterable, Sendable {
    /// 1 after an odd number of `"` so far (text[i] included): inside a quotation.
    case quote
    /// 1 while the nesting depth of ( [ { is above 0 (a closer with nothing open is ignored).
    case bracket
    /// Characters since the last newline: 0 on a newline, 1 on the character after it.
    case linePosition = "line_position"
    /// text[i] is a letter and text[i−1] is not (or i = 0).
    case wordStart = "word_start"
    /// text[i] is a capital letter in a run of two or more (speaker names such as `ROMEO`).
    case uppercaseWord = "uppercase_word"
    /// text[i] is a newline.
    case newline
    /// text[i] is one of a e i o u, either case.
    case vowel
    /// text[i] is a decimal digit.
    case digit
    /// text[i] is white space other than a newline.
    case space
}

/// Reads a text's features position by position, with the one character of look-ahead that
/// `uppercase_word` needs and the running counts that `quote`, `bracket` and `line_position`
/// need, so a long text is never held twice. Characters outside the vocabulary (`[UNK]`, nil)
/// are none of letter, digit, space or newline.
public struct TextFeatureReader {
    private var quotes = 0
    private var depth = 0
    private var lastNewline = -1

    public init() {}

    /// The features at position i, in `TextFeature.allCases` order; call for i = 0, 1, 2, … in turn.
    public mutating func values(at i: Int, of text: [Unicode.Scalar?]) -> [Double] {
        let c = text[i]
        let previous = i > 0 ? text[i - 1] : nil
        let next = i + 1 < text.count ? text[i + 1] : nil
        switch c {
        case "\""?: quotes += 1
        case "("?, "["?, "{"?: depth += 1
        case ")"?, "]"?, "}"?: depth = max(0, depth - 1)
        case "\n"?: lastNewline = i
        default: break
        }
        func isLetter(_ s: Unicode.Scalar?) -> Bool { s?.properties.isAlphabetic ?? false }
        func isCapital(_ s: Unicode.Scalar?) -> Bool { s?.properties.isUppercase ?? false }
        func flag(_ holds: Bool) -> Double { holds ? 1 : 0 }
        return TextFeature.allCases.map { feature in
            switch feature {
            case .quote: flag(quotes % 2 == 1)
            case .bracket: flag(depth > 0)
            case .linePosition: Double(i - lastNewline)
            case .wordStart: flag(isLetter(c) && !isLetter(previous))
            case .uppercaseWord: flag(isCapital(c) && (isCapital(previous) || isCapital(next)))
            case .newline: flag(c == "\n")
            case .vowel: flag(c.map { "aeiouAEIOU".unicodeScalars.contains($0) } ?? false)
            case .digit: flag(c?.properties.numericType == .decimal)
            case .space: flag(c != "\n" && (c?.properties.isWhitespace ?? false))
            }
        }
    }
}
