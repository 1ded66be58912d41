/// What a `Sampler` does to the logits before it draws: a plain value that front ends fill from
/// their flags or keys, validated here and nowhere else.
///
/// Pipeline (see docs/sampling.md): repetition penalty → temperature → top-k → top-p → min-p →
/// renormalise → draw.
public struct SamplerSettings: Equatable, Sendable {
    public var method: SamplingMethod
    /// Divides the logits. Below `minimumTemperature` (0 included) means greedy; must be finite and ≥ 0.
    public var temperature: Float
    /// Keep only the k most likely characters (k ≥ 1); nil keeps all.
    public var topK: Int?
    /// Keep the smallest set of most likely characters whose probability reaches p, p in (0, 1].
    public var topP: Float?
    /// Keep characters whose probability is at least minP × the largest, minP in [0, 1).
    public var minP: Float?
    /// llama.cpp's repetition penalty, applied to the logits before the temperature: each
    /// distinct token among the last `repeatLastN` read or written has its logit divided by it
    /// when positive, multiplied by it otherwise. 1 is off; must be finite and > 0.
    public var repeatPenalty: Float
    /// How many recent tokens (prime and generated) the penalty looks at, ≥ 0.
    public var repeatLastN: Int
    /// How many partial continuations beam search keeps, ≥ 1 (1 is greedy); used by `.beam` only.
    public var beamWidth: Int

    public static let defaultRepeatLastN = 64

    public init(
        method: SamplingMethod = .multinomial, temperature: Float = 1, topK: Int? = nil,
        topP: Float? = nil, minP: Float? = nil, repeatPenalty: Float = 1,
        repeatLastN: Int = SamplerSettings.defaultRepeatLastN, beamWidth: Int = 1
    ) {
        self.method = method
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.beamWidth = beamWidth
    }

    public static let greedy = SamplerSettings(method: .greedy)

    /// Temperatures below this act as 0 (greedy). Dividing by a sub-normal T overflows 1/T to
    /// infinity, which would turn every logit into ±∞ and sample uniformly; at T = 0.001 a logit
    /// gap of 0.01 is already a factor e¹⁰ ≈ 22,000, so nothing is lost.
    public static let minimumTemperature: Float = 1e-3

    /// Throws a `CharRNNError` naming the first out-of-range setting; nothing is clamped.
    public func validate() throws {
        guard temperature.isFinite, temperature >= 0 else {
            throw CharRNNError("temperature must be a finite number ≥ 0, got \(temperature)")
        }
        if let topK, topK < 1 {
            throw CharRNNError("top-k must be at least 1, got \(topK)")
        }
        if let topP, !(topP > 0 && topP <= 1) {
            throw CharRNNError("top-p must be in (0, 1], got \(topP)")
        }
        if let minP, !(minP >= 0 && minP < 1) {
            throw CharRNNError("min-p must be in [0, 1), got \(minP)")
        }
        guard repeatPenalty.isFinite, repeatPenalty > 0 else {
            throw CharRNNError("repeat-penalty must be a finite number > 0, got \(repeatPenalty)")
        }
        guard repeatLastN >= 0 else {
            throw CharRNNError("repeat-last-n must be ≥ 0, got \(repeatLastN)")
        }
        guard beamWidth >= 1 else {
            throw CharRNNError("beam width must be at least 1, got \(beamWidth)")
        }
    }

    /// Whether the text depends on no random numbers: the greedy method, a temperature below the
    /// minimum (every draw is the argmax), or beam search.
    public var isDeterministic: Bool {
        method == .greedy || method == .beam || temperature < Self.minimumTemperature
    }

    /// Whether the repetition penalty changes anything.
    public var penalizesRepeats: Bool { repeatPenalty != 1 && repeatLastN > 0 }

    /// "multinomial T=0.8 top-k=40 top-p=0.95", "greedy": for labels and status lines.
    public var summary: String {
        let penalty = penalizesRepeats ? " repeat-penalty=\(repeatPenalty)" : ""
        if method == .greedy { return "greedy" + penalty }
        if method == .beam { return "beam \(beamWidth)" }
        if temperature == 0 { return "\(method.rawValue) T=0 (greedy)" + penalty }
        if isDeterministic { return "\(method.rawValue) T=\(temperature) (greedy)" + penalty }
        var parts = ["\(method.rawValue) T=\(temperature)"]
        if let topK { parts.append("top-k=\(topK)") }
        if let topP { parts.append("top-p=\(topP)") }
        if let minP { parts.append("min-p=\(minP)") }
        return parts.joined(separator: " ") + penalty
    }

    /// The method and the truncations that are set, for status lines that show the temperature
    /// apart: "multinomial top-k 40 top-p 0.90"; "greedy" when every draw is the argmax.
    public var methodSummary: String {
        if method == .beam { return summary }
        var parts = [isDeterministic ? "greedy" : method.rawValue]
        if let topK { parts.append("top-k \(topK)") }
        if let topP { parts.append("top-p " + NumberText.fixed(Double(topP), decimals: 2)) }
        if let minP { parts.append("min-p " + NumberText.fixed(Double(minP), decimals: 2)) }
        return parts.joined(separator: " ")
    }

    /// One paragraph for `--help` and the terminal UI's help screen.
    public static let pipelineDescription = """
        Sampling pipeline, in this order: with --repeat-penalty P (llama.cpp's), the logit of each \
        character among the last --repeat-last-n read or written is divided by P if positive, \
        multiplied by P if not; the logits are divided by the temperature (T below \
        0.001, T = 0 included, or --sampler greedy picks the most likely character); top-k keeps the k most likely \
        characters; top-p keeps the smallest set of the remaining most likely characters whose \
        probability reaches p; min-p keeps those whose probability is at least min-p times the \
        largest; the kept probabilities are renormalised to sum to 1 and the next character is \
        drawn from them (multinomial, or the Gumbel-max trick, which draws from the same \
        distribution). Ties in the ranking go to the lower token id. Beam search (--sampler beam) \
        instead keeps the --beam-width best partial continuations by total log-probability under \
        softmax(logits) at T = 1 (the other settings do not apply) and writes the best one.
        """
}
