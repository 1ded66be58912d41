/// The characters still allowed while a `Sampler` truncates. scores[V] are the logits divided by
/// the temperature and shifted so the best is 0; removed characters hold −∞. While `prefix` is
/// nil, every character whose score is above −∞ is allowed; once a stage has ranked, exactly
/// `ranking.ranked[0..<prefix]` are. Every truncation keeps a best-first prefix of the ranking,
/// so the stages compose by shrinking `prefix`.
struct Candidates {
    /// scores[count], owned by the sampler.
    let scores: UnsafeMutablePointer<Float>
    let count: Int
    let ranking: TokenRanking
    private(set) var isRanked = false
    var prefix: Int?

    init(scores: UnsafeMutablePointer<Float>, count: Int, ranking: TokenRanking) {
        self.scores = scores
        self.count = count
        self.ranking = ranking
    }

    /// Starts the ranking of `scores` if no stage has yet.
    mutating func startRanking() {
        guard !isRanked else { return }
        ranking.start(scores: scores)
        isRanked = true
    }

    /// Id of the r-th best character, ranking lazily as far as needed.
    func ranked(_ r: Int) -> Int {
        ranking.rank(atLeast: r + 1)
        return Int(ranking.ranked[r])
    }

    /// Writes −∞ over every score outside the prefix, so that `scores` alone says what is kept.
    mutating func maskOutsidePrefix(scratch: UnsafeMutablePointer<Float>) {
        guard let prefix else { return }
        scratch.update(repeating: -.infinity, count: count)
        for r in 0..<prefix {
            let id = Int(ranking.ranked[r])
            scratch[id] = scores[id]
        }
        scores.update(from: scratch, count: count)
        self.prefix = nil
    }
}
