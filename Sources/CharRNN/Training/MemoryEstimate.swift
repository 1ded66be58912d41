#if canImport(Glibc)
    import Glibc
#endif

/// What a training run holds in memory, estimated before anything is allocated, so that a run
/// too large for the machine is refused in one line rather than failing an allocation minutes in.
///
/// In 4-byte floats, for P parameters, n = B·T characters a batch, G gates (3 GRU, 4 LSTM):
/// - weights and their gradients, 2P; optimizer moments, 2P (Adam) or P (RMSprop);
/// - writing the training state copies weights and moments twice (arrays, then the file's bytes);
/// - per layer, the activations kept for backward: n·(4·G·H + 4·H), plus 2·n·H with dropout;
/// - layer 0's input table and its gradient, 2·max(V·G·H, n·E); logits and their gradient, 2·n·V;
/// - the validation graph: the same activations and logits at batch 1 over one evaluation chunk;
/// - under bf16, in 2-byte values: the weights' copies, at most P, and the products' rounded
///   operands, at most m·max(G·H, V) + m·max(H, E) for m = max(n, V);
/// - the corpus: 12 bytes a character (the scalars read, their token ids, the split copies).
public struct MemoryEstimate: Equatable, Sendable {
    public let bytes: Int

    public init(training config: ModelConfig, settings: TrainingSettings, corpusCharacters: Int) throws {
        try config.validate()
        try settings.validate()
        func sum(_ terms: Int...) throws -> Int {
            try terms.reduce(0) {
                let (total, overflow) = $0.addingReportingOverflow($1)
                guard !overflow else { throw CharRNNError("the model's memory size overflows") }
                return total
            }
        }
        func product(_ factors: Int...) throws -> Int {
            try factors.reduce(1) {
                let (total, overflow) = $0.multipliedReportingOverflow(by: $1)
                guard !overflow else { throw CharRNNError("the model's memory size overflows") }
                return total
            }
        }
        let P = config.parameterCount, V = config.vocabularySize, E = config.embeddingSize
        let H = config.hiddenSize, GH = try product(config.cell.gateCount, H), L = config.layers
        let moments = settings.optimizer == .adam ? try product(2, P) : P
        func graph(batch: Int, steps: Int) throws -> Int {
            let n = try product(batch, steps)
            let perLayer = try sum(product(n, 4, GH), product(n, 4, H), config.dropout > 0 ? product(2, n, H) : 0)
            return try sum(product(L, perLayer), product(2, max(product(V, GH), product(n, E))), product(2, n, V))
        }
        let validationChunk = Evaluation.chunkLength(1000, vocabularySize: V)
        let floats = try sum(
            product(2, P), moments, product(2, sum(P, moments)),
            graph(batch: settings.batchSize, steps: settings.sequenceLength), graph(batch: 1, steps: validationChunk))
        let rows = max(try product(settings.batchSize, settings.sequenceLength), V)
        let halves =
            settings.precision == .bfloat16 ? try sum(P, product(rows, max(GH, V)), product(rows, max(H, E))) : 0
        bytes = try sum(product(4, floats), product(2, halves), product(12, corpusCharacters))
    }

    /// "0.25 GiB": for the first line of `train`.
    public var text: String { Self.gibibytes(bytes) }

    /// Refuses a run that needs more than `maxGiB` (train's --max-memory, at most 1 PiB) or,
    /// without it, more than the memory available now (MemAvailable).
    public func check(maxGiB: Double?) throws {
        if let maxGiB {
            guard maxGiB > 0, maxGiB <= Double(1 << 20) else {
                throw CharRNNError("--max-memory must be in (0, 1048576] GiB, got \(maxGiB)")
            }
            try refuse(beyond: Int(maxGiB * Double(1 << 30)), "--max-memory \(maxGiB) GiB")
        } else if let available = Self.availableBytes() {
            try refuse(beyond: available, "the \(Self.gibibytes(available)) available")
        }
    }

    private func refuse(beyond limit: Int, _ limitName: String) throws {
        guard bytes <= limit else {
            throw CharRNNError(
                "training needs about \(text), more than \(limitName): lower --hidden, --layers, --batch-size or --seq-length"
            )
        }
    }

    private static func gibibytes(_ bytes: Int) -> String {
        NumberText.fixed(Double(bytes) / Double(1 << 30), decimals: 2) + " GiB"
    }

    /// MemAvailable from /proc/meminfo, in bytes; nil where it cannot be read.
    public static func availableBytes() -> Int? {
        // /proc files report size 0, so read once into a buffer (the file is about 1.5 KB).
        let fd = open("/proc/meminfo", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 16_384)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard count > 0 else { return nil }
        let line = String(decoding: bytes[..<count], as: UTF8.self).split(separator: "\n").first {
            $0.hasPrefix("MemAvailable:")
        }
        guard let kibibytes = line?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kibibytes.multipliedReportingOverflow(by: 1024).overflow ? nil : kibibytes * 1024
    }
}
