/// One tensor of a safetensors file, its values widened to Float whatever the stored dtype.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    /// values[shape.product], row-major.
    public var values: [Float]
    /// The stored element type: "F32", "F16", "BF16", "F64", "I32" or "I64".
    public var dtype: String

    public init(shape: [Int], values: [Float], dtype: String = "F32") {
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }

    public var elementCount: Int { shape.reduce(1, *) }
}
