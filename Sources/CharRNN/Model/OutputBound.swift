/// A bound, from the weights alone, on every pre-activation and logit the forward pass can
/// compute for any input: the embedding rows are the only unbounded input, every hidden value
/// lies in [−1, 1] (GRU: a convex mix of tanh values and the zero start; LSTM: o · tanh(c)), so
/// a row of x·Wᵀ + b is at most ‖x‖∞ · Σ|W_row| + |b|. A checkpoint whose bound passes `limit`
/// can produce non-finite outputs (±3e38 weights give ±∞ logits), and is refused on load.
enum OutputBound {
    /// Far enough below Float's largest value (3.4e38) that the sum of two gate inputs and the
    /// loss lse − logit stay finite; trained models stay below 1e4.
    static let limit = 1e37

    /// The first tensor whose rows can push a pre-activation or logit past `limit`, and the
    /// bound it gives; nil when every output stays finite.
    static func firstOverflow(_ config: ModelConfig, _ p: ParameterSet) -> (tensor: String, bound: Double)? {
        func maxAbs(_ name: String) -> Double { p.array(name).reduce(0) { max($0, Double($1.magnitude)) } }
        func rowSum(_ name: String, columns: Int) -> Double {
            let values = p.array(name)
            return stride(from: 0, to: values.count, by: columns).reduce(0) { best, start in
                max(best, values[start..<start + columns].reduce(0) { $0 + Double($1.magnitude) })
            }
        }
        var input = maxAbs("embedding.weight")
        for k in 0..<config.layers {
            let ih = "rnn.weight_ih_l\(k)", hh = "rnn.weight_hh_l\(k)"
            let x = input * rowSum(ih, columns: config.inputSize(layer: k)) + maxAbs("rnn.bias_ih_l\(k)")
            let h = rowSum(hh, columns: config.hiddenSize) + maxAbs("rnn.bias_hh_l\(k)")
            if !(x + h <= limit) { return (x >= h ? ih : hh, x + h) }
            input = 1
        }
        let logits = rowSum("fc.weight", columns: config.hiddenSize) + maxAbs("fc.bias")
        return logits <= limit ? nil : ("fc.weight", logits)
    }
}
