import ArgumentParser
import CharRNN

/// `charrnn bench`: training throughput and streaming latency on synthetic data.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training chars/s, batch-1 streaming µs/char and scoring µs/char.",
        discussion: """
            Training: full steps (forward, backward, clip, Adam) on random tokens; the median \
            step time gives chars/s. Streaming: batch 1, state carried, multinomial sampling at \
            T=0.8; the median over blocks of 100 characters gives µs/char. Scoring: --score-chars \
            random characters from a zero state, the state carried, in eval's chunks of 1,000; the \
            median pass gives µs/char. --precision bf16 (on CPUs with AVX-512 BF16) trains with \
            bfloat16 matrix products and streams and scores with bfloat16 weights, alternating three \
            runs of each with float32, and reports both medians. --roofline adds FLOPs and weight bytes per character and \
            per step (2 bytes a bfloat16 weight), what they achieve, and a probe of this machine on the \
            same shapes (under bf16, of the bfloat16 mat-vec too). Compare with PyTorch in \
            the same run, from the repository root: PYTHONPATH=python python3 -m \
            charrnn_torch.speed with the same model flags (python/charrnn_torch/speed.py).
            """)

    @OptionGroup var model: ModelOptions
    @Option(help: "Vocabulary size V of the synthetic model.") var vocab = 65
    @Option(name: .customLong("batch-size"), help: "Sequences per training batch.") var batchSize = 64
    @Option(name: .customLong("seq-length"), help: "Characters per training sequence.") var seqLength = 100
    @Option(help: "Seconds to time each measurement.") var seconds = 10.0
    @Option(help: "BLAS threads for training.") var threads = 2
    @Option(name: .customLong("stream-threads"), help: "BLAS threads for streaming.") var streamThreads = 1
    @Option(name: .customLong("score-chars"), help: "Characters of random text to score.") var scoreChars = 100_000
    @Flag(name: .customLong("stream-only"), help: "Measure streaming only.") var streamOnly = false
    @Flag(name: .customLong("train-only"), help: "Measure training only.") var trainOnly = false
    @Flag(name: .customLong("score-only"), help: "Measure scoring only.") var scoreOnly = false
    @OptionGroup var precisionOptions: PrecisionOptions
    @Flag(help: "Also report FLOPs and bytes per character and step, and probe this machine on the same shapes.")
    var roofline = false
    @Flag(help: "Print one JSON line with train_chars_per_s, stream_us_per_char and score_us_per_char.")
    var json = false

    func validate() throws {
        guard vocab >= 2 else { throw ValidationError("--vocab must be at least 2, got \(vocab)") }
        try CLI.reportingErrors {
            guard (1...Benchmark.maxScoreCharacters).contains(scoreChars) else {
                throw CharRNNError("--score-chars must be in 1…\(Benchmark.maxScoreCharacters), got \(scoreChars)")
            }
            guard [streamOnly, trainOnly, scoreOnly].filter({ $0 }).count <= 1 else {
                throw CharRNNError("--stream-only, --train-only and --score-only exclude each other")
            }
            try model.config(vocabularySize: vocab).validate()
            try training.validate()
            try Benchmark.validate(
                seconds: seconds, threads: [("--threads", threads), ("--stream-threads", streamThreads)])
        }
    }

    var precision: Precision { precisionOptions.precision }

    /// The batch shape as training settings, which bound it.
    var training: TrainingSettings {
        var settings = TrainingSettings()
        settings.batchSize = batchSize
        settings.sequenceLength = seqLength
        return settings
    }

    func run() throws {
        try CLI.reportingErrors {
            let config = model.config(vocabularySize: vocab)
            try MemoryEstimate(training: config, settings: training, corpusCharacters: 0).check(maxGiB: nil)
            let all = !(streamOnly || trainOnly || scoreOnly)
            let streamPolicy = ComputePolicy.streamingFromEnvironment(blasThreads: streamThreads, precision: precision)
            let trainPolicy = ComputePolicy(blasThreads: threads, splitMatVecs: false, precision: precision)
            var timedSteps = 0
            let (train, trainFloat32) =
                try all || trainOnly
                ? alternating(trainPolicy) {
                    let run = Benchmark.training(
                        config: config, batch: batchSize, steps: seqLength, seconds: seconds, compute: $0)
                    timedSteps = run.timedSteps
                    return run.charactersPerSecond
                }
                : (0, nil)
            let (stream, streamFloat32) =
                try all || streamOnly
                ? alternating(streamPolicy) { try Benchmark.streaming(config: config, seconds: seconds, compute: $0) }
                : (0, nil)
            let (score, scoreFloat32) =
                try all || scoreOnly
                ? alternating(streamPolicy) {
                    try Benchmark.scoring(config: config, characters: scoreChars, seconds: seconds, compute: $0)
                }
                : (0, nil)
            let probe =
                roofline
                ? Roofline.probe(
                    config: config, batch: batchSize, steps: seqLength, trainingThreads: threads,
                    seconds: min(seconds, 1), precision: precision)
                : nil
            let costs = Roofline(config: config, chunk: 1000, batch: batchSize, steps: seqLength, precision: precision)
            let float32Costs = Roofline(config: config, chunk: 1000, batch: batchSize, steps: seqLength)
            let measured: [Measured] = [
                ("stream", costs.streaming, stream * 1e-6), ("score", costs.scoring, score * 1e-6),
                ("stream_f32", float32Costs.streaming, (streamFloat32 ?? 0) * 1e-6),
                ("score_f32", float32Costs.scoring, (scoreFloat32 ?? 0) * 1e-6),
                ("train", costs.training, Double(batchSize * seqLength) / train),
                ("train_f32", float32Costs.training, Double(batchSize * seqLength) / (trainFloat32 ?? .infinity)),
            ].filter { $0.seconds > 0 && $0.seconds.isFinite }
            if json {
                var line: JSONObject = [
                    "cell": .string(config.cell.rawValue), "emb": .integer(config.embeddingSize),
                    "hidden": .integer(config.hiddenSize), "layers": .integer(config.layers), "vocab": .integer(vocab),
                    "batch": .integer(batchSize), "seq": .integer(seqLength), "threads": .integer(threads),
                    "train_chars_per_s": .integer(Int(train.rounded())),
                    "stream_us_per_char": .double((stream * 10).rounded() / 10),
                    "score_us_per_char": .double((score * 10).rounded() / 10),
                    "precision": .string(precision.rawValue),
                ]
                if let trainFloat32 { line["train_f32_chars_per_s"] = .integer(Int(trainFloat32.rounded())) }
                if let streamFloat32 { line["stream_f32_us_per_char"] = .double((streamFloat32 * 10).rounded() / 10) }
                if let scoreFloat32 { line["score_f32_us_per_char"] = .double((scoreFloat32 * 10).rounded() / 10) }
                if let probe { line["roofline"] = .object(Self.rooflineJSON(measured, probe)) }
                print(line.text(spaced: true))
            } else {
                print("model:     \(config.summary), batch \(batchSize) × \(seqLength)")
                let rate = "\(NumberText.grouped(Int(train))) chars/s"
                if let trainFloat32 {
                    let f32 = NumberText.grouped(Int(trainFloat32))
                    let both = "\(rate) \(precision.rawValue), \(f32) f32"
                    print("training:  \(both) (medians of 3 alternating runs; \(threads) threads)")
                } else {
                    print("training:  \(rate) (median of \(timedSteps) steps, \(threads) threads)")
                }
                let streamed = "batch 1, T=0.8 multinomial, \(streamThreads) BLAS thread"
                print("streaming: \(perCharacter(stream, streamFloat32, streamed))")
                let scored = "\(NumberText.grouped(scoreChars)) chars, state carried"
                print("scoring:   \(perCharacter(score, scoreFloat32, scored))")
                if let probe { Self.printRoofline(measured, probe, config: config, batch: batchSize, threads: threads) }
            }
        }
    }

    /// `measure` under `compute`, and beside it, when `compute` is not float32, under the same
    /// policy in float32: medians of three runs each, alternating.
    func alternating(
        _ compute: ComputePolicy, _ measure: (ComputePolicy) throws -> Double
    ) throws -> (Double, float32: Double?) {
        guard compute.precision != .float32 else { return (try measure(compute), nil) }
        let float32 = ComputePolicy(blasThreads: compute.blasThreads, splitMatVecs: compute.splitsMatVecs)
        var runs: [[Double]] = [[], []]
        for _ in 0..<3 {
            for (i, policy) in [compute, float32].enumerated() { runs[i].append(try measure(policy)) }
        }
        return (Benchmark.median(runs[0]), Benchmark.median(runs[1]))
    }

    /// "12.3 µs/char (details)", or with float32's figure beside it "6.1 µs/char bf16, 12.3 f32
    /// (medians of 3 alternating runs; details)".
    func perCharacter(_ figure: Double, _ float32: Double?, _ details: String) -> String {
        let text = NumberText.fixed(figure, decimals: 1) + " µs/char"
        guard let float32 else { return "\(text) (\(details))" }
        let f32 = NumberText.fixed(float32, decimals: 1)
        return "\(text) \(precision.rawValue), \(f32) f32 (medians of 3 alternating runs; \(details))"
    }

    /// A measurement the roofline puts against its cost: seconds per character or per step.
    typealias Measured = (name: String, work: Roofline.Work, seconds: Double)

    static func rooflineJSON(_ measured: [Measured], _ probe: Roofline.Probe) -> JSONObject {
        func rounded(_ x: Double) -> JSONValue { .double((x * 10).rounded() / 10) }
        var object = JSONObject()
        for m in measured {
            let unit = m.name.hasPrefix("train") ? "step" : "char"
            let (gflops, gbps) = m.work.achieved(seconds: m.seconds)
            object["\(m.name)_flops_per_\(unit)"] = .integer(Int(m.work.flops))
            object["\(m.name)_weight_bytes_per_\(unit)"] = .integer(Int(m.work.weightBytes))
            object["\(m.name)_gflops"] = rounded(gflops)
            object["\(m.name)_weight_gb_per_s"] = rounded(gbps)
        }
        object["probe_matvec_gflops"] = rounded(probe.matvecGFLOPS)
        object["probe_split_matvec_gflops"] = probe.splitMatvecGFLOPS.map(rounded) ?? .null
        if let bf16 = probe.bf16MatvecGFLOPS { object["probe_bf16_matvec_gflops"] = rounded(bf16) }
        if let bf16 = probe.bf16SplitMatvecGFLOPS { object["probe_bf16_split_matvec_gflops"] = rounded(bf16) }
        object["probe_recurrent_gemm_gflops"] = rounded(probe.recurrentGemmGFLOPS)
        object["probe_chunk_gemm_gflops"] = rounded(probe.chunkGemmGFLOPS)
        object["probe_memory_gb_per_s"] = rounded(probe.memoryGigabytesPerSecond)
        return object
    }

    static func printRoofline(
        _ measured: [Measured], _ probe: Roofline.Probe,
        config: ModelConfig, batch: Int, threads: Int
    ) {
        func f(_ x: Double) -> String { NumberText.fixed(x, decimals: 1) }
        for m in measured {
            let unit = m.name.hasPrefix("train") ? "step" : "char"
            let (gflops, gbps) = m.work.achieved(seconds: m.seconds)
            let cost = "\(f(m.work.flops / 1e6)) MFLOP and \(f(m.work.weightBytes / 1e6)) MB of weights a \(unit)"
            print("roofline:  \(m.name) \(cost): \(f(gflops)) GFLOPS, \(f(gbps)) GB/s achieved")
        }
        let GH = config.cell.gateCount * config.hiddenSize, H = config.hiddenSize
        let split = probe.splitMatvecGFLOPS.map { ", \(f($0)) on two cores" } ?? ""
        print("probe:     mat-vec [\(GH)×\(H)] \(f(probe.matvecGFLOPS)) GFLOPS on one core\(split)")
        if let bf16 = probe.bf16MatvecGFLOPS {
            let bf16Split = probe.bf16SplitMatvecGFLOPS.map { ", \(f($0)) on two cores" } ?? ""
            print("probe:     bf16 mat-vec [\(GH)×\(H)] \(f(bf16)) GFLOPS on one core\(bf16Split)")
        }
        let gemm = "gemm [\(batch)×\(H)]·[\(H)×\(GH)] \(f(probe.recurrentGemmGFLOPS)) GFLOPS"
        print("probe:     \(gemm), whole batch \(f(probe.chunkGemmGFLOPS)) GFLOPS (\(threads) threads)")
        print("probe:     memory \(f(probe.memoryGigabytesPerSecond)) GB/s read by one core")
    }
}
