#if canImport(Glibc)
    import Glibc
#endif

/// Who owns the cores, as a value the objects that compute are given. With two cores, helper
/// threads would compete, so a computation picks one use:
/// - `.training`: matrix products (oneDNN, shared with `BLAS`'s helper thread) get every core;
/// - `.streaming()`: products stay on the calling thread and the large batch-1 mat-vecs of
///   generation, the terminal UI and evaluation are split across two cores by a helper thread
///   that the model owns (`SplitMatVec`).
///
/// The policy also carries the precision of the products (`Precision`: float32 unless the user
/// asks for bfloat16), so every model made under it computes in the same format. A `Trainer`
/// takes its precision from its `TrainingSettings` instead, which are saved with the run.
///
/// The front end decides (for example from the environment) and applies the OpenBLAS part once
/// for the process (`applyToOpenBLAS`); the engine never reads the environment. `StreamingModel`
/// and a batch-1 `SequenceGraph` take a policy when created and own the helper thread it asks
/// for; `GenerationSession`, `Evaluation`, `Trainer` and `Benchmark` pass theirs down.
public struct ComputePolicy: Sendable, Equatable {
    /// Threads a matrix product (and OpenBLAS) may use.
    public let blasThreads: Int
    /// Whether big batch-1 mat-vecs are split across two cores. Only when it can help: OpenBLAS
    /// on one thread and at least two cores.
    public let splitsMatVecs: Bool
    /// The format of the products of `StreamingModel` (generation, play, units), `ChunkScorer`
    /// (eval, read) and `Benchmark.training`.
    public let precision: Precision

    /// `splitMatVecs` asks for the two-core mat-vec; it is granted only with one BLAS thread
    /// on a machine with two or more cores. `precision` other than float32 only where
    /// `precision.validate()` passes.
    public init(blasThreads: Int, splitMatVecs: Bool, precision: Precision = .float32) {
        precondition(blasThreads >= 1, "blasThreads must be at least 1, got \(blasThreads)")
        self.blasThreads = blasThreads
        splitsMatVecs = splitMatVecs && blasThreads == 1 && Self.cores >= 2
        self.precision = precision
    }

    /// Training: products on every core, no split.
    public static var training: ComputePolicy { ComputePolicy(blasThreads: cores, splitMatVecs: false) }

    /// Batch-1 streaming: products on one thread, big mat-vecs on two cores unless `split` is false.
    public static func streaming(split: Bool = true, precision: Precision = .float32) -> ComputePolicy {
        ComputePolicy(blasThreads: 1, splitMatVecs: split, precision: precision)
    }

    /// Batch-1 work on the calling thread alone, in this policy's precision: for a reading in the
    /// background beside a model that already uses both cores.
    public var oneCore: ComputePolicy { .streaming(split: false, precision: precision) }

    /// Cores available to this process.
    public static var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// OpenBLAS keeps one thread count for the whole process and reads it at the start of every
    /// call; changing it while another thread is inside a BLAS call is not safe. So the objects
    /// that compute never set it: whoever owns the process calls this once, before anything
    /// computes (each `charrnn` command at its start; `Benchmark`, which measures one policy
    /// after the other on one thread, before each measurement). Until then OpenBLAS uses its
    /// own default (every core) and matrix products one core. It also tells `BLAS` whether
    /// matrix products (oneDNN) may share a helper thread.
    public func applyToOpenBLAS() { BLAS.setThreads(blasThreads) }
}
