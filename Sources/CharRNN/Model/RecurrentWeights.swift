/// One recurrent layer's tensors inside a `ParameterSet`, values and gradients.
/// G = 3 (GRU: r, z, n) or 4 (LSTM: i, f, g, o) gate blocks of H rows each.
struct RecurrentWeights {
    let inputSize: Int  // In: E for layer 0, H above
    let hiddenSize: Int  // H
    let gateSize: Int  // G·H
    let inputWeights: UnsafeMutablePointer<Float>  // W_ih [G·H, In]
    let hiddenWeights: UnsafeMutablePointer<Float>  // W_hh [G·H, H]
    let inputBias: UnsafeMutablePointer<Float>  // b_ih [G·H]
    let hiddenBias: UnsafeMutablePointer<Float>  // b_hh [G·H]
    let inputWeightsGrad: UnsafeMutablePointer<Float>
    let hiddenWeightsGrad: UnsafeMutablePointer<Float>
    let inputBiasGrad: UnsafeMutablePointer<Float>
    let hiddenBiasGrad: UnsafeMutablePointer<Float>

    init(parameters p: ParameterSet, layer k: Int, config: ModelConfig) {
        inputSize = config.inputSize(layer: k)
        hiddenSize = config.hiddenSize
        gateSize = config.cell.gateCount * config.hiddenSize
        inputWeights = p.value("rnn.weight_ih_l\(k)")
        hiddenWeights = p.value("rnn.weight_hh_l\(k)")
        inputBias = p.value("rnn.bias_ih_l\(k)")
        hiddenBias = p.value("rnn.bias_hh_l\(k)")
        inputWeightsGrad = p.gradient("rnn.weight_ih_l\(k)")
        hiddenWeightsGrad = p.gradient("rnn.weight_hh_l\(k)")
        inputBiasGrad = p.gradient("rnn.bias_ih_l\(k)")
        hiddenBiasGrad = p.gradient("rnn.bias_hh_l\(k)")
    }
}
