import ArgumentParser
import CharRNN

@main
struct CharRNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charrnn",
        abstract: "Train character-level GRU/LSTM language models and watch them write.",
        version: CharRNNCommand.version,
        subcommands: [
            PlayCommand.self, TrainCommand.self, EvalCommand.self, GenerateCommand.self, InfoCommand.self,
            BenchCommand.self, PlotCommand.self, ReadCommand.self, UnitsCommand.self,
        ],
        defaultSubcommand: PlayCommand.self)

    /// What `charrnn --version` prints.
    static let version = "0.3.0"
}
