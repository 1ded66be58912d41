/// The recurrent cell. Gate order follows PyTorch: GRU r, z, n; LSTM i, f, g, o.
public enum Cell: String, Sendable, CaseIterable, Codable {
    case gru, lstm

    /// Number of gate blocks stacked in each weight matrix (G in the shapes below).
    public var gateCount: Int { self == .gru ? 3 : 4 }
}
