/// The play screen's top line: fields in a fixed order, each with forms from longest to
/// shortest and a priority. When the line is too narrow, the lowest-priority field takes its next
/// shorter form or, when it has none, goes; essential fields (the temperature, PAUSED, the random
/// seed) always stay. Then, highest priority first, each field takes back the longest form that
/// still fits. A field is never cut in the middle ("GRU 1×51").
public struct StatusLine: Equatable, Sendable {
    public struct Field: Equatable, Sendable {
        /// Longest first.
        public var forms: [String]
        /// Higher stays longer; `essential` and above always stays.
        public var priority: Int

        public init(_ forms: [String], priority: Int) {
            self.forms = forms
            self.priority = priority
        }
    }

    public static let essential = 9
    public static let separator = " │ "

    public var fields: [Field]

    public init(_ fields: [Field]) { self.fields = fields }

    /// The fields of at least this priority.
    public func keeping(priority: Int) -> StatusLine { StatusLine(fields.filter { $0.priority >= priority }) }

    /// The line in at most `columns` columns: " field │ field │ …". Only when even the essential
    /// fields do not fit is the end replaced by "…".
    public func text(columns: Int, widths: ColumnWidth = .standard) -> String {
        var form = Array(repeating: 0, count: fields.count)
        var shown = Array(repeating: true, count: fields.count)
        func render() -> String {
            " "
                + fields.indices.filter { shown[$0] }.map { fields[$0].forms[form[$0]] }.joined(
                    separator: StatusLine.separator)
        }
        var line = render()
        while widths.columns(of: line) > columns {
            let candidates = fields.indices.filter { shown[$0] && fields[$0].priority < StatusLine.essential }
            // The lowest priority goes first; among equals, the rightmost.
            guard let i = candidates.min(by: { (fields[$0].priority, -$0) < (fields[$1].priority, -$1) }) else { break }
            if form[i] + 1 < fields[i].forms.count { form[i] += 1 } else { shown[i] = false }
            line = render()
        }
        for i in fields.indices.sorted(by: { fields[$0].priority > fields[$1].priority }) {
            let (oldForm, wasShown) = (form[i], shown[i])
            for f in 0..<(wasShown ? oldForm : fields[i].forms.count) {
                (form[i], shown[i]) = (f, true)
                if widths.columns(of: render()) <= columns { break }
                (form[i], shown[i]) = (oldForm, wasShown)
            }
            line = render()
        }
        return widths.ellipsized(line, columns: columns)
    }
}
