import ArgumentParser
import CharRNN

extension Cell: ExpressibleByArgument {}

/// The architecture flags, shared by `train` and `bench`: they fill a `ModelConfig`, which
/// validates them.
struct ModelOptions: ParsableArguments {
    @Option(help: "Recurrent cell: gru or lstm.") var cell: Cell = .gru
    @Option(help: "Embedding size E.") var embedding = 256
    @Option(help: "Hidden units H per layer.") var hidden = 512
    @Option(help: "Stacked recurrent layers L.") var layers = 1
    @Option(parsing: .unconditional, help: "Dropout between layers and before the output layer (training only).")
    var dropout: Float = 0

    func config(vocabularySize: Int) -> ModelConfig {
        ModelConfig(
            cell: cell, vocabularySize: vocabularySize, embeddingSize: embedding, hiddenSize: hidden,
            layers: layers, dropout: dropout)
    }

    func validate() throws {
        try CLI.reportingErrors { try config(vocabularySize: 1).validate() }
    }
}
