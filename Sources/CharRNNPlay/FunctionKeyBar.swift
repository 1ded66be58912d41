/// The function keys in the bottom line, htop-style: each key's name, then what it does on a
/// coloured label ("F1Help  F3Read  F10Quit"), then the mode's most useful other keys while
/// there is room. Entries are dropped from the end when the line is short.
public enum FunctionKeyBar {
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var label: String

        public init(_ key: String, _ label: String) {
            self.key = key
            self.label = label
        }
    }

    /// The entries of a mode, in order: one line each.
    public static func entries(for mode: PlayMode) -> [Entry] {
        if mode == .steer { return steerEntries }
        return [
            Entry("F1", "Help"),
            Entry("F3", mode == .read ? "Write" : "Read"),
            Entry("F10", "Quit"),
            Entry("F4", "Units"),
        ]
            + (mode == .read
                ? [
                    Entry("/", "Search"), Entry("c", "Continue"), Entry("t", "Tint"), Entry("Tab", "Model"),
                    Entry("d", "Dynamic"),
                ]
                : [Entry("F2", "Steer")])
    }

    static let steerEntries = [
        Entry("F1", "Help"), Entry("F2", "Write"), Entry("F10", "Quit"), Entry("1-9", "Pick"),
        Entry("←→", "Rewind"), Entry("Space", "Sample"), Entry("↑↓", "Branch"), Entry("b", "Tree"),
        Entry("Enter", "Resume"), Entry("w", "Save"),
    ]

    /// The parts to draw, with their styles, in at most `columns` columns.
    public static func parts(for mode: PlayMode, columns: Int, widths: ColumnWidth = .standard)
        -> [(text: String, style: Style)]
    {
        var parts: [(text: String, style: Style)] = []
        var used = 0
        for entry in entries(for: mode) {
            let label = entry.label + " "
            let needed = widths.columns(of: entry.key) + widths.columns(of: label) + (parts.isEmpty ? 0 : 1)
            guard used + needed <= columns else { break }
            if !parts.isEmpty { parts.append((" ", .plain)) }
            parts += [(entry.key, .functionKey), (label, .functionLabel)]
            used += needed
        }
        return parts
    }
}
