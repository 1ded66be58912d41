/// Numbers as the command line and the terminal UI show them (no Foundation formatting).
public enum NumberText {
    /// `value` rounded to `decimals` places: fixed(0.8, 2) == "0.80".
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let negative = value < 0 && scaled > 0
        guard scaled < 9e15 else { return String(value) }
        let whole = Int(scaled) / Int(scale)
        var text = String(whole)
        if decimals > 0 {
            let fraction = String(Int(scaled) % Int(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return negative ? "-" + text : text
    }

    /// A probability in percent with one decimal: "41.2%"; below 0.05% "<0.1%".
    public static func percent(_ probability: Float) -> String {
        let p = Double(probability) * 100
        if p > 0 && p < 0.05 { return "<0.1%" }
        return fixed(p, decimals: 1) + "%"
    }

    /// Digits in groups of three: grouped(1234567) == "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// A time span for an ETA: "42s", "3m5s", "2h7m"; "?" when unknown.
    public static func duration(seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 9e15 else { return "?" }
        let s = Int(seconds)
        if s >= 3600 { return "\(s / 3600)h\(s % 3600 / 60)m" }
        return s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
