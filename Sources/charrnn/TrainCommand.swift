import ArgumentParser
import CharRNN

/// `charrnn train`: fit a model to a text file, checkpointing the best validation model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a character-level GRU/LSTM on a UTF-8 text file.",
        discussion: """
            The last --val-fraction of the corpus is held out. After each epoch the validation \
            loss is printed, --out receives the best model so far, and the training state \
            (CKPT.state) and metrics (CKPT.metrics.jsonl) are written beside it. Ctrl-C saves the \
            state and exits; --resume continues exactly where it stopped.
            """)

    @Option(help: "UTF-8 text to train on.") var corpus: String
    @Option(help: "Checkpoint to write (.safetensors).") var out: String
    @OptionGroup var model: ModelOptions
    @Option(name: .customLong("seq-length"), help: "Characters per training sequence (BPTT length).") var seqLength = 100
    @Option(name: .customLong("batch-size"), help: "Sequences per batch.") var batchSize = 64
    @Option(help: "Epochs to train (with --resume: the total to reach).") var epochs: Int?
    @Option(parsing: .unconditional, help: "Learning rate.") var lr: Float = 2e-3
    @Option(help: "adam (bias-corrected) or rmsprop, with PyTorch semantics.") var optimizer: OptimizerKind = .adam
    @Option(parsing: .unconditional, help: "Global gradient-norm clip (0: off).") var clip: Float = 5
    @Option(
        name: .customLong("val-fraction"), parsing: .unconditional,
        help: "Fraction of the corpus, at its end, held out.") var valFraction = 0.1
    @Option(help: "Random seed (initialisation, data order, dropout).") var seed: UInt64 = 0
    @Flag(help: "B contiguous streams with the hidden state carried across batches (char-rnn style).") var stateful = false
    @Flag(help: "Continue the run saved beside --out.") var resume = false
    @Flag(help: "Start afresh even if --out or its training state exists (overwrites them).") var force = false

    func validate() throws {
        if let e = epochs, e < 1 { throw ValidationError("--epochs must be positive") }
        if seqLength < 1 { throw ValidationError("--seq-length must be positive") }
        if batchSize < 1 { throw ValidationError("--batch-size must be positive") }
        if !(lr > 0) { throw ValidationError("--lr must be positive") }
        if !(clip >= 0) { throw ValidationError("--clip must be ≥ 0") }
        if !(valFraction > 0 && valFraction < 1) { throw ValidationError("--val-fraction must be in (0, 1)") }
    }

    func run() throws {
        try CLI.reportingErrors {
            let paths = TrainingPaths(checkpoint: out)
            let metadata = ["corpus": corpus, "command": CommandLine.arguments.joined(separator: " ")]
            let trainer: Trainer
            if resume {
                trainer = try Trainer.resume(
                    paths: paths,
                    corpus: { vocabulary in try vocabulary.encodeAll(try UTF8Text.read(path: corpus), what: corpus) },
                    epochs: epochs, metadata: metadata)
                CLI.printToStandardError(
                    "resuming \(trainer.model.config.summary) at epoch \(trainer.completedEpochs + 1), step \(trainer.step)")
            } else {
                for existing in [out, paths.state] where FileIO.exists(existing) && !force {
                    throw CharRNNError("\(existing) exists: use --resume to continue it or --force to start afresh")
                }
                let (vocabulary, tokens) = try CLI.readCorpus(corpus)
                var settings = TrainingSettings()
                settings.batchSize = batchSize
                settings.sequenceLength = seqLength
                settings.epochs = epochs ?? 10
                settings.learningRate = lr
                settings.optimizer = optimizer
                settings.clip = clip
                settings.validationFraction = valFraction
                settings.seed = seed
                settings.order = stateful ? .statefulStreams : .shuffledWindows
                let config = model.config(vocabularySize: vocabulary.count)
                let network = CharRNNModel(config: config, vocabulary: vocabulary, seed: seed)
                trainer = try Trainer(model: network, settings: settings, tokens: tokens, paths: paths, metadata: metadata)
                if force { try? FileIO.remove(paths.metrics) }
                CLI.printToStandardError(
                    "training \(config.summary), \(grouped(config.parameterCount)) parameters on \(grouped(trainer.trainTokens.count)) characters (validation \(grouped(trainer.validationTokens.count)))"
                )
            }
            Interrupt.install()
            let bar = ProgressBar(enabled: CLI.standardErrorIsTerminal)
            let finished = try trainer.run(
                progress: { bar.update($0) },
                epochDone: { summary in
                    bar.clear()
                    let v = summary.validation
                    CLI.printToStandardError(
                        "epoch \(summary.epoch)/\(trainer.settings.epochs)  step \(summary.step)  train \(format(summary.trainLoss, 4))  val \(format(v.natsPerCharacter, 4)) nats/char (\(format(v.bitsPerCharacter, 3)) bits, perplexity \(format(v.perplexity, 2)))  \(grouped(Int(summary.charactersPerSecond))) chars/s  \(format(summary.seconds, 0)) s\(summary.isBest ? "  saved" : "")"
                    )
                },
                shouldStop: { Interrupt.requested })
            bar.clear()
            if finished {
                CLI.printToStandardError("done: best validation \(format(trainer.bestValidation, 4)) nats/char in \(out)")
            } else {
                CLI.printToStandardError("interrupted: state saved to \(paths.state); continue with --resume")
                throw ExitCode(130)
            }
        }
    }
}
