import CharRNN

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ComputePolicy {
    /// Streaming as this process's environment asks: OpenBLAS on `blasThreads` (1 unless
    /// `bench --stream-threads` says otherwise), big mat-vecs on two cores unless CHARRNN_SPLIT=0
    /// (for comparisons). The one place where compute settings come from the environment.
    static func streamingFromEnvironment(blasThreads: Int = 1, precision: Precision = .float32) -> ComputePolicy {
        let split = getenv("CHARRNN_SPLIT").map { String(cString: $0) != "0" } ?? true
        return ComputePolicy(blasThreads: blasThreads, splitMatVecs: split, precision: precision)
    }

    /// The policy a command computes under, applied to OpenBLAS before anything computes: the one
    /// place a command sets the process's compute settings. `precision` is for batch-1 work (see
    /// `PrecisionOptions`); training computes in float32.
    static func forCommand(training: Bool, precision: Precision = .float32) -> ComputePolicy {
        let policy = training ? ComputePolicy.training : streamingFromEnvironment(precision: precision)
        policy.applyToOpenBLAS()
        return policy
    }
}
