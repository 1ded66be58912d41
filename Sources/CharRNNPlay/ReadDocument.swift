import CharRNN

/// A text open in read mode: the file's characters, the model's reading of them (filled in by
/// the background reading), its dynamic reading while `d` has one shown, the cursor and the
/// pane's top row.
public struct ReadDocument {
    /// The file as given, for the status line and notices.
    public let path: String
    /// The file's characters, kept to read them again with another checkpoint.
    public let text: [Unicode.Scalar]
    public let reading: ProgressiveReading
    /// The dynamic reading of the same text (the model learning as it reads), shown instead of
    /// `reading` while there is one.
    public internal(set) var dynamic: DynamicReading?
    /// The file's characters left out because the model's vocabulary lacks them.
    public let skipped: Int
    /// The character of each token id (U+FFFD for `[UNK]`).
    public let symbols: [Unicode.Scalar]
    /// The character under the cursor, 0..<count.
    public internal(set) var cursor = 0
    /// The first character of the pane's top row (the view snaps it to a row start).
    public internal(set) var top = 0

    static let ln2 = 0.693_147_180_559_945_3

    init(path: String, text: [Unicode.Scalar], reading: ProgressiveReading, skipped: Int) {
        self.path = path
        self.text = text
        self.reading = reading
        self.skipped = skipped
        let vocabulary = reading.vocabulary
        symbols = (0..<vocabulary.count).map { vocabulary.scalar(of: $0) ?? GenerationSession.unknownCharacter }
    }

    /// Characters shown: the text as the model reads it.
    public var count: Int { reading.tokens.count }

    public func rows(width: Int, widths: ColumnWidth = .standard) -> TextRows {
        TextRows(tokens: reading.tokens, symbols: symbols, width: width, widths: widths)
    }

    /// The characters before `position`, as a prime.
    public func prefix(_ position: Int) -> String {
        String(String.UnicodeScalarView(reading.tokens[..<position].map { symbols[Int($0)] }))
    }

    /// Positions 1…shownReadCount have figures in the reading shown.
    public var shownReadCount: Int { dynamic?.readCount ?? reading.readCount }

    /// The figures of `position` (1…shownReadCount) in the reading shown.
    public func shownFigures(at position: Int) -> CharacterReading {
        dynamic?.figures(at: position) ?? reading.figures(at: position)
    }

    /// nats/char over the characters of `range` read so far by the reading shown; nil when none is.
    public func natsPerCharacter(in range: Range<Int>) -> Double? {
        let read = max(range.lowerBound, 1)..<min(range.upperBound, shownReadCount + 1)
        guard !read.isEmpty else { return nil }
        let bits = read.reduce(0.0) { $0 + Double(shownFigures(at: $1).surprisalBits) }
        return bits * ReadDocument.ln2 / Double(read.count)
    }

    /// The next place after the cursor where `query` occurs, wrapping around; nil when nowhere
    /// (or when it holds a character outside the vocabulary).
    public func find(_ query: String) -> Int? {
        var ids: [Int32] = []
        for s in query.unicodeScalars {
            guard let id = symbols.firstIndex(of: s) else { return nil }
            ids.append(Int32(id))
        }
        let tokens = reading.tokens
        guard !ids.isEmpty, ids.count <= tokens.count else { return nil }
        let last = tokens.count - ids.count
        func matches(_ i: Int) -> Bool { tokens[i] == ids[0] && tokens[i..<i + ids.count].elementsEqual(ids) }
        let after = min(cursor + 1, last + 1)
        return (after..<last + 1).first(where: matches) ?? (0..<after).first(where: matches)
    }

    /// The bars at `position` in the reading shown: the distribution that predicted it, its
    /// `count` most probable characters (recomputed; a dynamic reading's stored ones, at most its
    /// `topCount`) and the actual one marked; nil for the first character (nothing predicts it)
    /// and for characters not read yet.
    public func bars(at position: Int, count: Int) -> (view: DistributionView, figures: CharacterReading)? {
        guard position >= 1, position <= shownReadCount else { return nil }
        let vocabulary = reading.vocabulary
        let figures: CharacterReading
        let top: [(token: Int, probability: Float)]
        if let dynamic {
            figures = dynamic.figures(at: position)
            top = dynamic.candidates(at: position).prefix(count).map { (Int($0.token), $0.probability) }
        } else {
            let d = reading.distribution(at: position)
            figures = d.figures
            top = d.top.prefix(count).map { ($0.token, $0.probability) }
        }
        let candidates = top.map {
            DistributionView.Candidate(symbol: vocabulary.scalar(of: $0.token), probability: $0.probability)
        }
        let actual = DistributionView.Candidate(
            symbol: vocabulary.scalar(of: Int(figures.token)), probability: figures.probability)
        let view = DistributionView(
            candidates: candidates, chosen: actual, entropy: figures.entropyBits, temperature: 1)
        return (view, figures)
    }
}
