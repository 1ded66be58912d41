/// What a model's matrix products cost, and what this machine sustains on the same shapes:
/// `charrnn bench --roofline`. Counts are of the matrix products only (the cells, softmax and
/// Adam's arithmetic are small beside them); a multiply-add is two FLOPs. Weight bytes count each
/// weight every time a product reads it: 4 bytes, or 2 for the bfloat16 copies that streaming and
/// scoring read under `.bfloat16` (the input table and the chunk-wide products stay float32).
public struct Roofline: Sendable {
    /// The cost of one unit of work (a character, or a training step).
    public struct Work: Sendable {
        public let flops: Double
        public let weightBytes: Double

        /// GFLOPS and GB/s of weights at `seconds` per unit.
        public func achieved(seconds: Double) -> (gflops: Double, gigabytesPerSecond: Double) {
            (flops / seconds / 1e9, weightBytes / seconds / 1e9)
        }
    }

    /// One character streamed at batch 1: every layer's W_hh, the upper layers' W_ih and the output
    /// layer as mat-vecs, and layer 0's row of the input table.
    public let streaming: Work
    /// One character scored in chunks of `chunk`: only W_hh is read per character; the upper
    /// layers' W_ih and the output layer are read once per chunk.
    public let scoring: Work
    /// One training step of B × T: forward, then backward's two products per forward one (dX and
    /// dW); W_hh is read at every time step forward and backward, every other matrix three times,
    /// and Adam reads and writes seven floats per parameter.
    public let training: Work

    public init(config c: ModelConfig, chunk: Int, batch B: Int, steps T: Int, precision: Precision = .float32) {
        let H = Double(c.hiddenSize), GH = Double(c.cell.gateCount * c.hiddenSize)
        let V = Double(c.vocabularySize), E = Double(c.embeddingSize), L = Double(c.layers)
        let recurrent = L * GH * H  // every W_hh
        let projections = (L - 1) * GH * H + V * H  // upper W_ih and W_fc
        let perCharacter = recurrent + projections  // multiply-adds per character
        let bytes = precision == .bfloat16 ? 2.0 : 4.0  // a weight of a batch-1 mat-vec
        streaming = Work(flops: 2 * perCharacter, weightBytes: bytes * perCharacter + 4 * GH)
        scoring = Work(flops: 2 * perCharacter, weightBytes: bytes * recurrent + 4 * (projections / Double(chunk) + GH))
        let N = Double(B * T)
        training = Work(
            flops: 3 * (2 * N * perCharacter + 2 * V * E * GH),  // layer 0 through the table Emb·W_ihᵀ
            weightBytes: 4 * (2 * Double(T) * recurrent + 3 * (projections + GH * E + V * E))
                + 28 * Double(c.parameterCount))
    }

    /// What a few products on the model's own shapes reach here, each timed for about `seconds`.
    public struct Probe: Sendable {
        /// W_hh · h [GH, H] on one core, and split across two (nil on one core).
        public let matvecGFLOPS: Double
        public let splitMatvecGFLOPS: Double?
        /// The same in bfloat16, one core and two (nil unless probed under `.bfloat16`, or on one core).
        public let bf16MatvecGFLOPS: Double?
        public let bf16SplitMatvecGFLOPS: Double?
        /// The training step's per-time-step product [B, H] · W_hhᵀ and the chunk-wide
        /// [B·T, H] · W_ihᵀ, on `trainingThreads` OpenBLAS threads.
        public let recurrentGemmGFLOPS: Double
        public let chunkGemmGFLOPS: Double
        /// One core reading a 256 MB buffer: the memory's bandwidth as one core sees it.
        public let memoryGigabytesPerSecond: Double
    }

    /// Runs the probe. Sets OpenBLAS's threads (one for the mat-vecs, `trainingThreads` for the
    /// products): call it only while nothing else computes. Under `.bfloat16` it probes the
    /// bfloat16 mat-vec too (only where `precision.validate()` passes).
    public static func probe(
        config c: ModelConfig, batch B: Int, steps T: Int, trainingThreads: Int, seconds: Double,
        precision: Precision = .float32
    ) -> Probe {
        let H = c.hiddenSize, GH = c.cell.gateCount * H, N = B * T
        let w = Buffer(GH * H), x = Buffer(N * H), y = Buffer(N * GH)
        var rng = RandomGenerator(seed: 6)
        for b in [w, x] { for i in 0..<b.count { b.pointer[i] = rng.nextFloat() - 0.5 } }
        func gflops(_ flops: Double, _ body: () -> Void) -> Double {
            flops / Benchmark.median(Benchmark.timed(seconds: seconds, warmup: 3, body)) / 1e9
        }
        ComputePolicy(blasThreads: 1, splitMatVecs: false).applyToOpenBLAS()
        let matvecFlops = 2 * Double(GH * H) * 100
        let one = gflops(matvecFlops) {
            for _ in 0..<100 { BLAS.sgemv(y.pointer, w.pointer, x.pointer, m: GH, n: H, accumulate: false) }
        }
        let split = ComputePolicy.cores >= 2 ? SplitMatVec() : nil
        let two = split.map { split in
            gflops(matvecFlops) {
                for _ in 0..<100 { split.matvec(y.pointer, w.pointer, x.pointer, m: GH, n: H, accumulate: false) }
            }
        }
        let rounded = precision == .bfloat16 ? BF16Matrix(w.pointer, rows: GH, columns: H) : nil
        let bf16One = rounded.map { r in
            gflops(matvecFlops) { for _ in 0..<100 { r.matvec(y.pointer, x.pointer, accumulate: false) } }
        }
        let bf16Two = rounded.flatMap { r in
            split.map { split in
                gflops(matvecFlops) { for _ in 0..<100 { split.matvec(y.pointer, r, x.pointer, accumulate: false) } }
            }
        }
        ComputePolicy(blasThreads: trainingThreads, splitMatVecs: false).applyToOpenBLAS()
        let recurrent = gflops(2 * Double(B * GH * H) * Double(T)) {
            for _ in 0..<T { BLAS.linear(y.pointer, x.pointer, w.pointer, m: B, n: GH, k: H) }
        }
        let chunk = gflops(2 * Double(N * GH * H)) { BLAS.linear(y.pointer, x.pointer, w.pointer, m: N, n: GH, k: H) }
        let memory = Buffer(64 << 20)  // 256 MB
        memory.pointer.update(repeating: 1, count: memory.count)
        var sum = 0.0  // checked below, so the reads cannot be optimised away
        let read = Benchmark.median(Benchmark.timed(seconds: seconds, warmup: 1) {
            sum += Kernels.sumOfSquares(memory.pointer, memory.count)
        })
        precondition(sum >= Double(memory.count), "the memory probe read \(sum)")
        return Probe(
            matvecGFLOPS: one, splitMatvecGFLOPS: two, bf16MatvecGFLOPS: bf16One, bf16SplitMatvecGFLOPS: bf16Two,
            recurrentGemmGFLOPS: recurrent, chunkGemmGFLOPS: chunk,
            memoryGigabytesPerSecond: Double(memory.count * 4) / read / 1e9)
    }
}
