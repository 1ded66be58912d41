/// Which of a layer's states a unit belongs to: `h`, the hidden state (GRU and LSTM), or `c`,
/// the LSTM's cell state.
public enum StateKind: String, Sendable, CaseIterable {
    case h, c

    /// The kinds a model of `cell` has: GRU `h`; LSTM `h` and `c`.
    public static func kinds(of cell: Cell) -> [StateKind] { cell == .lstm ? [.h, .c] : [.h] }
}

/// One hidden unit of a model: its layer (0-based, as PyTorch's `_l0`), the state it belongs to
/// and its index in that state.
public struct HiddenUnit: Hashable, Sendable, CustomStringConvertible {
    public let layer: Int
    public let kind: StateKind
    public let index: Int

    public init(layer: Int, kind: StateKind, index: Int) {
        self.layer = layer
        self.kind = kind
        self.index = index
    }

    /// A unit written `LAYER.KIND.INDEX` (`0.h.17`, `1.c.5`), checked against `config`: a layer,
    /// kind or index outside the model is refused with the valid ranges.
    public init(parsing text: String, in config: ModelConfig) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let kinds = StateKind.kinds(of: config.cell)
        let ranges =
            "layer 0…\(config.layers - 1), kind \(kinds.map(\.rawValue).joined(separator: " or ")), "
            + "unit 0…\(config.hiddenSize - 1)"
        guard parts.count == 3, let layer = Int(parts[0]), let kind = StateKind(rawValue: String(parts[1])),
            let index = Int(parts[2])
        else {
            throw CharRNNError("unit \(text) is not LAYER.KIND.INDEX (such as 0.h.17); this model has \(ranges)")
        }
        guard (0..<config.layers).contains(layer), kinds.contains(kind), (0..<config.hiddenSize).contains(index) else {
            let gru = kind == .c && config.cell == .gru ? " (a GRU has no cell state c)" : ""
            throw CharRNNError("unit \(text) is outside this \(config.architecture) model\(gru): it has \(ranges)")
        }
        self.init(layer: layer, kind: kind, index: index)
    }

    /// Every unit of a model of `config`, in the order rankings break ties: layer by layer, `h`
    /// before `c`, then by index. A unit's position here is its `flatIndex`.
    public static func all(in config: ModelConfig) -> [HiddenUnit] {
        (0..<config.layers).flatMap { layer in
            StateKind.kinds(of: config.cell).flatMap { kind in
                (0..<config.hiddenSize).map { HiddenUnit(layer: layer, kind: kind, index: $0) }
            }
        }
    }

    /// The unit's position in `all(in: config)`.
    public func flatIndex(in config: ModelConfig) -> Int {
        let kinds = StateKind.kinds(of: config.cell).count
        return ((layer * kinds) + (kind == .h ? 0 : 1)) * config.hiddenSize + index
    }

    /// `0.h.17`: how `--trace` takes it.
    public var description: String { "\(layer).\(kind.rawValue).\(index)" }

    /// `L0 h 17`: how a status line or a table names it.
    public var label: String { "L\(layer) \(kind.rawValue) \(index)" }
}
