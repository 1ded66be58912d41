/// The training state file (`CKPT.state`): a safetensors file holding the latest weights as a
/// `charrnn-v1` model plus everything resume needs under `state.` names — optimizer moments,
/// step, epoch and batch position, the data-order and dropout RNG states, the best validation
/// loss, the carried hidden state of stateful training, and a fingerprint of the corpus.
extension Trainer {
    static let stateFormat = "charrnn-train-state-v1"

    func saveState() throws {
        var file = try checkpoint(validation: nil).safetensorsFile(name: paths.state)
        let words = { (rng: RandomGenerator) in rng.stateWords.map { String($0) }.joined(separator: ",") }
        file.metadata.merge([
            "state.format": Trainer.stateFormat,
            "state.completed_epochs": "\(completedEpochs)",
            "state.batch_index": "\(batchIndex)",
            "state.step": "\(step)",
            "state.best_val": "\(bestValidation)",
            "state.epoch_loss_sum": "\(epochLossSum)",
            "state.data_rng": words(dataRNG),
            "state.dropout_rng": words(dropoutRNG),
            "state.epochs": "\(settings.epochs)",
            "state.corpus_characters": "\(trainTokens.count + validationTokens.count)",
            "state.corpus_fingerprint": Trainer.fingerprint(trainTokens + validationTokens),
        ]) { _, new in new }
        if let corpusPath { file.metadata["state.corpus_path"] = corpusPath }
        for (name, values) in optimizer.stateTensors {
            file.tensors["state.\(name)"] = Tensor(shape: [values.count], values: values)
        }
        if settings.order == .statefulStreams {
            let B = settings.batchSize
            let H = model.config.hiddenSize
            for (k, layer) in graph.layers.enumerated() {
                file.tensors["state.carry.l\(k).h"] = Tensor(
                    shape: [B, H], values: Array(layer.hidden.array[0..<B * H]))
                if layer.cell == .lstm {
                    file.tensors["state.carry.l\(k).c"] = Tensor(
                        shape: [B, H], values: Array(layer.cellState.array[0..<B * H]))
                }
            }
        }
        try file.write(path: paths.state)
    }

    /// Continues the run saved at `paths.state` on the same corpus. `epochs` may raise the
    /// number of epochs and `learningRate` replace the base rate (kept in the state from then
    /// on); every other setting comes from the state. `admit` sees the run's memory estimate
    /// before its buffers are allocated, and may refuse it.
    public static func resume(
        paths: TrainingPaths, corpus: (Vocabulary) throws -> [Int32], epochs: Int? = nil,
        learningRate: Float? = nil, metadata: [String: String] = [:],
        admit: (MemoryEstimate) throws -> Void = { _ in }
    ) throws -> Trainer {
        try resume(
            SavedRun.read(path: paths.state), paths: paths, corpus: corpus, epochs: epochs, learningRate: learningRate,
            metadata: metadata, admit: admit)
    }

