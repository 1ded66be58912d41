import RealModule

/// Linear(H, V) followed by softmax cross-entropy over N = T·B rows.
enum OutputLayer {
    /// logits[N, V] = Y[N, H] · W_fcᵀ + b_fc, by `products` when given (float32 BLAS otherwise).
    static func forward(
        logits: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows N: Int, hidden H: Int,
        vocabulary V: Int, products: MatrixProducts? = nil
    ) {
        if let products {
            products.linear(logits, y, weight, m: N, n: V, k: H)
        } else {
            BLAS.linear(logits, y, weight, m: N, n: V, k: H)
        }
        Kernels.addRowVector(logits, bias, rows: N, cols: V)
    }

    /// Summed negative log-likelihood of targets[N] under softmax(logits[N, V]), in Double.
    /// When `logitsGrad` is given, writes d(mean loss)/d(logits) = (softmax − onehot) / N there.
    static func crossEntropy(
        logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows N: Int, vocabulary V: Int,
        logitsGrad: UnsafeMutablePointer<Float>? = nil
    ) -> Double {
        var total: Double = 0
        let scale = 1 / Float(N)
        for r in 0..<N {
            let l = logits + r * V
            let lse = logSumExp(l, V)
            let target = Int(targets[r])
            total += Double(lse - l[target])
            if let d = logitsGrad.map({ $0 + r * V }) {
                for v in 0..<V { d[v] = Float.exp(l[v] - lse) * scale }
                d[target] -= scale
            }
        }
        return total
    }

    /// log Σ exp(x[i]), max-subtracted.
    static func logSumExp(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m = -Float.infinity
        for i in 0..<n { m = max(m, x[i]) }
        var s: Float = 0
        for i in 0..<n { s += Float.exp(x[i] - m) }
        return m + Float.log(s)
    }

    /// From dlogits[N, V]: dW_fc += dlogitsᵀ · Y, db_fc += Σ_rows dlogits, dY[N, H] = dlogits · W_fc.
    static func backward(
        _ products: MatrixProducts, logitsGrad: UnsafePointer<Float>, y: UnsafePointer<Float>,
        weight: UnsafePointer<Float>,
        weightGrad: UnsafeMutablePointer<Float>, biasGrad: UnsafeMutablePointer<Float>,
        yGrad: UnsafeMutablePointer<Float>, rows N: Int, hidden H: Int, vocabulary V: Int
    ) {
        products.matmulTransposedA(weightGrad, logitsGrad, y, m: V, n: H, k: N)
        Kernels.addColumnSums(biasGrad, logitsGrad, rows: N, cols: V)
        products.matmul(yGrad, logitsGrad, weight, m: N, n: H, k: V)
    }
}
