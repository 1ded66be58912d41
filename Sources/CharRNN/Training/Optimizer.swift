import RealModule

/// Adam (bias-corrected) and RMSprop with PyTorch's defaults and arithmetic order, over a
/// whole `ParameterSet` in one loop.
public final class Optimizer {
    public let kind: OptimizerKind
    public var learningRate: Float
    public let beta1: Float = 0.9, beta2: Float = 0.999  // Adam
    public let alpha: Float = 0.99  // RMSprop smoothing
    public let epsilon: Float = 1e-8
    /// Updates taken so far (Adam's t).
    public internal(set) var step: Int = 0
    /// Adam: first moment m; unused by RMSprop. [count]
    let firstMoment: Buffer
    /// Adam: second moment v; RMSprop: square average. [count]
    let secondMoment: Buffer

    public init(kind: OptimizerKind, learningRate: Float, parameterCount: Int) {
        self.kind = kind
        self.learningRate = learningRate
        firstMoment = Buffer(kind == .adam ? parameterCount : 0)
        secondMoment = Buffer(parameterCount)
    }

    /// One update of `parameters` from their gradients.
    public func update(_ parameters: ParameterSet) {
        step += 1
        let n = parameters.count, p = parameters.values, g = parameters.gradients
        let v = secondMoment.pointer, lr = learningRate, eps = epsilon
        switch kind {
        case .adam:
            let m = firstMoment.pointer, b1 = beta1, b2 = beta2
            let stepSize = lr / (1 - Float.pow(b1, step))
            let correction2Root = (1 - Float.pow(b2, step)).squareRoot()
            for i in 0..<n {
                m[i] += (g[i] - m[i]) * (1 - b1)  // exp_avg.lerp_(grad, 1 − β1)
                v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i]
                let denominator = v[i].squareRoot() / correction2Root + eps
                p[i] -= stepSize * (m[i] / denominator)
            }
        case .rmsprop:
            let a = alpha
            for i in 0..<n {
                v[i] = v[i] * a + (1 - a) * g[i] * g[i]
                p[i] -= lr * (g[i] / (v[i].squareRoot() + eps))
            }
        }
    }

    /// Moments for checkpoints of the training state: ("adam.m", m), ("adam.v", v) or ("rmsprop.v", v).
    public var stateTensors: [(name: String, values: [Float])] {
        kind == .adam
            ? [("adam.m", firstMoment.array), ("adam.v", secondMoment.array)]
            : [("rmsprop.v", secondMoment.array)]
    }

    public func restore(step: Int, tensors: [String: [Float]]) throws {
        for (name, _) in stateTensors {
            guard let values = tensors[name] else { throw CharRNNError("training state lacks \(name)") }
            let buffer = name.hasSuffix(".m") ? firstMoment : secondMoment
            guard values.count == buffer.count else {
                throw CharRNNError("training state \(name) has \(values.count) values, expected \(buffer.count)")
            }
            values.withUnsafeBufferPointer { buffer.pointer.update(from: $0.baseAddress!, count: buffer.count) }
        }
        self.step = step
    }
}
