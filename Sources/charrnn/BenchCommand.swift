import ArgumentParser
import CharRNN

/// `charrnn bench`: training throughput and streaming latency on synthetic data.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training chars/s and batch-1 streaming µs/char.",
        discussion: """
            Training: full steps (forward, backward, clip, Adam) on random tokens; the median \
            step time gives chars/s. Streaming: batch 1, state carried, multinomial sampling at \
            T=0.8; the median over blocks of 100 characters gives µs/char. Compare with PyTorch \
            in the same run, from the repository root: PYTHONPATH=python python3 -m \
            charrnn_torch.speed with the same model flags (python/charrnn_torch/speed.py).
            """)

    @OptionGroup var model: ModelOptions
    @Option(help: "Vocabulary size V of the synthetic model.") var vocab = 65
    @Option(name: .customLong("batch-size"), help: "Sequences per training batch.") var batchSize = 64
    @Option(name: .customLong("seq-length"), help: "Characters per training sequence.") var seqLength = 100
    @Option(help: "Seconds to time each measurement.") var seconds = 10.0
    @Option(help: "BLAS threads for training.") var threads = 2
    @Option(name: .customLong("stream-threads"), help: "BLAS threads for streaming.") var streamThreads = 1
    @Flag(name: .customLong("stream-only"), help: "Measure streaming only.") var streamOnly = false
    @Flag(name: .customLong("train-only"), help: "Measure training only.") var trainOnly = false
    @Flag(help: "Print one JSON line with train_chars_per_s and stream_us_per_char.") var json = false

    func validate() throws {
        guard vocab >= 2 else { throw ValidationError("--vocab must be at least 2, got \(vocab)") }
        try CLI.reportingErrors {
            try model.config(vocabularySize: vocab).validate()
            try training.validate()
            try Benchmark.validate(seconds: seconds, threads: [("--threads", threads), ("--stream-threads", streamThreads)])
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
            let train =
                streamOnly
                ? (charactersPerSecond: 0.0, timedSteps: 0)
                : Benchmark.training(
                    config: config, batch: batchSize, steps: seqLength, seconds: seconds,
                    compute: ComputePolicy(blasThreads: threads, splitMatVecs: false))
            let stream =
                trainOnly
                ? 0
                : try Benchmark.streaming(
                    config: config, seconds: seconds, compute: .streamingFromEnvironment(blasThreads: streamThreads))
            if json {
                let line: JSONObject = [
                    "cell": .string(config.cell.rawValue), "emb": .integer(config.embeddingSize),
                    "hidden": .integer(config.hiddenSize), "layers": .integer(config.layers), "vocab": .integer(vocab),
                    "batch": .integer(batchSize), "seq": .integer(seqLength), "threads": .integer(threads),
                    "train_chars_per_s": .integer(Int(train.charactersPerSecond.rounded())),
                    "stream_us_per_char": .double((stream * 10).rounded() / 10),
                ]
                print(line.text(spaced: true))
            } else {
                print("model:     \(config.summary), batch \(batchSize) × \(seqLength)")
                print("training:  \(NumberText.grouped(Int(train.charactersPerSecond))) chars/s (median of \(train.timedSteps) steps, \(threads) BLAS threads)")
                print("streaming: \(NumberText.fixed(stream, decimals: 1)) µs/char (batch 1, T=0.8 multinomial, \(streamThreads) BLAS thread)")
            }
        }
    }
}
