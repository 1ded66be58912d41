import RealModule

public enum OptimizerKind: String, Sendable, CaseIterable {
    case adam, rmsprop
}
