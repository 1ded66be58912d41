/// Keeps the k most likely characters (exactly k: ties at the boundary go to the lower id).
struct TopKFilter {
    let k: Int

    func apply(to candidates: inout Candidates) {
        guard k < (candidates.prefix ?? candidates.count) else { return }
        candidates.startRanking()
        candidates.ranking.rank(atLeast: k)
        candidates.prefix = k
    }
}
