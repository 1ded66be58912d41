import CharRNN

extension SamplerSettings {
    /// The method and the truncations that are set, for status lines that show the temperature
    /// apart: "multinomial top-k 40 top-p 0.90"; "greedy" when every draw is the argmax.
    public var methodSummary: String {
        var parts = [isDeterministic ? "greedy" : method.rawValue]
        if let topK { parts.append("top-k \(topK)") }
        if let topP { parts.append("top-p " + NumberText.fixed(Double(topP), decimals: 2)) }
        if let minP { parts.append("min-p " + NumberText.fixed(Double(minP), decimals: 2)) }
        return parts.joined(separator: " ")
    }
}
