/// The number format of a model's matrix products. float32 everywhere by default; bfloat16 (opt-in,
/// CPUs with AVX-512 BF16 only) rounds the weights and the vectors they multiply to 8 significant
/// bits and sums the products in float32. Cell states, softmax and losses stay float32.
public enum Precision: String, CaseIterable, Sendable {
    case float32 = "f32"
    case bfloat16 = "bf16"

    /// Throws, in one line, when this CPU cannot compute in this precision.
    public func validate() throws {
        if self == .bfloat16 && !BF16Matrix.isSupported {
            throw CharRNNError("--precision bf16 needs a CPU with AVX-512 BF16 instructions; this one has none")
        }
    }
}
