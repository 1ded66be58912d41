import ArgumentParser
import CharRNN

extension Cell: ExpressibleByArgument {}

/// The architecture flags, shared by `train` and `bench`: they fill a `ModelConfig`, which
/// validates them. Each is nil when not given, so `train --resume` and `--init-from` can tell a
/// flag that differs from the saved model from a default.
struct ModelOptions: ParsableArguments {
    static let defaults = ModelConfig(vocabularySize: 1)

    @Option(help: "Recurrent cell: gru or lstm. (default: \(defaults.cell))") var cell: Cell?
    @Option(help: "Embedding size E. (default: \(defaults.embeddingSize))") var embedding: Int?
    @Option(help: "Hidden units H per layer. (default: \(defaults.hiddenSize))") var hidden: Int?
    @Option(help: "Stacked recurrent layers L. (default: \(defaults.layers))") var layers: Int?
    @Option(
        parsing: .unconditional,
        help: "Dropout between layers and before the output layer (training only). (default: \(defaults.dropout))")
    var dropout: Float?

    func config(vocabularySize: Int) -> ModelConfig {
        let d = Self.defaults
        return ModelConfig(
            cell: cell ?? d.cell, vocabularySize: vocabularySize, embeddingSize: embedding ?? d.embeddingSize,
            hiddenSize: hidden ?? d.hiddenSize, layers: layers ?? d.layers, dropout: dropout ?? d.dropout)
    }

    /// The flags given, with their value and `saved`'s, for refusing the ones that differ.
    func given(against saved: ModelConfig) -> [(flag: String, given: String, saved: String)] {
        [
            cell.map { ("--cell", "\($0)", "\(saved.cell)") },
            embedding.map { ("--embedding", "\($0)", "\(saved.embeddingSize)") },
            hidden.map { ("--hidden", "\($0)", "\(saved.hiddenSize)") },
            layers.map { ("--layers", "\($0)", "\(saved.layers)") },
            dropout.map { ("--dropout", "\($0)", "\(saved.dropout)") },
        ].compactMap { $0 }
    }

    func validate() throws {
        try CLI.reportingErrors { try config(vocabularySize: 1).validate() }
    }
}
