import CharRNN

/// How characters look on the screen: how many columns each one takes, and the visible
/// symbols that stand in for the characters a terminal would not show (space, newline, tab,
/// other control characters, the unknown-character token).
public enum Glyphs {
    public static let space: Unicode.Scalar = "\u{2423}"  // ␣
    public static let newline: Unicode.Scalar = "\u{23CE}"  // ⏎
    public static let tab: Unicode.Scalar = "\u{21E5}"  // ⇥
    public static let delete: Unicode.Scalar = "\u{2421}"  // ␡
    public static let unknown = GenerationSession.unknownCharacter  // �, the vocabulary's [UNK]
    public static let dottedCircle: Unicode.Scalar = "\u{25CC}"  // ◌, carries a lone combining mark

    /// The label of a candidate in the distribution pane: always visible, never more than two
    /// columns, so the bars line up. nil stands for the `[UNK]` token.
    public static func label(_ scalar: Unicode.Scalar?, width: ColumnWidth = .standard) -> String {
        guard let scalar else { return String(unknown) }
        switch scalar {
        case " ": return String(space)
        case "\n": return String(newline)
        case "\t": return String(tab)
        default: break
        }
        if let picture = controlPicture(scalar) { return String(picture) }
        if width.columns(scalar) == 0 { return String(dottedCircle) + String(scalar) }
        return String(scalar)
    }

    /// `text` as one line of the screen: newlines and tabs as the bars show them (⏎, ⇥), other
    /// control characters as their pictures; spaces and everything else as they are.
    public static func inline(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s {
            case "\n": out.append(newline)
            case "\t": out.append(tab)
            default: out.append(controlPicture(s) ?? s)
            }
        }
        return String(out)
    }

    /// The control-picture symbol (␀ … ␟, ␡) for C0 controls and DEL, a middle dot for C1
    /// controls; nil for everything a terminal can draw as it is.
    public static func controlPicture(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0..<0x20: return Unicode.Scalar(0x2400 + scalar.value)
        case 0x7F: return delete
        case 0x80..<0xA0: return "\u{00B7}"
        default: return nil
        }
    }
}

/// Terminal column widths of Unicode scalars: 0 for combining marks and other zero-width
/// characters, 2 for East Asian wide and fullwidth characters and emoji, 1 for the rest.
/// The curses screen supplies the C library's `wcwidth` (what the terminal itself uses);
/// `.standard` is a self-contained table good enough for layout and tests.
public struct ColumnWidth: Sendable {
    public let columns: @Sendable (Unicode.Scalar) -> Int

    public init(_ columns: @escaping @Sendable (Unicode.Scalar) -> Int) { self.columns = columns }

    public static let standard = ColumnWidth { scalar in
        let v = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return v == 0xAD ? 1 : 0
        default: break
        }
        if v == 0x200B || (0x1160...0x11FF).contains(v) { return 0 }
        for range in wideRanges where range.contains(v) { return 2 }
        return 1
    }

    /// Width of a whole string: the sum of its scalars' widths.
    public func columns(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    /// The longest prefix of `text` that fits in `limit` columns.
    public func prefix(_ text: String, columns limit: Int) -> String {
        var used = 0
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let w = columns(s)
            if used + w > limit { break }
            used += w
            out.append(s)
        }
        return String(out)
    }

    /// The longest suffix of `text` that fits in `limit` columns.
    public func suffix(_ text: String, columns limit: Int) -> String {
        var used = 0
        var kept: [Unicode.Scalar] = []
        for s in text.unicodeScalars.reversed() {
            let w = columns(s)
            if used + w > limit { break }
            used += w
            kept.append(s)
        }
        return String(String.UnicodeScalarView(kept.reversed()))
    }

    /// `text` if it fits in `limit` columns, else its longest prefix that fits with "…" after it.
    public func ellipsized(_ text: String, columns limit: Int) -> String {
        guard columns(of: text) > limit else { return text }
        guard limit >= 1 else { return "" }
        return prefix(text, columns: limit - 1) + "…"
    }

    /// `text` broken into rows of at most `limit` columns at spaces (words longer than a row are
    /// cut), at most `maxRows` of them, the last ending in "…" when text was left out.
    public func wrap(_ text: String, columns limit: Int, maxRows: Int = .max) -> [String] {
        guard limit > 0, maxRows > 0 else { return [] }
        var rows: [String] = []
        var row = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = row.isEmpty ? word : row + " " + word
            if columns(of: candidate) <= limit {
                row = candidate
                continue
            }
            if !row.isEmpty { rows.append(row) }
            var rest = word
            while columns(of: rest) > limit {
                let head = prefix(rest, columns: limit)
                rows.append(head)
                rest = String(rest.unicodeScalars.dropFirst(head.unicodeScalars.count))
            }
            row = rest
        }
        if !row.isEmpty || rows.isEmpty { rows.append(row) }
        guard rows.count > maxRows else { return rows }
        return Array(rows.prefix(maxRows - 1)) + [ellipsized(rows[maxRows - 1] + " …", columns: limit)]
    }

    /// `text` cut or padded with spaces to exactly `width` columns.
    public func fit(_ text: String, columns width: Int) -> String {
        let cut = prefix(text, columns: width)
        return cut + String(repeating: " ", count: max(0, width - columns(of: cut)))
    }

    // East Asian Wide/Fullwidth blocks and the emoji planes (Unicode 15, coarse).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF,
        0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
        0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD,
        0x30000...0x3FFFD,
    ]
}
