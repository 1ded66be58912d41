/// Where the actual character stood in the model's ranking, in buckets that suit character
/// vocabularies: the model's first choice, one of its next two, within its top ten, or beyond.
public enum RankBucket: Int, CaseIterable, Sendable {
    case first, close, plausible, surprising

    public init(rank: Int) {
        switch rank {
        case ...1: self = .first
        case 2...3: self = .close
        case 4...10: self = .plausible
        default: self = .surprising
        }
    }

    /// The ranks it holds, as a reader writes them: "1", "2-3", "4-10", "11+".
    public var label: String {
        switch self {
        case .first: "1"
        case .close: "2-3"
        case .plausible: "4-10"
        case .surprising: "11+"
        }
    }
}
