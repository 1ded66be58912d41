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
            continues exactly where it stopped, with the saved corpus, architecture and settings \
            (only --epochs and --lr may change). --init-from starts a new run from a checkpoint's \
            weights. A second trainer on the same --out is refused while one runs (CKPT.lock), and \
            outputs that could not be written are refused before training.
            """)

    @Option(help: "UTF-8 text to train on (with --resume: the saved run's, unless given).") var corpus: String?
    @Option(help: "Checkpoint to write (.safetensors).") var out: String
    @OptionGroup var model: ModelOptions
    @OptionGroup var training: TrainingOptions
    @Flag(help: "Continue the run saved beside --out.") var resume = false
    @Option(
        name: .customLong("init-from"),
        help:
            "Start from this checkpoint's weights and architecture (fine-tuning; its vocabulary must cover the corpus)."
    )
    var initFrom: String?
    @Option(
        name: .customLong("sample-every"), parsing: .unconditional,
        help: "Print a sample at T=0.5 and 1.0 every this many epochs (0: off; default: 1 on a terminal, else 0).")
    var sampleEvery: Int?
    @Flag(help: "Start afresh even if --out or its training state exists (overwrites them).") var force = false
    @Option(
        name: .customLong("max-memory"), parsing: .unconditional,
        help: "Refuse a run estimated to need more than this many GiB (default: the memory available).")
    var maxMemory: Double?
    @Option(
        name: .customLong("progress-every"), parsing: .unconditional,
        help: ArgumentHelp("Seconds between progress lines when stderr is not a terminal.", visibility: .hidden))
    var progressEvery = 30.0

    func validate() throws {
        try CLI.reportingErrors {
            if resume, initFrom != nil {
                throw CharRNNError("--init-from starts a new run: it cannot go with --resume")
            }
            if let sampleEvery, sampleEvery < 0 { throw CharRNNError("--sample-every must be ≥ 0, got \(sampleEvery)") }
        }
    }

    func run() throws {
        _ = ComputePolicy.forCommand(training: true)  // the trainer's own policy is `.training` too
        try CLI.reportingErrors {
            let paths = TrainingPaths(checkpoint: out)
            let command = RunCommandLine.display(CommandLine.arguments)
            let saved = resume ? try SavedRun.read(path: paths.state) : nil
            guard let corpus = corpus ?? saved?.corpusPath else {
                throw CharRNNError(
                    resume
                        ? "\(PrintableText.escaped(paths.state)) does not record its corpus (an older run): give --corpus"
                        : "--corpus is required (or --resume to continue a saved run)")
            }
            try paths.checkWritable(corpus: corpus)
            let lock = try TrainingLock(paths: paths)
            defer { withExtendedLifetime(lock) {} }
            let trainer =
                try saved.map { try resumed($0, paths: paths, corpus: corpus, command: command) }
                ?? fresh(paths: paths, corpus: corpus, command: command)
            trainer.corpusPath = RunCommandLine.absolute(corpus)
            try train(trainer)
        }
    }

    /// The saved run, continued: flags it cannot honour are refused by name.
    private func resumed(_ saved: SavedRun, paths: TrainingPaths, corpus: String, command: String) throws -> Trainer {
        for (flag, given, kept) in model.given(against: saved.checkpoint.config) where given != kept {
            throw CharRNNError(
                "\(flag) \(given) differs from the saved run's \(kept): a resumed run keeps its architecture")
        }
        for (flag, given, kept) in try training.given(against: saved.settings) where given != kept {
            throw CharRNNError(
                "\(flag) \(given) differs from the saved run's \(kept): a resumed run keeps its settings (--epochs and --lr may change)"
            )
        }
        var needed = ""
        let trainer = try Trainer.resume(
            saved, paths: paths,
            corpus: { vocabulary in try vocabulary.encodeAll(try UTF8Text.read(path: corpus), what: corpus) },
            epochs: training.epochs, learningRate: training.lr,
            admit: {
                needed = $0.text
                try $0.check(maxGiB: maxMemory)
            })
        trainer.recordResume(command: command)
        if self.corpus != nil { trainer.runMetadata["corpus"] = RunCommandLine.relative(corpus, to: RunCommandLine.currentFolder) }
        CLI.printToStandardError(
            "resuming \(trainer.model.config.summary) on \(PrintableText.escaped(corpus)) at epoch \(trainer.completedEpochs + 1), step \(trainer.step), needs about \(needed)"
        )
        if let lr = training.lr, lr != saved.settings.learningRate {
            CLI.printToStandardError(
                "learning rate \(lr) from here on (the saved run's was \(saved.settings.learningRate)); the state keeps it"
            )
        }
        return trainer
    }

    /// A new run: a fresh model, or the weights of `--init-from`.
    private func fresh(paths: TrainingPaths, corpus: String, command: String) throws -> Trainer {
        for existing in [out, paths.state] where FileIO.exists(existing) && !force {
            throw CharRNNError(
                "\(PrintableText.escaped(existing)) exists: use --resume to continue it or --force to start afresh")
        }
        let settings = try training.settings
        var metadata = [
            "corpus": RunCommandLine.relative(corpus, to: RunCommandLine.currentFolder), "command": command,
        ]
        let tokens: [Int32]
        let config: ModelConfig
        let makeModel: () -> CharRNNModel
        if let initFrom {
            var start = try Checkpoint.load(path: initFrom)
            for (flag, given, kept) in model.given(against: start.config) where given != kept && flag != "--dropout" {
                throw CharRNNError(
                    "\(flag) \(given) differs from \(PrintableText.escaped(initFrom))'s \(kept): --init-from keeps its architecture"
                )
            }
            start.config.dropout = model.dropout ?? start.config.dropout
            tokens = try Self.encode(corpus: corpus, vocabulary: start.vocabulary, of: initFrom)
            config = start.config
            makeModel = { CharRNNModel(checkpoint: start) }
            metadata["init_from"] = RunCommandLine.relative(initFrom, to: RunCommandLine.currentFolder)
        } else {
            let (vocabulary, corpusTokens) = try CLI.readCorpus(corpus)
            tokens = corpusTokens
            config = model.config(vocabularySize: vocabulary.count)
            makeModel = { CharRNNModel(config: config, vocabulary: vocabulary, seed: settings.seed) }
        }
        let estimate = try MemoryEstimate(training: config, settings: settings, corpusCharacters: tokens.count)
        try estimate.check(maxGiB: maxMemory)
        let network = makeModel()  // allocated only once the estimate is admitted
        let trainer = try Trainer(model: network, settings: settings, tokens: tokens, paths: paths, metadata: metadata)
        // A fresh run starts a fresh curve (also after a run killed before its first save).
        try FileIO.remove(paths.metrics)
        CLI.printToStandardError(
            "training \(config.summary)\(initFrom.map { " from \(PrintableText.escaped($0))" } ?? ""), \(NumberText.grouped(config.parameterCount)) parameters on \(NumberText.grouped(trainer.trainTokens.count)) characters (validation \(NumberText.grouped(trainer.validationTokens.count))), needs about \(estimate.text)"
        )
        return trainer
    }

    /// The corpus over a checkpoint's vocabulary: every character must be in it.
    static func encode(corpus: String, vocabulary: Vocabulary, of checkpoint: String) throws -> [Int32] {
        let scalars = try UTF8Text.read(path: corpus)
        guard !scalars.isEmpty else { throw CharRNNError("\(corpus): the corpus is empty") }
        let (tokens, unknown) = vocabulary.encodeSkippingUnknown(scalars)
        guard unknown.isEmpty else {
            let listed = unknown.keys.sorted { $0.value < $1.value }.map { InfoCommand.readableSymbol(String($0)) }
            throw CharRNNError(
                "\(corpus) has \(unknown.count) character(s) outside \(checkpoint)'s vocabulary: \(listed.joined(separator: " "))"
            )
        }
        return tokens
    }

    private func train(_ trainer: Trainer) throws {
        let settings = trainer.settings
        if settings.learningRateSchedule != .constant {
            CLI.printToStandardError(
                "learning rate \(settings.learningRate), schedule \(settings.learningRateSchedule.summary)")
        }
        if settings.precision == .bfloat16 {
            CLI.printToStandardError(
                "precision bf16: bfloat16 matrix products; weights, Adam and validation in float32")
        }
        if !settings.validates {
            CLI.printToStandardError(
                "no validation (--val-fraction 0): the latest model is saved to \(PrintableText.escaped(out)) after every epoch"
            )
        }
        Interrupt.install()
        let sampleEvery = sampleEvery ?? (CLI.standardErrorIsTerminal ? 1 : 0)
        let bar = ProgressBar(terminal: CLI.standardErrorIsTerminal, plainEverySeconds: progressEvery)
        let finished = try trainer.run(
            progress: { bar.update($0) },
            epochDone: { summary in
                bar.clear()
                CLI.printToStandardError(Self.epochLine(summary, epochs: settings.epochs))
                if sampleEvery > 0, summary.epoch % sampleEvery == 0 {
                    for (t, text) in try trainer.recordSamples() {
                        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                            PrintableText.escaped(String($0))
                        }
                        CLI.printToStandardError("sample T=\(t):\n" + lines.joined(separator: "\n"))
                    }
                }
            },
            shouldStop: { Interrupt.requested })
        bar.clear()
        if !finished {
            CLI.printToStandardError(
                "interrupted: state saved to \(PrintableText.escaped(trainer.paths.state)); continue with --resume")
            throw ExitCode(130)
        } else if settings.validates {
            CLI.printToStandardError(
                "done: best validation \(NumberText.fixed(trainer.bestValidation, decimals: 4)) nats/char in \(PrintableText.escaped(out))"
            )
        } else {
            CLI.printToStandardError("done: the last model (no validation) in \(PrintableText.escaped(out))")
        }
    }

    static func epochLine(_ summary: EpochSummary, epochs: Int) -> String {
        var line =
            "epoch \(summary.epoch)/\(epochs)  step \(summary.step)  train \(NumberText.fixed(summary.trainLoss, decimals: 4))"
        if let v = summary.validation {
            line +=
                "  val \(NumberText.fixed(v.natsPerCharacter, decimals: 4)) nats/char (\(NumberText.fixed(v.bitsPerCharacter, decimals: 3)) bits, perplexity \(NumberText.fixed(v.perplexity, decimals: 2)))"
        }
        line +=
            "  \(NumberText.grouped(Int(summary.charactersPerSecond))) chars/s  \(NumberText.fixed(summary.seconds, decimals: 0)) s"
        return line + (summary.isBest ? "  saved" : "")
    }
}
