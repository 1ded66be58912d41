/// Text from outside the program (file names, checkpoint metadata) made safe to print on one
/// line: control characters — terminal escape sequences, newlines — become Swift escapes
/// (`\u{1B}`, `\n`), so a hostile name can neither recolour the terminal nor split a message.
public enum PrintableText {
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += scalar.escaped(asASCII: false)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
