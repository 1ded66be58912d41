/// The batches of one epoch over a token array; fills caller-owned buffers, allocation-free.
public struct BatchPlan {
    public let order: BatchOrder
    public let batch: Int  // B
    public let steps: Int  // T
    public let tokenCount: Int

    public init(order: BatchOrder, batch: Int, steps: Int, tokenCount: Int) throws {
        self.order = order
        self.batch = batch
        self.steps = steps
        self.tokenCount = tokenCount
        guard batchesPerEpoch > 0 else {
            throw CharRNNError(
                "training text has \(tokenCount) characters, fewer than one batch needs (\(batch) sequences of \(steps + 1)): use a smaller --batch-size or --seq-length"
            )
        }
    }

    var windowCount: Int { max(0, (tokenCount - 1) / steps) }
    var streamLength: Int { max(0, (tokenCount - 1) / batch) }

    public var batchesPerEpoch: Int {
        switch order {
        case .shuffledWindows: return windowCount / batch
        case .statefulStreams: return streamLength / steps
        }
    }

    /// The epoch's window order (shuffled windows), drawn from `rng`; empty for streams.
    public func epochOrder(rng: inout RandomGenerator) -> [Int] {
        order == .shuffledWindows ? rng.permutation(windowCount) : []
    }

    /// Fills inputs and targets [B, T] (batch-major) for batch `index` of the epoch.
    public func fill(
        index: Int, epochOrder: [Int], tokens: UnsafePointer<Int32>,
        inputs: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>
    ) {
        for b in 0..<batch {
            let start: Int
            switch order {
            case .shuffledWindows: start = epochOrder[index * batch + b] * steps
            case .statefulStreams: start = b * streamLength + index * steps
            }
            (inputs + b * steps).update(from: tokens + start, count: steps)
            (targets + b * steps).update(from: tokens + start + 1, count: steps)
        }
    }
}
