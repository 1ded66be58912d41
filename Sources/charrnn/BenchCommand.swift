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
            median pass gives µs/char. Compare with PyTorch in the same run, from the repository root: PYTHONPATH=python python3 -m \
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
            let all = !(streamOnly || trainOnly || scoreOnly)
            let streamPolicy = ComputePolicy.streamingFromEnvironment(blasThreads: streamThreads)
            let train =
                all || trainOnly
                ? Benchmark.training(
                    config: config, batch: batchSize, steps: seqLength, seconds: seconds,
                    compute: ComputePolicy(blasThreads: threads, splitMatVecs: false))
                : (charactersPerSecond: 0.0, timedSteps: 0)
            let stream =
                all || streamOnly ? try Benchmark.streaming(config: config, seconds: seconds, compute: streamPolicy) : 0
            let score =
                all || scoreOnly
                ? try Benchmark.scoring(config: config, characters: scoreChars, seconds: seconds, compute: streamPolicy)
                : 0
            if json {
                let line: JSONObject = [
                    "cell": .string(config.cell.rawValue), "emb": .integer(config.embeddingSize),
                    "hidden": .integer(config.hiddenSize), "layers": .integer(config.layers), "vocab": .integer(vocab),
                    "batch": .integer(batchSize), "seq": .integer(seqLength), "threads": .integer(threads),
                    "train_chars_per_s": .integer(Int(train.charactersPerSecond.rounded())),
                    "stream_us_per_char": .double((stream * 10).rounded() / 10),
                    "score_us_per_char": .double((score * 10).rounded() / 10),
                ]
                print(line.text(spaced: true))
            } else {
                print("model:     \(config.summary), batch \(batchSize) × \(seqLength)")
                print("training:  \(NumberText.grouped(Int(train.charactersPerSecond))) chars/s (median of \(train.timedSteps) steps, \(threads) BLAS threads)")
                print("streaming: \(NumberText.fixed(stream, decimals: 1)) µs/char (batch 1, T=0.8 multinomial, \(streamThreads) BLAS thread)")
                print("scoring:   \(NumberText.fixed(score, decimals: 1)) µs/char (\(NumberText.grouped(scoreChars)) chars, state carried)")
            }
        }
    }
}
