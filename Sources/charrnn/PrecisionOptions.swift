import ArgumentParser
import CharRNN

extension Precision: ExpressibleByArgument {}

/// `--precision f32|bf16`, shared by the commands that run a model one character at a time
/// (`generate`, `play`, `eval`, `read`, `units`, `bench`): it sets the precision of the compute
/// policy they run under. The engine validates it (a CPU without AVX-512 BF16 refuses bf16).
struct PrecisionOptions: ParsableArguments {
    @Option(
        help: """
            Precision of the model's matrix products: f32, or bf16 (bfloat16 weights and inputs, float32 sums; \
            about twice as fast, needs a CPU with AVX-512 BF16).
            """)
    var precision = Precision.float32

    func validate() throws {
        try CLI.reportingErrors { try precision.validate() }
    }

    /// The command's compute policy in this precision, applied to OpenBLAS (`ComputePolicy.forCommand`).
    var compute: ComputePolicy { .forCommand(training: false, precision: precision) }
}
