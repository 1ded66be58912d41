import ArgumentParser
import CharRNN

extension Precision: ExpressibleByArgument {}

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
            median pass gives µs/char. --precision bf16 (with --stream-only or --train-only, on CPUs \
            with AVX-512 BF16) streams with bfloat16 weights on one core, or trains with bfloat16 \
            matrix products, alternating three runs with float32, and reports both medians. \
            --roofline adds FLOPs and weight bytes per character and per step, what they achieve, and \
            a probe of this machine on the same shapes. Compare with PyTorch in the same run, from the \
            repository root: PYTHONPATH=python python3 -m charrnn_torch.speed with the same model \
            flags (python/charrnn_torch/speed.py).
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
    @Option(help: "Precision: f32, or bf16 (with --stream-only or --train-only) to compare it with f32.")
    var precision = Precision.float32
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
            if precision != .float32 && (!(streamOnly || trainOnly) || roofline) {
                throw CharRNNError(
                    "--precision \(precision.rawValue) needs --stream-only or --train-only, without --roofline")
            }
            try precision.validate()
            try model.config(vocabularySize: vocab).validate()
            try training.validate()
            try Benchmark.validate(
                seconds: seconds, threads: [("--threads", threads), ("--stream-threads", streamThreads)])
        }
    }

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
            let streamPolicy = ComputePolicy.streamingFromEnvironment(blasThreads: streamThreads)
            let (train, trainFloat32) = training(config: config, all: all)
            let (stream, streamFloat32) = try streaming(config: config, compute: streamPolicy, all: all)
            let score =
                all || scoreOnly
                ? try Benchmark.scoring(config: config, characters: scoreChars, seconds: seconds, compute: streamPolicy)
                : 0
            let probe =
                roofline
                ? Roofline.probe(
                    config: config, batch: batchSize, steps: seqLength, trainingThreads: threads,
                    seconds: min(seconds, 1))
                : nil
            let costs = Roofline(config: config, chunk: 1000, batch: batchSize, steps: seqLength)
            let measured: [Measured] = [
                ("stream", costs.streaming, stream * 1e-6), ("score", costs.scoring, score * 1e-6),
                ("train", costs.training, Double(batchSize * seqLength) / train.charactersPerSecond),
            ].filter { $0.seconds > 0 && $0.seconds.isFinite }
            if json {
                var line: JSONObject = [
                    "cell": .string(config.cell.rawValue), "emb": .integer(config.embeddingSize),
                    "hidden": .integer(config.hiddenSize), "layers": .integer(config.layers), "vocab": .integer(vocab),
                    "batch": .integer(batchSize), "seq": .integer(seqLength), "threads": .integer(threads),
                    "train_chars_per_s": .integer(Int(train.charactersPerSecond.rounded())),
                    "stream_us_per_char": .double((stream * 10).rounded() / 10),
                    "score_us_per_char": .double((score * 10).rounded() / 10),
                    "precision": .string(precision.rawValue),
                ]
                if let trainFloat32 { line["train_f32_chars_per_s"] = .integer(Int(trainFloat32.rounded())) }
                if let streamFloat32 { line["stream_f32_us_per_char"] = .double((streamFloat32 * 10).rounded() / 10) }
                if let probe { line["roofline"] = .object(Self.rooflineJSON(measured, probe)) }
                print(line.text(spaced: true))
            } else {
                print("model:     \(config.summary), batch \(batchSize) × \(seqLength)")
                let rate = NumberText.grouped(Int(train.charactersPerSecond))
                if let trainFloat32 {
                    let both = "\(rate) chars/s bf16, \(NumberText.grouped(Int(trainFloat32))) f32"
                    print("training:  \(both) (medians of 3 alternating runs, \(threads) threads)")
                } else {
                    print("training:  \(rate) chars/s (median of \(train.timedSteps) steps, \(threads) BLAS threads)")
                }
                if let streamFloat32 {
                    let bf16 = NumberText.fixed(stream, decimals: 1), f32 = NumberText.fixed(streamFloat32, decimals: 1)
                    let both = "\(bf16) µs/char bf16 (one core), \(f32) f32"
                    print("streaming: \(both) (medians of 3 alternating runs, batch 1, T=0.8 multinomial)")
                } else {
                    let perChar = NumberText.fixed(stream, decimals: 1)
                    print("streaming: \(perChar) µs/char (batch 1, T=0.8 multinomial, \(streamThreads) BLAS thread)")
                }
                let scored = "\(NumberText.grouped(scoreChars)) chars, state carried"
                print("scoring:   \(NumberText.fixed(score, decimals: 1)) µs/char (\(scored))")
                if let probe { Self.printRoofline(measured, probe, config: config, batch: batchSize, threads: threads) }
            }
        }
    }

    /// Training chars/s in `precision` (0 when not measured), and beside it, under a precision other
    /// than float32, float32's: medians of three runs each, alternating.
    func training(config: ModelConfig, all: Bool) -> ((charactersPerSecond: Double, timedSteps: Int), Double?) {
        guard all || trainOnly else { return ((0, 0), nil) }
        func measure(_ p: Precision) -> (charactersPerSecond: Double, timedSteps: Int) {
            Benchmark.training(
                config: config, batch: batchSize, steps: seqLength, seconds: seconds,
                compute: ComputePolicy(blasThreads: threads, splitMatVecs: false), precision: p)
        }
        guard precision != .float32 else { return (measure(.float32), nil) }
        var runs: [Precision: [Double]] = [:]
        for _ in 0..<3 {
            for p in [precision, .float32] { runs[p, default: []].append(measure(p).charactersPerSecond) }
        }
        return ((Benchmark.median(runs[precision]!), 0), Benchmark.median(runs[.float32]!))
    }

    /// Streaming µs/char in `precision` (0 when not measured), and beside it, under a precision
    /// other than float32, float32's: medians of three runs each, alternating.
    func streaming(config: ModelConfig, compute: ComputePolicy, all: Bool) throws -> (Double, Double?) {
        guard all || streamOnly else { return (0, nil) }
        guard precision != .float32 else {
            return (try Benchmark.streaming(config: config, seconds: seconds, compute: compute), nil)
        }
        var runs: [Precision: [Double]] = [:]
        for _ in 0..<3 {
            for p in [precision, .float32] {
                runs[p, default: []].append(
                    try Benchmark.streaming(config: config, seconds: seconds, compute: compute, precision: p))
            }
        }
        return (Benchmark.median(runs[precision]!), Benchmark.median(runs[.float32]!))
    }

    /// A measurement the roofline puts against its cost: seconds per character or per step.
    typealias Measured = (name: String, work: Roofline.Work, seconds: Double)

    static func rooflineJSON(_ measured: [Measured], _ probe: Roofline.Probe) -> JSONObject {
        func rounded(_ x: Double) -> JSONValue { .double((x * 10).rounded() / 10) }
        var object = JSONObject()
        for m in measured {
            let unit = m.name == "train" ? "step" : "char"
            let (gflops, gbps) = m.work.achieved(seconds: m.seconds)
            object["\(m.name)_flops_per_\(unit)"] = .integer(Int(m.work.flops))
            object["\(m.name)_weight_bytes_per_\(unit)"] = .integer(Int(m.work.weightBytes))
            object["\(m.name)_gflops"] = rounded(gflops)
            object["\(m.name)_weight_gb_per_s"] = rounded(gbps)
        }
        object["probe_matvec_gflops"] = rounded(probe.matvecGFLOPS)
        object["probe_split_matvec_gflops"] = probe.splitMatvecGFLOPS.map(rounded) ?? .null
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
            let unit = m.name == "train" ? "step" : "char"
            let (gflops, gbps) = m.work.achieved(seconds: m.seconds)
            let cost = "\(f(m.work.flops / 1e6)) MFLOP and \(f(m.work.weightBytes / 1e6)) MB of weights a \(unit)"
            print("roofline:  \(m.name) \(cost): \(f(gflops)) GFLOPS, \(f(gbps)) GB/s achieved")
        }
        let GH = config.cell.gateCount * config.hiddenSize, H = config.hiddenSize
        let split = probe.splitMatvecGFLOPS.map { ", \(f($0)) on two cores" } ?? ""
        print("probe:     mat-vec [\(GH)×\(H)] \(f(probe.matvecGFLOPS)) GFLOPS on one core\(split)")
        let gemm = "gemm [\(batch)×\(H)]·[\(H)×\(GH)] \(f(probe.recurrentGemmGFLOPS)) GFLOPS"
        print("probe:     \(gemm), whole batch \(f(probe.chunkGemmGFLOPS)) GFLOPS (\(threads) threads)")
        print("probe:     memory \(f(probe.memoryGigabytesPerSecond)) GB/s read by one core")
    }
}
