/// Every error the engine throws: one line, naming the thing and the problem,
/// so front ends can print it as it is and exit non-zero.
public struct CharRNNError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
