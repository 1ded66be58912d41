/// Throughput and latency on synthetic data: what `charrnn bench` reports.
public enum Benchmark {
    /// The longest one measurement may be asked to run (an hour), and the most BLAS threads
    /// (OpenBLAS itself stops far below): beyond them a request is a mistake, not a benchmark.
    public static let maxSeconds = 3600.0
    public static let maxThreads = 1024
    /// The longest text `scoring` takes (its tokens and logits stay well under a GiB).
    public static let maxScoreCharacters = 100_000_000

    /// Throws a one-line `CharRNNError` for a duration or thread count out of range.
    public static func validate(seconds: Double, threads: [(name: String, count: Int)]) throws {
        guard seconds > 0, seconds <= maxSeconds else {
            throw CharRNNError("--seconds must be in (0, \(Int(maxSeconds))], got \(seconds)")
        }
        for (name, count) in threads where !(1...maxThreads).contains(count) {
            throw CharRNNError("\(name) must be in 1…\(maxThreads), got \(count)")
        }
    }

    /// Full training steps (forward, backward, clip, Adam) on random tokens for about `seconds`;
    /// returns the median characters per second over the timed steps and how many were timed.
    /// Applies `compute` to OpenBLAS first: call it only while nothing else computes. Its precision
    /// (of the matrix products) other than float32 only where `precision.validate()` passes.
    public static func training(
        config: ModelConfig, batch: Int, steps: Int, seconds: Double, compute: ComputePolicy
    ) -> (charactersPerSecond: Double, timedSteps: Int) {
        compute.applyToOpenBLAS()
        let model = CharRNNModel(config: config, vocabulary: syntheticVocabulary(config.vocabularySize), seed: 0)
        let graph = SequenceGraph(model: model, batch: batch, steps: steps, compute: compute, precision: compute.precision)
        let optimizer = Optimizer(kind: .adam, learningRate: 1e-3, parameterCount: model.parameters.count)
        let x = randomTokens(batch * steps, config.vocabularySize, seed: 1)
        let y = randomTokens(batch * steps, config.vocabularySize, seed: 2)
        var rng = RandomGenerator(seed: 3)
        func step() {
            model.parameters.zeroGradients()
            graph.resetState()
            _ = graph.trainingForward(inputs: x, targets: y, rng: &rng)
            graph.backward()
            clipGradientNorm(model.parameters, maxNorm: 5)
            optimizer.update(model.parameters)
        }
        let times = timed(seconds: seconds, warmup: 2, step)
        return (Double(batch * steps) / median(times), times.count)
    }

    /// Batch-1 streaming with the state carried and multinomial sampling at T = 0.8;
    /// returns the median microseconds per character (over blocks of 100 characters).
    /// Applies `compute` to OpenBLAS first: call it only while nothing else computes.
    public static func streaming(config: ModelConfig, seconds: Double, compute: ComputePolicy) throws -> Double {
        compute.applyToOpenBLAS()
        let model = CharRNNModel(config: config, vocabulary: syntheticVocabulary(config.vocabularySize), seed: 0)
        let stream = StreamingModel(model, compute: compute)
        let state = stream.makeState()
        let sampler = try Sampler(
            settings: SamplerSettings(method: .multinomial, temperature: 0.8),
            vocabularySize: config.vocabularySize, seed: 4)
        var token = 0
        let block = 100
        let times = timed(seconds: seconds, warmup: 1) {
            for _ in 0..<block {
                stream.step(token, state)
                token = sampler.sample(logits: state.logits)
            }
        }
        return median(times) / Double(block) * 1e6
    }

    /// Scoring as `eval` does it: `characters` random characters from a zero state, the state
    /// carried, in `Evaluation`'s chunks; passes repeat for about `seconds` (at least three).
    /// Returns the median microseconds per character over the passes.
    /// Applies `compute` to OpenBLAS first: call it only while nothing else computes.
    public static func scoring(
        config: ModelConfig, characters: Int, seconds: Double, compute: ComputePolicy
    ) throws -> Double {
        compute.applyToOpenBLAS()
        let model = CharRNNModel(config: config, vocabulary: syntheticVocabulary(config.vocabularySize), seed: 0)
        let text = randomTokens(characters + 1, config.vocabularySize, seed: 5)
        var failure: Error?
        let times = timed(seconds: seconds, warmup: 0) {
            do { _ = try Evaluation.evaluate(model, tokens: text, compute: compute) } catch { failure = error }
        }
        if let failure { throw failure }
        return median(times) / Double(characters) * 1e6
    }

    static func timed(seconds: Double, warmup: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        let clock = ContinuousClock()
        let start = clock.now
        var times: [Double] = []
        repeat {
            let t0 = clock.now
            body()
            times.append((clock.now - t0).seconds)
        } while (clock.now - start).seconds < seconds || times.count < 3
        return times
    }

    public static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func randomTokens(_ n: Int, _ V: Int, seed: UInt64) -> [Int32] {
        var rng = RandomGenerator(seed: seed)
        return (0..<n).map { _ in Int32(rng.nextInt(below: V)) }
    }

    /// V distinct scalars from U+0100 up, the surrogates (U+D800…U+DFFF, not scalars) skipped,
    /// for models that need a vocabulary but no text. V ≤ `ModelConfig.maxVocabularySize`.
    static func syntheticVocabulary(_ V: Int) -> Vocabulary {
        try! Vocabulary(
            symbols: (0..<UInt32(V)).map { i in
                let value = 0x100 + i
                return String(UnicodeScalar(value < 0xD800 ? value : value + 0x800)!)
            })
    }
}
