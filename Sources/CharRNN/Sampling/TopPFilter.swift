import RealModule

/// Nucleus truncation: keeps the smallest set of most likely characters whose probability,
/// renormalised over the characters still allowed, reaches p. p = 1 keeps everything.
struct TopPFilter {
    let p: Float

    func apply(to candidates: inout Candidates) {
        guard p < 1 else { return }
        let limit = candidates.prefix ?? candidates.count
        let scores = candidates.scores
        candidates.startRanking()
        let logNormalizer: Double
        if let prefix = candidates.prefix {
            var sum: Double = 0
            for r in 0..<prefix { sum += Double.exp(Double(scores[candidates.ranked(r)])) }
            logNormalizer = Double.log(sum)
        } else {
            logNormalizer = Softmax.logSumExp(scores, count: candidates.count)
        }
        let target = Double(p)
        var cumulative: Double = 0
        var kept = 0
        while kept < limit {
            cumulative += Double.exp(Double(scores[candidates.ranked(kept)]) - logNormalizer)
            kept += 1
            if cumulative >= target { break }
        }
        candidates.prefix = max(kept, 1)
    }
}
