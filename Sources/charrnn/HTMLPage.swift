import CharRNN

/// A self-contained HTML page (no external scripts, fonts or styles) that `read --html` and
/// `units --html` write. Text from the user is data, never markup: it enters the page only
/// through `escaped` (element content and attribute values) or `scriptData` (JSON inside a
/// `<script>` element).
struct HTMLPage {
    var title: String
    var style: String = ""
    /// Markup of the body, already escaped where it holds user text.
    var body: String
    var script: String = ""

    /// `s` as HTML text: `&`, `<`, `>`, `"` and `'` become character references, so any string
    /// (`<script>`, `</textarea>`, quotes) shows as written, in content or in a quoted attribute.
    static func escaped(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A JSON value as the content of a `<script type="application/json">` element: every `<`
    /// (and U+2028/U+2029) written as a \u escape, which JSON reads back as the same character,
    /// so no text inside it can close the element (`</script>`) or open a comment (`<!--`).
    static func scriptData(_ value: JSONValue) -> String {
        var out = ""
        for scalar in value.text().unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The whole document.
    var text: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escaped(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)
        <script>
        \(script)
        </script>
        </body>
        </html>

        """
    }
}
