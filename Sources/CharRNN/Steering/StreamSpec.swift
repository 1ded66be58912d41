/// One stream of a side-by-side comparison, parsed from a short spec such as `greedy`, `beam:5`,
/// `t0.5` or `sampled`; `StreamSpec.parseList("greedy,beam:5,t0.5,t1.0", base:)` reads a list.
///
///     greedy    the most likely character each step
///     sampled   the base settings (a command's sampling flags)
///     tX        the base settings at temperature X (X ≥ 0), sampled multinomially when the base
///               is greedy or beam search
///     beam:K    beam search of width K ≥ 1 (`BeamSearch`)
public struct StreamSpec: Equatable, Sendable {
    /// The spec as written: a label for output.
    public let name: String
    public let settings: SamplerSettings

    public static let maximumCount = 4
    /// What a bare `--compare` means: greedy, then the base settings.
    public static let defaultList = "greedy,sampled"

    public init(_ text: String, base: SamplerSettings) throws {
        let spec = text.trimmingWhitespace
        name = spec
        if spec == "greedy" {
            settings = .greedy
        } else if spec == "sampled" {
            settings = base
        } else if spec.hasPrefix("t") {
            guard let t = Float(spec.dropFirst()) else {
                throw CharRNNError("stream \"\(spec)\": a temperature is t and a number, e.g. t0.8")
            }
            var s = base
            s.temperature = t
            if s.method == .greedy || s.method == .beam { s.method = .multinomial }
            settings = s
        } else if spec.hasPrefix("beam:") {
            guard let k = Int(spec.dropFirst("beam:".count)) else {
                throw CharRNNError("stream \"\(spec)\": a beam is beam: and a width, e.g. beam:5")
            }
            settings = SamplerSettings(method: .beam, beamWidth: k)
        } else {
            throw CharRNNError("unknown stream \"\(spec)\": use greedy, sampled, t<temperature> or beam:<width>")
        }
        do { try settings.validate() } catch let error as CharRNNError {
            throw CharRNNError("stream \"\(spec)\": \(error.message)")
        }
    }

    /// A comma-separated list of 1...`maximumCount` specs.
    public static func parseList(_ list: String, base: SamplerSettings) throws -> [StreamSpec] {
        let items = list.split(separator: ",", omittingEmptySubsequences: false)
        guard (1...maximumCount).contains(items.count) else {
            throw CharRNNError("a comparison takes 1 to \(maximumCount) streams, got \(items.count)")
        }
        return try items.map { try StreamSpec(String($0), base: base) }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
