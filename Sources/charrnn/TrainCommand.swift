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
            (CKPT.state) and metrics (CKPT.metrics.jsonl) are written beside it. Ctrl-C, SIGTERM \
            or SIGHUP (the terminal closed; not under nohup) saves the state and exits; --resume \
            continues exactly where it stopped. A second trainer on the same --out is refused while \
            one runs (CKPT.lock), and outputs that could not be written are refused before training.
            """)

    @Option(help: "UTF-8 text to train on.") var corpus: String
    @Option(help: "Checkpoint to write (.safetensors).") var out: String
    @OptionGroup var model: ModelOptions
    @OptionGroup var training: TrainingOptions
    @Flag(help: "Continue the run saved beside --out.") var resume = false
    @Flag(help: "Start afresh even if --out or its training state exists (overwrites them).") var force = false
    @Option(
        name: .customLong("max-memory"), parsing: .unconditional,
        help: "Refuse a run estimated to need more than this many GiB (default: the memory available).")
    var maxMemory: Double?
    @Option(
        name: .customLong("progress-every"), parsing: .unconditional,
        help: ArgumentHelp("Seconds between progress lines when stderr is not a terminal.", visibility: .hidden))
    var progressEvery = 30.0

    func run() throws {
        _ = ComputePolicy.forCommand(training: true)  // the trainer's own policy is `.training` too
        try CLI.reportingErrors {
            let paths = TrainingPaths(checkpoint: out)
            try paths.checkWritable(corpus: corpus)
            let lock = try TrainingLock(paths: paths)
            defer { withExtendedLifetime(lock) {} }
            let metadata = ["corpus": corpus, "command": CommandLine.arguments.joined(separator: " ")]
            let trainer: Trainer
            if resume {
                var needed = ""
                trainer = try Trainer.resume(
                    paths: paths,
                    corpus: { vocabulary in try vocabulary.encodeAll(try UTF8Text.read(path: corpus), what: corpus) },
                    epochs: training.epochs, metadata: metadata,
                    admit: { needed = $0.text; try $0.check(maxGiB: maxMemory) })
                CLI.printToStandardError(
                    "resuming \(trainer.model.config.summary) at epoch \(trainer.completedEpochs + 1), step \(trainer.step), needs about \(needed)")
            } else {
                for existing in [out, paths.state] where FileIO.exists(existing) && !force {
                    throw CharRNNError(
                        "\(PrintableText.escaped(existing)) exists: use --resume to continue it or --force to start afresh")
                }
                let (vocabulary, tokens) = try CLI.readCorpus(corpus)
                let settings = training.settings
                let config = model.config(vocabularySize: vocabulary.count)
                let estimate = try MemoryEstimate(training: config, settings: settings, corpusCharacters: tokens.count)
                try estimate.check(maxGiB: maxMemory)
                let network = CharRNNModel(config: config, vocabulary: vocabulary, seed: settings.seed)
                trainer = try Trainer(model: network, settings: settings, tokens: tokens, paths: paths, metadata: metadata)
                // A fresh run starts a fresh curve (also after a run killed before its first save).
                try FileIO.remove(paths.metrics)
                CLI.printToStandardError(
                    "training \(config.summary), \(NumberText.grouped(config.parameterCount)) parameters on \(NumberText.grouped(trainer.trainTokens.count)) characters (validation \(NumberText.grouped(trainer.validationTokens.count))), needs about \(estimate.text)"
                )
            }
            Interrupt.install()
            let bar = ProgressBar(terminal: CLI.standardErrorIsTerminal, plainEverySeconds: progressEvery)
            let finished = try trainer.run(
                progress: { bar.update($0) },
                epochDone: { summary in
                    bar.clear()
                    let v = summary.validation
                    CLI.printToStandardError(
                        "epoch \(summary.epoch)/\(trainer.settings.epochs)  step \(summary.step)  train \(NumberText.fixed(summary.trainLoss, decimals: 4))  val \(NumberText.fixed(v.natsPerCharacter, decimals: 4)) nats/char (\(NumberText.fixed(v.bitsPerCharacter, decimals: 3)) bits, perplexity \(NumberText.fixed(v.perplexity, decimals: 2)))  \(NumberText.grouped(Int(summary.charactersPerSecond))) chars/s  \(NumberText.fixed(summary.seconds, decimals: 0)) s\(summary.isBest ? "  saved" : "")"
                    )
                },
                shouldStop: { Interrupt.requested })
            bar.clear()
            if finished {
                CLI.printToStandardError(
                    "done: best validation \(NumberText.fixed(trainer.bestValidation, decimals: 4)) nats/char in \(PrintableText.escaped(out))"
                )
            } else {
                CLI.printToStandardError(
                    "interrupted: state saved to \(PrintableText.escaped(paths.state)); continue with --resume")
                throw ExitCode(130)
            }
        }
    }
}
