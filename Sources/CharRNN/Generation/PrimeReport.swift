/// How a prime text was fed to the model.
public struct PrimeReport: Equatable, Sendable {
    /// Tokens fed for the text (`[UNK]` included; the start token not).
    public var tokenCount = 0
    /// Characters outside the vocabulary fed as `[UNK]`, distinct, in order of appearance.
    public var mappedToUnknown: [Unicode.Scalar] = []
    /// Characters outside a vocabulary without `[UNK]`: left out, distinct, in order of appearance.
    public var skipped: [Unicode.Scalar] = []
    /// Set when the text gave no token: this token (newline, else space, else id 0) was fed so
    /// the model has a next-character distribution.
    public var startToken: Int?

    public init() {}

    /// A one-line note for front ends about characters not fed as written; nil when all were.
    public var warning: String? {
        func list(_ s: [Unicode.Scalar]) -> String {
            s.prefix(10).map { String($0).debugDescription }.joined(separator: " ")
                + (s.count > 10 ? " …" : "")
        }
        var parts: [String] = []
        if !skipped.isEmpty {
            parts.append("skipped \(skipped.count) character(s) outside the vocabulary: \(list(skipped))")
        }
        if !mappedToUnknown.isEmpty {
            parts.append("fed \(mappedToUnknown.count) character(s) as [UNK]: \(list(mappedToUnknown))")
        }
        return parts.isEmpty ? nil : "prime: " + parts.joined(separator: "; ")
    }
}
