import RealModule

/// Scales all gradients so that their global L2 norm is at most `maxNorm`, as PyTorch's
/// `clip_grad_norm_` does (coefficient maxNorm / (norm + 1e-6), capped at 1). Returns the norm
/// before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: ParameterSet, maxNorm: Float) -> Float {
    let norm = Float(Kernels.sumOfSquares(parameters.gradients, parameters.count).squareRoot())
    let coefficient = min(1, maxNorm / (norm + 1e-6))
    if coefficient < 1 { Kernels.scale(parameters.gradients, parameters.count, by: coefficient) }
    return norm
}
