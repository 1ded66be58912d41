/// Text from outside the program (file names, checkpoint metadata) made safe to print on one
/// line: control characters — terminal escape sequences, newlines, C1 controls such as CSI —
/// become Swift escapes (`\u{1B}`, `\n`, `\u{9B}`), so a hostile name can neither recolour
/// the terminal nor split a message.
public enum PrintableText {
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += scalar.escaped(asASCII: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