    /// Continues `saved` (read from `paths.state`): see `resume(paths:…)`.
    public static func resume(
        _ saved: SavedRun, paths: TrainingPaths, corpus: (Vocabulary) throws -> [Int32], epochs: Int? = nil,
        learningRate: Float? = nil, metadata: [String: String] = [:],
        admit: (MemoryEstimate) throws -> Void = { _ in }
    ) throws -> Trainer {
        let checkpoint = saved.checkpoint
        let model = CharRNNModel(checkpoint: checkpoint)
        var settings = saved.settings
        settings.epochs = epochs ?? settings.epochs
        settings.learningRate = learningRate ?? settings.learningRate
        do { try settings.validate() } catch let error as CharRNNError {
            throw saved.fail("train settings: \(error.message)")
        }
        let tokens = try corpus(model.vocabulary)
        guard try saved.integer("state.corpus_characters") == tokens.count,
            try saved.value("state.corpus_fingerprint") == fingerprint(tokens)
        else { throw saved.fail("the corpus differs from the one this run was trained on") }
        try admit(try MemoryEstimate(training: model.config, settings: settings, corpusCharacters: tokens.count))
        let trainer = try Trainer(
            model: model, settings: settings, tokens: tokens, paths: paths,
            metadata: checkpoint.metadata.filter {
                !$0.key.hasPrefix("train.")
                    && !["epoch", "step", "val_nats_per_char", "val_characters"].contains($0.key)
            }
            .merging(metadata) { _, new in new })
        // Every position must be one this run could have reached: step = epochs done × batches
        // per epoch + batches done, losses are finite (the best is +∞ before the first epoch).
        let batches = trainer.plan.batchesPerEpoch
        let savedEpochs = try saved.integer("state.epochs", atMost: TrainingSettings.maxEpochs)
        let completed = try saved.integer("state.completed_epochs", atMost: savedEpochs)
        let batchIndex = try saved.integer("state.batch_index", atMost: batches - 1)
        let step = try saved.integer("state.step")
        let reached = completed * batches + batchIndex
        guard step == reached else {
            throw saved.fail(
                "state.step is \(step) but \(completed) epochs of \(batches) batches and \(batchIndex) more make \(reached)"
            )
        }
        guard let best = Double(try saved.value("state.best_val")), best >= 0, !best.isNaN else {
            throw saved.fail("state.best_val is \(try saved.value("state.best_val")), not a loss (a number ≥ 0 or inf)")
        }
        guard let lossSum = Double(try saved.value("state.epoch_loss_sum")), lossSum >= 0, lossSum.isFinite else {
            throw saved.fail(
                "state.epoch_loss_sum is \(try saved.value("state.epoch_loss_sum")), not a finite sum of losses ≥ 0")
        }
        trainer.completedEpochs = completed
        trainer.batchIndex = batchIndex
        trainer.bestValidation = best
        trainer.epochLossSum = lossSum
        trainer.dataRNG = try saved.rng("state.data_rng")
        trainer.dropoutRNG = try saved.rng("state.dropout_rng")
        trainer.corpusPath = saved.corpusPath
        let moments = saved.tensors
        do { try trainer.optimizer.restore(step: step, tensors: moments) } catch let e as CharRNNError {
            throw saved.fail(e.message)
        }
        try trainer.trimMetrics()
        if settings.order == .statefulStreams {
            let n = settings.batchSize * model.config.hiddenSize
            for (k, layer) in trainer.graph.layers.enumerated() {
                for (suffix, buffer) in [("h", layer.hidden)] + (layer.cell == .lstm ? [("c", layer.cellState)] : []) {
                    guard let t = moments["carry.l\(k).\(suffix)"], t.count == n else {
                        throw saved.fail("missing or misshapen state.carry.l\(k).\(suffix)")
                    }
                    t.withUnsafeBufferPointer { buffer.pointer.update(from: $0.baseAddress!, count: n) }
                }
            }
        }
        return trainer
    }

    /// A resumed run keeps its first command line in `command` and lists each resume's in
    /// `resumed` (a JSON array of strings, oldest first).
    public func recordResume(command: String) {
        var commands: [JSONValue] = []
        if let saved = runMetadata["resumed"], case .array(let list)? = try? JSON.parse(saved) {
            commands = list.compactMap { if case .string(let s) = $0 { .string(s) } else { nil } }
        }
        commands.append(.string(command))
        runMetadata["resumed"] = JSONValue.array(commands).text()
    }

    /// FNV-1a over the token ids: tells whether resume sees the same corpus.
    static func fingerprint(_ tokens: [Int32]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for t in tokens {
            hash = (hash ^ UInt64(UInt32(bitPattern: t))) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

extension TrainingSettings {
    /// Reads back the `train.*` keys written by `metadata`.
    init(metadata m: [String: String], name: String) throws {
        self.init()
        func get<T>(_ key: String, _ parse: (String) -> T?) throws -> T {
            guard let s = m["train.\(key)"], let v = parse(s) else {
                throw CharRNNError("\(name): missing or invalid train.\(key)")
            }
            return v
        }
        batchSize = try get("batch_size") { Int($0) }
        sequenceLength = try get("seq_length") { Int($0) }
        learningRate = try get("lr") { Float($0) }
        optimizer = try get("optimizer") { OptimizerKind(rawValue: $0) }
        clip = try get("clip") { Float($0) }
        validationFraction = try get("val_fraction") { Double($0) }
        seed = try get("seed") { UInt64($0) }
        order = try get("order") { BatchOrder(rawValue: $0) }
        if m["train.precision"] != nil {  // runs saved before bf16 training were float32
            precision = try get("precision") { Precision(rawValue: $0) }
        }
        learningRateSchedule = try LearningRateSchedule(metadata: m, name: name)
    }
}
