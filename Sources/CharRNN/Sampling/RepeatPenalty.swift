/// llama.cpp's repetition penalty: each distinct token among the recent ones has its logit
/// divided by P when positive and multiplied by P otherwise, so P > 1 makes it less likely and
/// P = 1 changes nothing. Applied to the raw logits, before the temperature.
struct RepeatPenalty {
    let penalty: Float

    /// out[V] = logits[V] with the penalty applied once to each distinct token of `recent`.
    /// `marks[V]` must be all false; it is left all false.
    func apply(
        logits: UnsafePointer<Float>, count: Int, recent: RecentTokens, into out: UnsafeMutablePointer<Float>,
        marks: UnsafeMutablePointer<Bool>
    ) {
        out.update(from: logits, count: count)
        recent.forEach { token in
            guard !marks[token] else { return }
            marks[token] = true
            let l = out[token]
            out[token] = l > 0 ? l / penalty : l * penalty
        }
        recent.forEach { marks[$0] = false }
    }
}
