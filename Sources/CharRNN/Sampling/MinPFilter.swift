import RealModule

/// Keeps the characters whose probability is at least minP × the largest probability.
/// Scores are shifted so the best is 0, so the test is exp(score) ≥ minP; the best always stays.
struct MinPFilter {
    let minP: Float

    func apply(to candidates: inout Candidates) {
        guard minP > 0 else { return }
        let scores = candidates.scores
        if var kept = candidates.prefix {
            while kept > 1, Float.exp(scores[candidates.ranked(kept - 1)]) < minP { kept -= 1 }
            candidates.prefix = kept
        } else {
            for i in 0..<candidates.count where Float.exp(scores[i]) < minP {
                scores[i] = -.infinity
            }
        }
    }
}
